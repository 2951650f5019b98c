package driver_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// These tests attack the driver the way outside testing did: each is a
// class of statement that once stored plaintext in a protected column or
// opened an unprotected one. After every statement the driver lets
// through, the protected column is scanned with plain pgx.

const stolen = "stolen-secret-4e1d"

// requireAtRest proves that every non-NULL value of the protected column
// is ciphertext that opens with testKey.
func (e *env) requireAtRest() {
	e.t.Helper()
	rows, err := e.raw.Query(`SELECT details FROM ` + e.table + ` WHERE details IS NOT NULL`)
	require.NoError(e.t, err)
	defer rows.Close()
	for rows.Next() {
		var v any
		require.NoError(e.t, rows.Scan(&v))
		_, binary := v.([]byte)
		testdb.OpenStored(e.t, testKey, v, binary)
	}
	require.NoError(e.t, rows.Err())
}

// planted returns a valid ciphertext of stolen, as an attacker copies it
// from the protected column into one they can write.
func planted(t *testing.T) string {
	t.Helper()
	k, err := codec.DeriveKey(testKey)
	require.NoError(t, err)
	return k.SealText([]byte(stolen))
}

// requireNotOpened fails if a value read through sqlseal is the plaintext
// of a planted ciphertext.
func requireNotOpened(t *testing.T, got any) {
	t.Helper()
	require.NotContains(t, toString(got), stolen, "an unprotected column was opened")
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// Class 1: pgx binds by position and ignores argument names; so does
// sqlseal.
func TestAttackNamedArguments(t *testing.T) {
	e := newEnv(t, "name text, details text")
	ins := `INSERT INTO ` + e.table + ` (name, details) VALUES ($1, $2)`
	_, err := e.sealed.Exec(ins, "a", sql.Named("details", "named-1"))
	require.NoError(t, err)
	_, err = e.sealed.Exec(ins, sql.Named("zzz", "b"), sql.Named("name", "named-2"))
	require.NoError(t, err)
	stmt, err := e.sealed.Prepare(ins)
	require.NoError(t, err)
	_, err = stmt.Exec("c", sql.Named("x", "named-3"))
	require.NoError(t, err)
	require.NoError(t, stmt.Close())
	var id int
	require.NoError(t, e.sealed.QueryRow(ins+` RETURNING id`, "d", sql.Named("details", "named-4")).Scan(&id))
	e.requireAtRest()
	for i, want := range []string{"named-1", "named-2", "named-3", "named-4"} {
		e.requireSealed(i+1, want)
	}
}

// Classes 2 and 8: with RECURSIVE, a WITH entry sees the entries after it,
// which shadow tables of the same name.
func TestAttackForwardCTE(t *testing.T) {
	e := newEnv(t, "name text, details text")
	e.rawExec(`INSERT INTO `+e.table+` (id, name, details) VALUES (1, $1, $2)`, planted(t), pgSealText(t, testKey, "real"))
	tb := e.table
	write := `WITH RECURSIVE x AS (SELECT id, details FROM ` + tb + `), ` + tb + ` AS (SELECT id, name AS details FROM public.` + tb + `)
		INSERT INTO public.` + tb + ` (id, details) SELECT id + 100, details FROM x`
	_, err := e.sealed.Exec(write)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 1, e.count())
	e.requireAtRest()

	read := `WITH RECURSIVE x AS (SELECT id, details FROM ` + tb + `), ` + tb + ` AS (SELECT id, name AS details FROM public.` + tb + `)
		SELECT details FROM x`
	var got string
	require.NoError(t, e.sealed.QueryRow(read).Scan(&got))
	requireNotOpened(t, got)

	// Without RECURSIVE the later entry is invisible: the table is read
	// and its protected column opened.
	plain := `WITH x AS (SELECT id, details FROM ` + tb + `), ` + tb + ` AS (SELECT id, name AS details FROM public.` + tb + `)
		SELECT details FROM x`
	require.NoError(t, e.sealed.QueryRow(plain).Scan(&got))
	require.Equal(t, "real", got)
}

// Class 3: standard_conforming_strings and client_encoding changed by
// other means than SET. The server reports every change; the next
// statement is refused and the connection discarded.
func TestAttackSessionSettings(t *testing.T) {
	e := newEnv(t, "details text")
	ctx := context.Background()
	for _, change := range []string{
		`SELECT set_config('standard_conforming_strings', 'off', false)`,
		`UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'`,
		`SELECT set_config('client_encoding', 'SJIS', false)`,
	} {
		conn, err := e.sealed.Conn(ctx)
		require.NoError(t, err)
		_, err = conn.ExecContext(ctx, change)
		require.NoError(t, err, change)
		// With backslashes escaping, the server would read one string up
		// to /*' and then store 'plain-exploit' in details; the parser
		// reads details = NULL.
		_, err = conn.ExecContext(ctx, `INSERT INTO `+e.table+` (name, details) VALUES ('a\', /*', 'plain-exploit') -- */ NULL)`)
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, change)
		_, err = conn.ExecContext(ctx, `SELECT 1`)
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, "a broken session stays broken")
		require.NoError(t, conn.Close())
	}
	require.Zero(t, e.count())
	// The pool discarded the broken connections: new statements work.
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (details) VALUES ($1)`, "after")
	require.NoError(t, err)
	e.requireSealed(1, "after")

	for _, q := range []string{`SET client_encoding = 'SJIS'`, `SET NAMES 'BIG5'`, `SET standard_conforming_strings = off`} {
		_, err := e.sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
}

// Class 5: DDL that moves values into a protected column.
func TestAttackDDL(t *testing.T) {
	e := newEnv(t, "name text, details text")
	other := testdb.Name(t, "other")
	e.rawExec(`CREATE TABLE ` + other + ` (id int, details text)`)
	t.Cleanup(func() { e.raw.Exec(`DROP TABLE IF EXISTS ` + other) })
	e.rawExec(`INSERT INTO `+e.table+` (name, details) VALUES ('plain-name', $1)`, pgSealText(t, testKey, "v"))
	db := e.open(config.Config{SecretKey: testKey, Columns: []string{e.table + ".details", e.table + ".extra"}})
	for _, q := range []string{
		`ALTER TABLE ` + e.table + ` ALTER COLUMN details TYPE text USING name`,
		`ALTER TABLE ` + e.table + ` RENAME COLUMN name TO details`,
		`ALTER TABLE ` + other + ` RENAME TO ` + e.table,
		`ALTER TABLE ` + e.table + ` ADD COLUMN extra text DEFAULT 'plain'`,
		`ALTER TABLE ` + e.table + ` ADD COLUMN extra text GENERATED ALWAYS AS (name) STORED`,
		`ALTER TABLE ` + e.table + ` ALTER COLUMN details SET DEFAULT 'plain'`,
	} {
		_, err := db.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	e.requireAtRest()
	var n int
	require.NoError(t, e.raw.QueryRow(`SELECT count(*) FROM information_schema.columns WHERE table_name = $1 AND column_name = 'extra'`, e.table).Scan(&n))
	require.Zero(t, n)
	// DDL that moves nothing is not refused.
	_, err := db.Exec(`ALTER TABLE ` + e.table + ` ADD COLUMN note text DEFAULT 'x'`)
	require.NoError(t, err)
	_, err = db.Exec(`ALTER TABLE ` + e.table + ` ALTER COLUMN details SET DEFAULT NULL`)
	require.NoError(t, err)
}

// Class 6: anonymous code blocks compute their statements on the server.
func TestAttackDynamicSQL(t *testing.T) {
	e := newEnv(t, "details text")
	half := len(e.table) / 2
	do := `DO $$ BEGIN EXECUTE 'INSERT INTO ` + e.table[:half] + `' || '` + e.table[half:] + ` (details) VALUES (''plain'')'; END $$`
	_, err := e.sealed.Exec(do)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Zero(t, e.count())
}

// Class 7: a prepared statement is not opened on a mapping made under
// another search path or before a temporary table shadowed the configured
// one.
func TestAttackPreparedAfterSearchPathChange(t *testing.T) {
	e := newEnv(t, "details text")
	evil := testdb.Name(t, "evil")
	e.rawExec(`CREATE SCHEMA ` + evil)
	t.Cleanup(func() { e.raw.Exec(`DROP SCHEMA IF EXISTS ` + evil + ` CASCADE`) })
	e.rawExec(`CREATE TABLE ` + evil + `.` + e.table + ` (id int, details text)`)
	e.rawExec(`INSERT INTO `+evil+`.`+e.table+` VALUES (1, $1)`, planted(t))
	e.rawExec(`INSERT INTO `+e.table+` (id, details) VALUES (1, $1)`, pgSealText(t, testKey, "real"))

	db := e.open(config.Config{SecretKey: testKey, Columns: []string{"public." + e.table + ".details"}})
	ctx := context.Background()
	for shadow, undo := range map[string]string{
		`SET search_path = ` + evil + `, public`: `RESET search_path`,
		`CREATE TEMP TABLE ` + e.table + ` (id int, details text); INSERT INTO pg_temp.` + e.table + ` SELECT * FROM ` + evil + `.` + e.table: `DROP TABLE pg_temp.` + e.table,
	} {
		conn, err := db.Conn(ctx)
		require.NoError(t, err)
		stmt, err := conn.PrepareContext(ctx, `SELECT details FROM `+e.table+` WHERE id = $1`)
		require.NoError(t, err)
		var got string
		require.NoError(t, stmt.QueryRowContext(ctx, 1).Scan(&got))
		require.Equal(t, "real", got)
		_, err = conn.ExecContext(ctx, shadow)
		require.NoError(t, err, shadow)
		require.NoError(t, stmt.QueryRowContext(ctx, 1).Scan(&got))
		requireNotOpened(t, got)
		require.NoError(t, stmt.Close())
		_, err = conn.ExecContext(ctx, undo)
		require.NoError(t, err)
		require.NoError(t, conn.Close())
	}
}

// Class 9: name cuts values at 63 bytes and char(n) pads them.
func TestAttackColumnTypesThatChangeValues(t *testing.T) {
	for _, ddl := range []string{"details name", "details char(200)", "details character(10)"} {
		e := newEnv(t, "")
		e.rawExec(`CREATE TABLE ` + e.table + ` (id serial PRIMARY KEY, ` + ddl + `)`)
		_, err := e.openErr(sqlsealConfig(e.table))
		require.ErrorIs(t, err, sqlseal.ErrColumnType, ddl)
	}
}

// Class 10: PostgreSQL reads a string written to a bytea column as bytea
// input, and so does sqlseal; a cast to bytea into a text column would
// store the ciphertext's hex.
func TestAttackByteaInput(t *testing.T) {
	e := newEnv(t, "details bytea")
	_, err := e.sealed.Exec(`INSERT INTO ` + e.table + ` (id, details) VALUES (1, '\x706c61696e')`)
	require.NoError(t, err)
	_, err = e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (2, $1)`, `\x706c61696e`)
	require.NoError(t, err)
	_, err = e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (3, $1::bytea)`, `a\\b\101`)
	require.NoError(t, err)
	_, err = e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (4, $1)`, []byte(`\x706c61696e`))
	require.NoError(t, err)
	_, err = e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (5, $1)`, `\q`)
	require.ErrorIs(t, err, sqlseal.ErrUnsupportedValue)
	e.requireAtRest()
	for id, want := range map[int]string{1: "plain", 2: "plain", 3: `a\bA`, 4: `\x706c61696e`} {
		e.requireSealed(id, want)
		var b []byte
		require.NoError(t, e.sealed.QueryRow(`SELECT details FROM `+e.table+` WHERE id = $1`, id).Scan(&b))
		require.Equal(t, want, string(b))
	}

	text := newEnv(t, "details text")
	_, err = text.sealed.Exec(`INSERT INTO `+text.table+` (details) VALUES ($1::bytea)`, "plain")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	_, err = text.sealed.Exec(`INSERT INTO ` + text.table + ` (details) VALUES ('plain'::bytea)`)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Zero(t, text.count())
}

// Class 11: numbers and booleans have no text sqlseal can seal as the
// server would store it.
func TestAttackNumericLiterals(t *testing.T) {
	e := newEnv(t, "details text")
	for _, v := range []string{"123456789", "1e3", "-5", "true"} {
		_, err := e.sealed.Exec(`INSERT INTO ` + e.table + ` (details) VALUES (` + v + `)`)
		require.ErrorIs(t, err, sqlseal.ErrRefused, v)
		require.NotContains(t, err.Error(), v)
	}
	require.Zero(t, e.count())
}

// Class 12: a column named with its schema and table is the protected
// column, and is opened.
func TestAttackThreePartNames(t *testing.T) {
	e := newEnv(t, "details text")
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (1, $1)`, "three")
	require.NoError(t, err)
	var got string
	require.NoError(t, e.sealed.QueryRow(`SELECT public.`+e.table+`.details FROM `+e.table).Scan(&got))
	require.Equal(t, "three", got)
	require.NoError(t, e.sealed.QueryRow(`SELECT public.`+e.table+`.details FROM public.`+e.table).Scan(&got))
	require.Equal(t, "three", got)
}

// Class 14: refusals quote nothing from the statement.
func TestAttackRefusalsQuoteNothing(t *testing.T) {
	e := newEnv(t, "name text, details text")
	for _, q := range []string{
		`UPDATE ` + e.table + ` SET details = "plain-secret-name"`,
		`UPDATE ` + e.table + ` SET details = upper('plain-secret-value')`,
		`UPDATE ` + e.table + ` SET details = "plain-secret-fn"(name)`,
		`INSERT INTO ` + e.table + ` (details) VALUES ('a' 'plain-secret-syntax`,
	} {
		_, err := e.sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		require.False(t, strings.Contains(err.Error(), "plain-secret"), "%v", err)
	}
}

// pgSealText returns v sealed with key as a text column stores it.
func pgSealText(t *testing.T, key, v string) string {
	t.Helper()
	k, err := codec.DeriveKey(key)
	require.NoError(t, err)
	return k.SealText([]byte(v))
}
