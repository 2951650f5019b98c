package sqlite_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// These tests attack the driver the way outside testing did: each is a
// class of statement that once stored plaintext in a protected column or
// opened an unprotected one. After every statement the driver lets
// through, the protected column is scanned with plain modernc.org/sqlite.

const stolen = "stolen-secret-4e1d"

// requireAtRest proves that every non-NULL value of the protected column
// is ciphertext that opens with testKey.
func (e *env) requireAtRest() {
	e.t.Helper()
	rows, err := e.raw.Query(`SELECT details FROM "` + e.table + `" WHERE details IS NOT NULL`)
	require.NoError(e.t, err)
	defer rows.Close()
	for rows.Next() {
		var v any
		require.NoError(e.t, rows.Scan(&v))
		testdb.OpenStored(e.t, testKey, v, e.binary)
	}
	require.NoError(e.t, rows.Err())
}

// requireNotOpened fails if a value read through sqlseal is the plaintext
// of a planted ciphertext.
func requireNotOpened(t *testing.T, got string) {
	t.Helper()
	require.NotContains(t, got, stolen, "an unprotected column was opened")
}

// Classes 1 and 13: modernc.org/sqlite binds a positional placeholder to
// the argument in that position even when it has a name, ?NNN and $NNN to
// argument NNN, and :a, @a and $a all to the argument named a.
func TestAttackNamedArguments(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	tb := e.table
	for i, c := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (1, ?, ?)`, []any{"n", sql.Named("tok", "named-1")}},
		{`INSERT INTO ` + tb + ` (id, details, name) VALUES (2, ?2, ?1)`, []any{"n", sql.Named("tok", "named-2")}},
		{`INSERT INTO ` + tb + ` (id, details, name) VALUES (3, $2, $1)`, []any{"n", sql.Named("tok", "named-3")}},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (4, @details)`, []any{sql.Named("details", "named-4")}},
	} {
		_, err := e.sealed.Exec(c.sql, c.args...)
		require.NoError(t, err, c.sql)
		e.requireSealed(i+1, "named-"+string(rune('1'+i)))
	}
	for _, c := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (9, ?1, :a)`, []any{sql.Named("a", "s")}},
		{`INSERT INTO ` + tb + ` (id, details, name) VALUES (9, ?1, :a)`, []any{sql.Named("a", "s")}},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (9, $a, :a)`, []any{sql.Named("a", "s")}},
		{`INSERT INTO ` + tb + ` (id, details, name) VALUES (9, :a, ?1)`, []any{"p", sql.Named("a", "s")}},
	} {
		_, err := e.sealed.Exec(c.sql, c.args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, c.sql)
	}
	require.Equal(t, 4, e.count(tb))
	e.requireAtRest()
}

// Classes 2 and 8: every entry of a SQLite WITH clause sees every other,
// with or without RECURSIVE.
func TestAttackForwardCTE(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	e.rawExec(`INSERT INTO `+e.table+` (id, name, details) VALUES (1, ?, ?)`, sealText(t, testKey, stolen), sealText(t, testKey, "real"))
	tb := e.table
	with := `WITH x AS (SELECT id, details FROM ` + tb + `), ` + tb + ` AS (SELECT id, name AS details FROM main.` + tb + `) `
	_, err := e.sealed.Exec(with + `INSERT INTO main.` + tb + ` (id, details) SELECT id + 100, details FROM x`)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 1, e.count(tb))
	e.requireAtRest()
	var got string
	require.NoError(t, e.sealed.QueryRow(with+`SELECT details FROM x`).Scan(&got))
	requireNotOpened(t, got)
}

// Class 5: DDL that moves values into a protected column.
func TestAttackDDL(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	e.rawExec(`CREATE TABLE other (id INTEGER, details TEXT)`)
	e.rawExec(`INSERT INTO `+e.table+` (name, details) VALUES ('plain-name', ?)`, sealText(t, testKey, "v"))
	db := e.open(config.Config{SecretKey: testKey, Columns: []string{e.table + ".details", e.table + ".extra", "fresh.details"}})
	for _, q := range []string{
		`ALTER TABLE ` + e.table + ` RENAME COLUMN name TO details`,
		`ALTER TABLE ` + e.table + ` RENAME name TO "DETAILS"`,
		`ALTER TABLE other RENAME TO ` + e.table,
		`ALTER TABLE ` + e.table + ` ADD COLUMN extra TEXT DEFAULT 'plain'`,
		`ALTER TABLE ` + e.table + ` ADD extra TEXT GENERATED ALWAYS AS (name) VIRTUAL`,
		`CREATE TABLE fresh (id INTEGER, details TEXT DEFAULT 'plain')`,
		`CREATE TABLE fresh (id INTEGER, name TEXT, details TEXT AS (name))`,
	} {
		_, err := db.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	e.requireAtRest()
	_, err := db.Exec(`CREATE TABLE fresh (id INTEGER, details TEXT DEFAULT NULL, note TEXT DEFAULT 'x')`)
	require.NoError(t, err)
	_, err = db.Exec(`ALTER TABLE ` + e.table + ` ADD COLUMN note TEXT DEFAULT 'x'`)
	require.NoError(t, err)
}

// Class 7: a prepared statement is not opened after a temporary table
// shadows the configured one, nor after the first table of a SELECT * over
// two gains a column.
func TestAttackPreparedAfterSchemaChange(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.rawExec(`INSERT INTO `+e.table+` (id, details) VALUES (1, ?)`, sealText(t, testKey, "real"))
	db := e.open(config.Config{SecretKey: testKey, Columns: []string{"main." + e.table + ".details"}})
	db.SetMaxOpenConns(1)
	stmt, err := db.Prepare(`SELECT details FROM ` + e.table + ` WHERE id = ?`)
	require.NoError(t, err)
	defer stmt.Close()
	var got string
	require.NoError(t, stmt.QueryRow(1).Scan(&got))
	require.Equal(t, "real", got)
	_, err = db.Exec(`CREATE TEMP TABLE ` + e.table + ` (id INTEGER, details TEXT)`)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO temp.`+e.table+` VALUES (1, ?)`, sealText(t, testKey, stolen))
	require.NoError(t, err)
	require.NoError(t, stmt.QueryRow(1).Scan(&got))
	requireNotOpened(t, got)

	// SELECT * over two tables: after the first gains a column, the one
	// now at the protected column's old position holds a planted
	// ciphertext and is not opened.
	star := newEnv(t, "pad TEXT, details TEXT")
	star.rawExec(`CREATE TABLE other (note TEXT)`)
	star.rawExec(`INSERT INTO other VALUES ('n')`)
	star.rawExec(`INSERT INTO `+star.table+` (id, pad, details) VALUES (1, ?, ?)`, sealText(t, testKey, stolen), sealText(t, testKey, "real"))
	ctx := context.Background()
	conn, err := star.sealed.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	sel, err := conn.PrepareContext(ctx, `SELECT * FROM other, `+star.table)
	require.NoError(t, err)
	defer sel.Close()
	read := func() []string {
		rows, err := sel.QueryContext(ctx)
		require.NoError(t, err)
		defer rows.Close()
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
	require.Equal(t, "real", read()[3]) // note, id, pad, details
	star.rawExec(`ALTER TABLE other ADD COLUMN extra TEXT`)
	got2 := read() // note, extra, id, pad, details
	require.Equal(t, "real", got2[4])
	for _, v := range got2 {
		requireNotOpened(t, v)
	}
}

// Class 11: numbers and booleans, whose text SQLite converts (1e3 is stored
// as 1000.0), are refused.
func TestAttackNumericLiterals(t *testing.T) {
	e := newEnv(t, "details TEXT")
	for _, v := range []string{"123456789", "1e3", "-5", "TRUE", "0x10"} {
		_, err := e.sealed.Exec(`INSERT INTO ` + e.table + ` (details) VALUES (` + v + `)`)
		require.ErrorIs(t, err, sqlseal.ErrRefused, v)
	}
	require.Zero(t, e.count(e.table))
}

// Class 12: schema.table.column is the protected column.
func TestAttackThreePartNames(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, "three")
	var got string
	require.NoError(t, e.sealed.QueryRow(`SELECT main.`+e.table+`.details FROM `+e.table).Scan(&got))
	require.Equal(t, "three", got)
}

// Class 14: a double-quoted string SQLite reads as a literal is not quoted
// in the refusal.
func TestAttackRefusalsQuoteNothing(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	for _, q := range []string{
		`UPDATE ` + e.table + ` SET details = "plain-secret"`,
		`UPDATE ` + e.table + ` SET details = upper('plain-secret')`,
		`INSERT INTO ` + e.table + ` (details) SELECT "plain-secret"`,
	} {
		_, err := e.sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		require.False(t, strings.Contains(err.Error(), "plain-secret"), "%v", err)
	}
}
