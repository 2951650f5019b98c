package driver_test

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// Statements that touch no protected column behave exactly as under plain
// pgx: same values, same column types, same errors.
func TestUnprotectedStatementsBehaveAsPgx(t *testing.T) {
	e := newEnv(t, "name text, details text")
	e.rawExec(`CREATE TABLE ` + e.table + `_plain (id serial PRIMARY KEY, n numeric, ts timestamptz, tags text[], doc jsonb, b bytea, details text)`)
	t.Cleanup(func() { e.raw.Exec(`DROP TABLE IF EXISTS ` + e.table + `_plain`) })
	plain := e.table + "_plain"
	e.rawExec(`INSERT INTO `+plain+` (n, ts, tags, doc, b, details) VALUES (1.5, '2024-01-02T03:04:05Z', '{a,b}', '{"k":1}', '\x0102', $1)`, "not protected here")

	queries := []struct {
		sql  string
		args []any
	}{
		{`SELECT id, n, ts, tags, doc, b, details FROM ` + plain + ` WHERE id = $1`, []any{1}},
		{`SELECT count(*), sum(n) FROM ` + plain, nil},
		{`SELECT $1::int + 1, $2::text`, []any{41, "x"}},
		{`SELECT id, name FROM ` + e.table, nil},
		{`SELECT nosuchcolumn FROM ` + plain, nil},
		{`SELEC broken`, nil},
		{`SELECT 1/0`, nil},
		{`UPDATE ` + plain + ` SET n = n + 0 WHERE details = $1 RETURNING details, upper(details)`, []any{"not protected here"}},
	}
	for _, q := range queries {
		want := run(e.raw, q.sql, q.args)
		got := run(e.sealed, q.sql, q.args)
		require.Equal(t, want, got, q.sql)
	}
}

type outcome struct {
	Types []string
	Rows  [][]any
	Err   string
}

// run executes a query and records everything an application can observe.
func run(db *sql.DB, query string, args []any) outcome {
	var o outcome
	rows, err := db.Query(query, args...)
	if err != nil {
		o.Err = err.Error()
		return o
	}
	defer rows.Close()
	cts, _ := rows.ColumnTypes()
	for _, ct := range cts {
		o.Types = append(o.Types, fmt.Sprintf("%s %s %v", ct.Name(), ct.DatabaseTypeName(), ct.ScanType()))
	}
	for rows.Next() {
		vals := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			o.Err = err.Error()
			return o
		}
		o.Rows = append(o.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		o.Err = err.Error()
	}
	return o
}
