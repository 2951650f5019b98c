package sqlite_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestSameParameterTwice: ?1 bound to details and to an unprotected
// column cannot be both sealed and plain: it is refused. The same
// parameter written twice to details is one value, sealed once.
func TestSameParameterTwice(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	_, err := e.Sealed.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?1, ?1)`, "twice")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Contains(t, err.Error(), e.Table+".details")
	require.Zero(t, e.Count(e.Table))

	for _, v := range []string{"dup", "dup-updated"} {
		_, err = e.Sealed.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES (5, :d) ON CONFLICT(id) DO UPDATE SET details = :d`, sql.Named("d", v))
		require.NoError(t, err)
		e.RequireSealed(5, v)
	}
}

// TestSeveralStatements: modernc.org/sqlite runs every statement of a
// text and binds each statement's parameters from the first argument on.
// sqlseal seals what each statement writes to details, and refuses an
// argument that one statement writes to details and another elsewhere.
func TestSeveralStatements(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	tb := e.Table
	e.Exec(`INSERT INTO `+tb+` (details) VALUES (?); UPDATE `+tb+` SET name = 'second' WHERE id = 1`, "first")
	e.RequireSealed(1, "first")
	require.Equal(t, "second", e.RawString(tb, "name", 1))
	e.Exec(`INSERT INTO `+tb+` (details) VALUES (?); INSERT INTO `+tb+` (details) VALUES (?)`, "both")
	e.RequireSealed(2, "both")
	e.RequireSealed(3, "both")

	_, err := e.Sealed.Exec(`INSERT INTO `+tb+` (name) VALUES (?); INSERT INTO `+tb+` (details) VALUES (?)`, "v1", "v2")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 3, e.Count(tb))
}

// TestStrictTable: a STRICT table's TEXT and BLOB columns accept the
// sealed values as their declared type; an ANY column is refused.
func TestStrictTable(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB", "ANY"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "")
			e.RawExec(`CREATE TABLE ` + e.Table + ` (id INTEGER PRIMARY KEY, details ` + typ + `) STRICT`)
			e.Binary = typ == "BLOB"
			_, err := e.Sealed.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, conformance.Details)
			if typ == "ANY" {
				require.ErrorIs(t, err, sqlseal.ErrColumnType)
				require.Zero(t, e.Count(e.Table))
				return
			}
			require.NoError(t, err)
			e.RequireSealed(1, conformance.Details)
			require.Equal(t, conformance.Details, e.ReadDetails(1))
		})
	}
}

// TestNamedArgumentValues: a named argument bound to :d is a value like
// any other, in a text and a BLOB column, and so through a prepared
// statement.
func TestNamedArgumentValues(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "details "+typ)
			e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (:d)`, sql.Named("d", "named"))
			e.RequireSealed(1, "named")
			require.Equal(t, "named", e.ReadDetails(1))

			named, err := e.Sealed.Prepare(`INSERT INTO ` + e.Table + ` (details) VALUES (:details)`)
			require.NoError(t, err)
			defer named.Close()
			_, err = named.Exec(sql.Named("details", "prepared named"))
			require.NoError(t, err)
			e.RequireSealed(2, "prepared named")
		})
	}
}
