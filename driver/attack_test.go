package driver_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// These tests attack the driver the way outside testing did, with the
// classes of statement that are PostgreSQL's own (the others are in
// internal/conformance's attacks): each once stored plaintext in a
// protected column or opened an unprotected one. After every statement the
// driver lets through, the protected column is scanned with plain pgx.

// Class 1: pgx binds by position and ignores argument names; so does
// sqlseal.
func TestAttackNamedArguments(t *testing.T) {
	e := newEnv(t, "name text, details text")
	ins := `INSERT INTO ` + e.Table + ` (name, details) VALUES ($1, $2)`
	_, err := e.Sealed.Exec(ins, "a", sql.Named("details", "named-1"))
	require.NoError(t, err)
	_, err = e.Sealed.Exec(ins, sql.Named("zzz", "b"), sql.Named("name", "named-2"))
	require.NoError(t, err)
	stmt, err := e.Sealed.Prepare(ins)
	require.NoError(t, err)
	_, err = stmt.Exec("c", sql.Named("x", "named-3"))
	require.NoError(t, err)
	require.NoError(t, stmt.Close())
	var id int
	require.NoError(t, e.Sealed.QueryRow(ins+` RETURNING id`, "d", sql.Named("details", "named-4")).Scan(&id))
	e.RequireAtRest()
	for i, want := range []string{"named-1", "named-2", "named-3", "named-4"} {
		e.RequireSealed(int64(i+1), want)
	}
}

// Class 3: standard_conforming_strings and client_encoding changed by
// other means than SET. The server reports every change; the next
// statement is refused and the connection discarded.
func TestAttackSessionSettings(t *testing.T) {
	e := newEnv(t, "name text, details text")
	ctx := context.Background()
	for _, change := range []string{
		`SELECT set_config('standard_conforming_strings', 'off', false)`,
		`UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'`,
		`SELECT set_config('client_encoding', 'SJIS', false)`,
	} {
		conn, err := e.Sealed.Conn(ctx)
		require.NoError(t, err)
		_, err = conn.ExecContext(ctx, change)
		require.NoError(t, err, change)
		// With backslashes escaping, the server would read one string up
		// to /*' and then store 'plain-exploit' in details; the parser
		// reads details = NULL.
		_, err = conn.ExecContext(ctx, `INSERT INTO `+e.Table+` (name, details) VALUES ('a\', /*', 'plain-exploit') -- */ NULL)`)
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, change)
		_, err = conn.ExecContext(ctx, `SELECT 1`)
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, "a broken session stays broken")
		require.NoError(t, conn.Close())
	}
	require.Zero(t, e.Count(e.Table))
	// The pool discarded the broken connections: new statements work.
	_, err := e.Sealed.Exec(`INSERT INTO `+e.Table+` (details) VALUES ($1)`, "after")
	require.NoError(t, err)
	e.RequireSealed(1, "after")

	for _, q := range []string{`SET client_encoding = 'SJIS'`, `SET NAMES 'BIG5'`, `SET standard_conforming_strings = off`} {
		_, err := e.Sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
}

// Class 7: a prepared statement is not opened on a mapping made under
// another search path. (A temporary table that shadows the configured one
// is attacks/prepared_after_temporary_table of the conformance kit.)
func TestAttackPreparedAfterSearchPathChange(t *testing.T) {
	e := newEnv(t, "details text")
	evil := testdb.Name(t, "evil")
	e.RawExec(`CREATE SCHEMA ` + evil)
	t.Cleanup(func() { e.Raw.Exec(`DROP SCHEMA IF EXISTS ` + evil + ` CASCADE`) })
	e.RawExec(`CREATE TABLE ` + evil + `.` + e.Table + ` (id int, details text)`)
	e.RawExec(`INSERT INTO `+evil+`.`+e.Table+` VALUES (1, $1)`, conformance.Planted(t))
	e.RawExec(`INSERT INTO `+e.Table+` (id, details) VALUES (1, $1)`, conformance.SealText(t, conformance.Key, "real"))

	db := e.Open(e.ConfigFor("public." + e.Table + ".details"))
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	stmt, err := conn.PrepareContext(ctx, `SELECT details FROM `+e.Table+` WHERE id = $1`)
	require.NoError(t, err)
	defer stmt.Close()
	var got string
	require.NoError(t, stmt.QueryRowContext(ctx, 1).Scan(&got))
	require.Equal(t, "real", got)
	_, err = conn.ExecContext(ctx, `SET search_path = `+evil+`, public`)
	require.NoError(t, err)
	require.NoError(t, stmt.QueryRowContext(ctx, 1).Scan(&got))
	conformance.RequireNotOpened(t, got)
	_, err = conn.ExecContext(ctx, `RESET search_path`)
	require.NoError(t, err)
	require.NoError(t, stmt.QueryRowContext(ctx, 1).Scan(&got))
	require.Equal(t, "real", got)
}

// Class 10: PostgreSQL reads a string written to a bytea column as bytea
// input, and so does sqlseal; a cast to bytea into a text column would
// store the ciphertext's hex.
func TestAttackByteaInput(t *testing.T) {
	e := newEnv(t, "details bytea")
	_, err := e.Sealed.Exec(`INSERT INTO ` + e.Table + ` (id, details) VALUES (1, '\x706c61696e')`)
	require.NoError(t, err)
	_, err = e.Sealed.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES (2, $1)`, `\x706c61696e`)
	require.NoError(t, err)
	_, err = e.Sealed.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES (3, $1::bytea)`, `a\\b\101`)
	require.NoError(t, err)
	_, err = e.Sealed.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES (4, $1)`, []byte(`\x706c61696e`))
	require.NoError(t, err)
	_, err = e.Sealed.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES (5, $1)`, `\q`)
	require.ErrorIs(t, err, sqlseal.ErrUnsupportedValue)
	e.RequireAtRest()
	for id, want := range map[int64]string{1: "plain", 2: "plain", 3: `a\bA`, 4: `\x706c61696e`} {
		e.RequireSealed(id, want)
		var b []byte
		require.NoError(t, e.Sealed.QueryRow(`SELECT details FROM `+e.Table+` WHERE id = $1`, id).Scan(&b))
		require.Equal(t, want, string(b))
	}

	text := newEnv(t, "details text")
	_, err = text.Sealed.Exec(`INSERT INTO `+text.Table+` (details) VALUES ($1::bytea)`, "plain")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	_, err = text.Sealed.Exec(`INSERT INTO ` + text.Table + ` (details) VALUES ('plain'::bytea)`)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Zero(t, text.Count(text.Table))
}
