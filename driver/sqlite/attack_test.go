package sqlite_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
)

// Classes 1 and 13 of the attacks (the others, which every backend
// shares, are in internal/conformance): modernc.org/sqlite binds a
// positional placeholder to the argument in that position even when it
// has a name, ?NNN and $NNN to argument NNN, and :a, @a and $a all to the
// argument named a. After every statement the driver lets through, the
// protected column is scanned with plain modernc.org/sqlite.
func TestAttackNamedArguments(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	tb := e.Table
	for i, c := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (1, ?, ?)`, []any{"n", sql.Named("tok", "named-1")}},
		{`INSERT INTO ` + tb + ` (id, details, name) VALUES (2, ?2, ?1)`, []any{"n", sql.Named("tok", "named-2")}},
		{`INSERT INTO ` + tb + ` (id, details, name) VALUES (3, $2, $1)`, []any{"n", sql.Named("tok", "named-3")}},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (4, @details)`, []any{sql.Named("details", "named-4")}},
	} {
		_, err := e.Sealed.Exec(c.sql, c.args...)
		require.NoError(t, err, c.sql)
		e.RequireSealed(int64(i+1), "named-"+string(rune('1'+i)))
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
		_, err := e.Sealed.Exec(c.sql, c.args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, c.sql)
	}
	require.Equal(t, 4, e.Count(tb))
	e.RequireAtRest()
}
