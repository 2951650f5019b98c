package mysql_test

import (
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

// TestRefusedWritesNeverReachServer runs each refused write through Exec,
// Query, Prepare and a transaction, then proves the table is as it was.
func TestRefusedWritesNeverReachServer(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	tb := e.table
	other := e.name("other")
	e.rawExec("CREATE TABLE `" + other + "` (id INT PRIMARY KEY, note TEXT)")
	e.rawExec("INSERT INTO `" + other + "` VALUES (1, 'plain note')")
	e.exec("INSERT INTO `"+tb+"` (id, name, details) VALUES (1, 'keep', ?)", "kept")
	v := refusedValue
	refused := []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO `" + tb + "` (name, details) VALUES (?, UPPER(?))", []any{"n", v}},
		{"INSERT INTO " + tb + " (details) VALUES (CONCAT(?, 'x'))", []any{v}},
		{"INSERT INTO " + tb + " (details) VALUES (UPPER('" + v + "'))", nil},
		{"INSERT INTO " + tb + " SET details = LOWER(?)", []any{v}},
		{"INSERT INTO " + tb + " (details) VALUES (? + 0)", []any{v}},
		{"UPDATE " + tb + " SET details = CONCAT(details, ?) WHERE id = 1", []any{v}},
		{"UPDATE " + tb + " SET details = name WHERE id = 1", nil},
		{"UPDATE " + tb + " SET details = (SELECT note FROM " + other + " WHERE id = 1)", nil},
		{"INSERT INTO " + tb + " (details) SELECT name FROM " + tb, nil},
		{"INSERT INTO " + tb + " (details) SELECT note FROM " + other, nil},
		{"REPLACE INTO " + tb + " (id, details) SELECT id, note FROM " + other, nil},
		{"INSERT INTO " + tb + " (id, details) VALUES (1, ?) ON DUPLICATE KEY UPDATE details = CONCAT(details, ?)", []any{v, v}},
		{"INSERT INTO " + tb + " (id, name, details) VALUES (1, ?, ?) ON DUPLICATE KEY UPDATE details = VALUES(name)", []any{v, v}},
		{"UPDATE " + tb + " SET name = 'hit' WHERE details = ?", []any{v}},
		{"UPDATE " + tb + " SET name = 'hit' WHERE details LIKE ?", []any{v}},
		{"DELETE FROM " + tb + " WHERE details = ?", []any{v}},
		{"DELETE FROM " + tb + " WHERE details IN (?, 'x')", []any{v}},
		{"INSERT INTO " + tb + " (details) VALUES (? WHERE", []any{v}},
		{"INSERT INTO " + tb + " (details) VALUES /*!50000 (?) */", []any{v}},
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
	require.Equal(t, 1, e.count(tb), "a refused statement reached the server")
	require.Equal(t, "keep", string(e.rawValue(tb, "name", 1)))
	e.requireSealed(1, "kept")
}

// TestRefusedSelectNeverReachesServer: a SELECT that compares the
// protected column is refused before the server runs it; the probe
// assignment in its WHERE clause would otherwise have counted.
func TestRefusedSelectNeverReachesServer(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	tb := e.table
	e.exec("INSERT INTO `"+tb+"` (name, details) VALUES ('a', ?)", "x")
	conn, err := e.sealed.Conn(e.ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(e.ctx, "SET @probe = 0")
	require.NoError(t, err)
	probe := "(@probe := @probe + 1) > 0"
	for _, q := range []string{
		"SELECT id FROM `" + tb + "` WHERE details = ? OR " + probe,
		"SELECT id FROM `" + tb + "` t WHERE " + probe + " AND t.details <> ?",
		"SELECT id FROM `" + tb + "` WHERE UPPER(details) = UPPER(?) OR " + probe,
		"SELECT a.id FROM `" + tb + "` a JOIN `" + tb + "` b ON a.details = b.details WHERE ? OR " + probe,
		"SELECT id FROM `" + tb + "` WHERE details = (SELECT ?) OR " + probe,
	} {
		_, err := conn.QueryContext(e.ctx, q, refusedValue)
		requireRefused(t, err, tb+".details", q)
		_, err = conn.PrepareContext(e.ctx, q)
		requireRefused(t, err, tb+".details", q)
	}
	// The probe works: an accepted statement moves it.
	rows, err := conn.QueryContext(e.ctx, "SELECT id FROM `"+tb+"` WHERE details IS NOT NULL AND "+probe)
	require.NoError(t, err)
	require.NoError(t, rows.Close())
	var n int
	require.NoError(t, conn.QueryRowContext(e.ctx, "SELECT @probe").Scan(&n))
	require.Equal(t, 1, n, "a refused SELECT reached the server")
}
