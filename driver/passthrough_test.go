package driver_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// Statements that touch no protected column behave exactly as under plain
// pgx, with PostgreSQL's own types too (numeric, timestamptz, arrays,
// jsonb, bytea): same values, same column types, same errors. The
// portable part of this is reads/unprotected_statements_behave_as_plain_driver.
func TestUnprotectedStatementsBehaveAsPgx(t *testing.T) {
	e := newEnv(t, "name text, details text")
	plain := e.Name("plain")
	e.RawExec(`CREATE TABLE ` + plain + ` (id serial PRIMARY KEY, n numeric, ts timestamptz, tags text[], doc jsonb, b bytea, details text)`)
	e.RawExec(`INSERT INTO `+plain+` (n, ts, tags, doc, b, details) VALUES (1.5, '2024-01-02T03:04:05Z', '{a,b}', '{"k":1}', '\x0102', $1)`, "not protected here")

	queries := []conformance.Stmt{
		{SQL: `SELECT id, n, ts, tags, doc, b, details FROM ` + plain + ` WHERE id = $1`, Args: []any{1}},
		{SQL: `SELECT count(*), sum(n) FROM ` + plain},
		{SQL: `SELECT $1::int + 1, $2::text`, Args: []any{41, "x"}},
		{SQL: `SELECT id, name FROM ` + e.Table},
		{SQL: `SELECT nosuchcolumn FROM ` + plain},
		{SQL: `SELEC broken`},
		{SQL: `SELECT 1/0`},
		{SQL: `UPDATE ` + plain + ` SET n = n + 0 WHERE details = $1 RETURNING details, upper(details)`, Args: []any{"not protected here"}},
	}
	for _, q := range queries {
		require.Equal(t, conformance.Observe(e.Raw, q.SQL, q.Args), conformance.Observe(e.Sealed, q.SQL, q.Args), q.SQL)
	}
}
