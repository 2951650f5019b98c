package conformance

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
)

// firstRow returns the first row of rows, each column as a string ("" for
// NULL).
func firstRow(t testing.TB, rows *sql.Rows) []string {
	t.Helper()
	cols, err := rows.Columns()
	require.NoError(t, err)
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	require.True(t, rows.Next())
	require.NoError(t, rows.Scan(ptrs...))
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.String
	}
	return out
}

// forwardCTE: a WITH entry that sees the entries after it reads a later
// entry, not the table, when both have the table's name; one that does
// not see them reads the table.
func forwardCTE(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name TEXT, details TEXT")
	e.RawExec(`INSERT INTO `+e.Table+` (id, name, details) VALUES (1, ?, ?)`, Planted(t), SealText(t, Key, "real"))
	tb, sc := e.Table, b.Schema
	forward := "WITH RECURSIVE"
	if b.CTE == AlwaysSeesLater {
		forward = "WITH"
	}
	with := func(kw string) string {
		return kw + ` x AS (SELECT id, details FROM ` + tb + `), ` + tb + ` AS (SELECT id, name AS details FROM ` + sc + `.` + tb + `) `
	}
	write := with(forward) + `INSERT INTO ` + sc + `.` + tb + ` (id, details) SELECT id + 100, details FROM x`
	if b.CTE == RecursiveAmbiguous {
		write = `INSERT INTO ` + sc + `.` + tb + ` (id, details) ` + with(forward) + `SELECT id + 100, details FROM x`
	}
	_, err := e.Sealed.Exec(write)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 1, e.Count(tb))
	e.RequireAtRest()

	var got string
	err = e.Sealed.QueryRow(with(forward) + `SELECT details FROM x`).Scan(&got)
	if b.CTE == RecursiveAmbiguous {
		require.ErrorIs(t, err, sqlseal.ErrRefused)
	} else {
		require.NoError(t, err)
		RequireNotOpened(t, got)
	}

	if b.CTE != AlwaysSeesLater {
		// Under a plain WITH the later entry is invisible: the table is
		// read and its protected column opened.
		require.NoError(t, e.Sealed.QueryRow(with("WITH")+`SELECT details FROM x`).Scan(&got))
		require.Equal(t, "real", got)
	}
}

// ddl: DDL that moves values into a protected column (renames to its
// name, defaults and generated values, a copy into a new table) is
// refused; DDL that moves nothing is not.
func ddl(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name TEXT, details TEXT")
	tb := e.Table
	other, fresh := e.Name("other"), e.Name("fresh")
	e.Create(other, "details TEXT")
	e.RawExec(`INSERT INTO `+tb+` (name, details) VALUES ('plain-name', ?)`, SealText(t, Key, "v"))
	db := e.Open(e.ConfigFor(tb+".details", tb+".extra", fresh+".details"))
	moving := []string{
		`ALTER TABLE ` + tb + ` RENAME COLUMN name TO details`,
		`ALTER TABLE ` + other + ` RENAME TO ` + tb,
		`ALTER TABLE ` + tb + ` ADD COLUMN extra TEXT DEFAULT 'plain'`,
		`CREATE TABLE ` + fresh + ` (id INT, details TEXT DEFAULT 'plain')`,
		`CREATE TABLE ` + fresh + ` AS SELECT id, name AS details FROM ` + tb,
	}
	harmless := []string{
		`ALTER TABLE ` + tb + ` ADD COLUMN note TEXT DEFAULT 'x'`,
		`CREATE TABLE ` + fresh + ` (id INT, details TEXT DEFAULT NULL, note TEXT DEFAULT 'x')`,
	}
	if b.Extras.MovingDDL != nil {
		moving = append(moving, b.Extras.MovingDDL(tb, other, fresh)...)
	}
	if b.Extras.HarmlessDDL != nil {
		harmless = append(harmless, b.Extras.HarmlessDDL(tb, other, fresh)...)
	}
	for _, q := range moving {
		_, err := db.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	e.RequireAtRest()
	require.Equal(t, 1, e.Count(tb))
	require.Equal(t, "plain-name", e.RawString(tb, "name", 1))
	for _, q := range []string{`SELECT extra FROM ` + tb, `SELECT count(*) FROM ` + fresh} {
		_, err := e.Raw.Exec(q)
		require.Error(t, err, "%s: a refused statement ran", q)
	}
	for _, q := range harmless {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
}

// dynamicSQL: statements whose SQL the server computes are refused while
// any column is protected, whatever their text names.
func dynamicSQL(t *testing.T, b *Backend) {
	if b.Extras.DynamicSQL == nil {
		t.Skip(b.Name + " has no server-side dynamic SQL")
	}
	e := NewEnv(t, b, "details TEXT")
	half := len(e.Table) / 2
	for _, q := range b.Extras.DynamicSQL(e.Table[:half], e.Table[half:]) {
		_, err := e.Sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	require.Zero(t, e.Count(e.Table))
}

// threePartNames: a column named with its schema and table is the
// protected column, and is opened.
func threePartNames(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES (1, ?)`, "three")
	col := b.Schema + `.` + e.Table + `.details`
	for _, from := range []string{e.Table, b.Schema + `.` + e.Table} {
		var got string
		require.NoError(t, e.Sealed.QueryRow(`SELECT `+col+` FROM `+from).Scan(&got))
		require.Equal(t, "three", got)
	}
}

// preparedStarAfterAlter: a prepared SELECT * over two tables is mapped
// anew at each execution: after a column is added to the first table, the
// columns of the second shift, and the one now at the protected column's
// old position (holding a planted ciphertext) is not opened. Where the
// server fails such a statement (PostgreSQL), it must fail.
func preparedStarAfterAlter(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "pad TEXT, details TEXT")
	other := e.Name("other")
	e.RawExec(`CREATE TABLE ` + other + ` (note TEXT)`)
	e.RawExec(`INSERT INTO ` + other + ` VALUES ('n')`)
	e.RawExec(`INSERT INTO `+e.Table+` (id, pad, details) VALUES (1, ?, ?)`, Planted(t), SealText(t, Key, "real"))
	conn, err := e.Sealed.Conn(e.Ctx)
	require.NoError(t, err)
	defer conn.Close()
	stmt, err := conn.PrepareContext(e.Ctx, `SELECT * FROM `+other+`, `+e.Table)
	require.NoError(t, err)
	defer stmt.Close()
	read := func() []string {
		rows, err := stmt.QueryContext(e.Ctx)
		require.NoError(t, err)
		defer rows.Close()
		return firstRow(t, rows)
	}
	require.Equal(t, "real", read()[3]) // note, id, pad, details
	e.RawExec(`ALTER TABLE ` + other + ` ADD COLUMN extra TEXT`)
	if b.PreparedResultFixed {
		// The server refuses to run it: nothing is read at all.
		_, err := stmt.QueryContext(e.Ctx)
		require.Error(t, err)
		require.NotErrorIs(t, err, sqlseal.ErrRefused)
		return
	}
	got := read() // note, extra, id, pad, details
	require.Equal(t, "real", got[4])
	for _, v := range got {
		RequireNotOpened(t, v)
	}
}

// preparedAfterTemporaryTable: with the protected column configured with
// its schema, a prepared statement that names the table without it is not
// opened on a mapping made before a temporary table shadowed the table.
// Where temporary tables live in a schema of their own, sqlseal resolves
// the name to it at each execution and opens nothing there; where a
// temporary table takes the protected table's name (MariaDB), sqlseal
// treats it as the protected table, so nothing unsealed can be put in it.
func preparedAfterTemporaryTable(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	tb := e.Table
	other := e.Name("other")
	e.Create(other, "note TEXT")
	e.RawExec(`INSERT INTO `+other+` (id, note) VALUES (1, ?)`, Planted(t))
	e.RawExec(`INSERT INTO `+tb+` (id, details) VALUES (1, ?)`, SealText(t, Key, "real"))
	db := e.Open(e.ConfigFor(b.Schema + "." + tb + ".details"))

	conn, err := db.Conn(e.Ctx)
	require.NoError(t, err)
	defer conn.Close()
	stmt, err := conn.PrepareContext(e.Ctx, e.Q(`SELECT details FROM `+tb+` WHERE id = ?`))
	require.NoError(t, err)
	defer stmt.Close()
	var got string
	require.NoError(t, stmt.QueryRowContext(e.Ctx, 1).Scan(&got))
	require.Equal(t, "real", got)

	_, err = conn.ExecContext(e.Ctx, `CREATE TEMPORARY TABLE `+tb+` (id INT, details TEXT)`)
	require.NoError(t, err)
	temp := tb
	if b.TempSchema != "" {
		temp = b.TempSchema + "." + tb
	}
	_, err = conn.ExecContext(e.Ctx, `INSERT INTO `+temp+` (id, details) SELECT id, note FROM `+other)
	if b.TempSchema == "" {
		require.ErrorIs(t, err, sqlseal.ErrRefused, "a planted ciphertext was copied into a table sqlseal opens")
		require.ErrorIs(t, stmt.QueryRowContext(e.Ctx, 1).Scan(&got), sql.ErrNoRows)
		// Nor can the shadow be created holding it.
		_, err = conn.ExecContext(e.Ctx, `DROP TABLE `+temp)
		require.NoError(t, err)
		_, err = conn.ExecContext(e.Ctx, `CREATE TEMPORARY TABLE `+tb+` AS SELECT id, note AS details FROM `+other)
		require.ErrorIs(t, err, sqlseal.ErrRefused)
		_, err = conn.ExecContext(e.Ctx, `CREATE TEMPORARY TABLE `+tb+` (id INT, details TEXT)`)
		require.NoError(t, err)
	} else {
		require.NoError(t, err)
		require.NoError(t, stmt.QueryRowContext(e.Ctx, 1).Scan(&got))
		RequireNotOpened(t, got)
		require.Equal(t, e.RawString(other, "note", 1), got)
	}
	_, err = conn.ExecContext(e.Ctx, `DROP TABLE `+temp)
	require.NoError(t, err)
	require.NoError(t, stmt.QueryRowContext(e.Ctx, 1).Scan(&got))
	require.Equal(t, "real", got)
}
