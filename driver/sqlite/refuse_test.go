package sqlite_test

import (
	"database/sql"
	"errors"
	"github.com/sqlseal/sqlseal"
	"testing"

	"github.com/stretchr/testify/require"
)

const refusedValue = "refused-value-7f3a"

// requireRefused checks that err is sqlseal's refusal naming the
// protected column and not quoting the value.
func requireRefused(t *testing.T, err error, column, sql string) {
	t.Helper()
	require.ErrorIs(t, err, sqlseal.ErrRefused, sql)
	var re *sqlseal.RefusalError
	require.True(t, errors.As(err, &re), sql)
	require.Contains(t, err.Error(), column, sql)
	require.NotContains(t, err.Error(), refusedValue, sql)
}

// TestRefusedStatementsNeverReachServer runs each refused statement
// through Exec, Query, Prepare and a transaction. Each calls
// sqlseal_probe(), which counts its calls, and the table is unchanged.
func TestRefusedStatementsNeverReachServer(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	tb := e.table
	other := tb + "_other"
	e.rawExec(`CREATE TABLE ` + other + ` (id INTEGER PRIMARY KEY, note TEXT)`)
	e.rawExec(`INSERT INTO ` + other + ` VALUES (1, 'plain note')`)
	e.exec(`INSERT INTO `+tb+` (id, name, details) VALUES (1, 'keep', ?)`, "kept")
	v := refusedValue
	p := `sqlseal_probe()`
	calls := probeCalls.Load()
	refused := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, upper(?))`, []any{v}},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, ? || 'x')`, []any{v}},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, upper('` + v + `'))`, nil},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, :d || '')`, []any{sql.Named("d", v)}},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, CAST(? AS INTEGER))`, []any{v}},
		{`UPDATE ` + tb + ` SET details = details || ? WHERE id = ` + p, []any{v}},
		{`UPDATE ` + tb + ` SET details = name WHERE id = ` + p, nil},
		{`UPDATE ` + tb + ` SET details = (SELECT note FROM ` + other + ` WHERE id = ` + p + `)`, nil},
		{`UPDATE ` + tb + ` SET details = o.note FROM ` + other + ` o WHERE o.id = ` + tb + `.id AND ` + p, nil},
		{`INSERT INTO ` + tb + ` (details) SELECT name FROM ` + tb + ` WHERE ` + p, nil},
		{`INSERT INTO ` + tb + ` (details) SELECT note FROM ` + other + ` WHERE ` + p, nil},
		{`INSERT OR REPLACE INTO ` + tb + ` (id, details) SELECT id, note FROM ` + other + ` WHERE ` + p, nil},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (` + p + `, ?) ON CONFLICT(id) DO UPDATE SET details = details || excluded.details`, []any{v}},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (` + p + `, ?, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.name`, []any{v, v}},
		{`INSERT INTO ` + tb + ` VALUES (` + p + `, 'n', ?)`, []any{v}},
		{`UPDATE ` + tb + ` SET name = 'hit' WHERE details = ? OR ` + p, []any{v}},
		{`UPDATE ` + tb + ` SET name = 'hit' WHERE details LIKE ? OR ` + p, []any{v}},
		{`DELETE FROM ` + tb + ` WHERE details = ? OR ` + p, []any{v}},
		{`DELETE FROM ` + tb + ` WHERE details IN (?, 'x') OR ` + p, []any{v}},
		{`SELECT id FROM ` + tb + ` WHERE details = ? OR ` + p, []any{v}},
		{`SELECT id FROM ` + tb + ` t WHERE ` + p + ` AND t.details <> ?`, []any{v}},
		{`SELECT id FROM ` + tb + ` WHERE upper(details) = upper(?) OR ` + p, []any{v}},
		{`SELECT a.id FROM ` + tb + ` a JOIN ` + tb + ` b ON a.details = b.details WHERE ? OR ` + p, []any{v}},
		{`SELECT id FROM ` + tb + ` WHERE details = (SELECT ?) OR ` + p, []any{v}},
		{`INSERT INTO ` + tb + ` (details) VALUES (? WHERE ` + p, []any{v}},
		// Valid SQLite that the front-end cannot translate.
		{`INSERT INTO ` + tb + ` (id, details) VALUES (` + p + `, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.details ON CONFLICT DO NOTHING`, []any{v}},
	}
	for _, r := range refused {
		_, err := e.sealed.Exec(r.sql, r.args...)
		requireRefused(t, err, tb+".details", r.sql)
		_, err = e.sealed.Query(r.sql, r.args...)
		requireRefused(t, err, tb+".details", r.sql)
		_, err = e.sealed.Prepare(r.sql)
		requireRefused(t, err, tb+".details", r.sql)
		tx, err := e.sealed.Begin()
		require.NoError(t, err)
		_, err = tx.Exec(r.sql, r.args...)
		requireRefused(t, err, tb+".details", r.sql)
		require.NoError(t, tx.Commit())
	}
	require.Equal(t, calls, probeCalls.Load(), "a refused statement reached SQLite")
	require.Equal(t, 1, e.count(tb), "a refused statement reached SQLite")
	require.Equal(t, "keep", e.rawValue(tb, "name", 1))
	e.requireSealed(1, "kept")

	// The probe works: an accepted statement calls it.
	var n int
	require.NoError(t, e.sealed.QueryRow(`SELECT count(*) FROM `+tb+` WHERE details IS NOT NULL AND `+p).Scan(&n))
	require.Equal(t, 1, n)
	require.Greater(t, probeCalls.Load(), calls)
}
