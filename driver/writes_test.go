package driver_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// Unquoted mixed case folds to lower case, as PostgreSQL folds it: the
// table and the column are the protected ones.
func TestMixedCaseTable(t *testing.T) {
	e := newEnv(t, "details text")
	b := []byte(e.Table)
	b[0] -= 'a' - 'A'
	_, err := e.Sealed.Exec(`INSERT INTO `+string(b)+` (Details) VALUES ($1)`, "x")
	require.NoError(t, err)
	e.RequireSealed(1, "x")
}

// pgx's own argument forms: named arguments it rewrites, and a leading
// QueryExecMode.
func TestPgxArgumentForms(t *testing.T) {
	e := newEnv(t, "name text, details text")
	_, err := e.Sealed.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES (@name, @details)`,
		pgx.NamedArgs{"name": "n", "details": "named"})
	require.NoError(t, err)
	e.RequireSealed(1, "named")

	_, err = e.Sealed.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES ($1, $2)`,
		pgx.QueryExecModeSimpleProtocol, "n", "simple")
	require.NoError(t, err)
	e.RequireSealed(2, "simple")

	var s string
	require.NoError(t, e.Sealed.QueryRow(`SELECT details FROM `+e.Table+` WHERE id = $1`, pgx.QueryExecModeExec, 2).Scan(&s))
	require.Equal(t, "simple", s)
}

// The simple protocol as the default exec mode of the connection, as the
// DSN's default_query_exec_mode=simple_protocol sets it.
func TestSimpleProtocolDSN(t *testing.T) {
	e := newEnv(t, "details text")
	db, err := conformance.OpenPostgres(t, e.Config(), func(c *pgx.ConnConfig) {
		c.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	})
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO `+e.Table+` (details) VALUES ($1)`, conformance.Details)
	require.NoError(t, err)
	e.RequireSealed(1, conformance.Details)
	require.Equal(t, conformance.Details, e.ReadDetailsWith(db, 1))
}

// The parser reads literals as the server does with
// standard_conforming_strings on: a session with it off is refused at
// connect, and a statement turning it off is refused.
func TestConformingStringsOffRefused(t *testing.T) {
	e := newEnv(t, "details text")
	_, err := conformance.OpenPostgres(t, e.Config(), func(c *pgx.ConnConfig) {
		c.RuntimeParams["standard_conforming_strings"] = "off"
	})
	require.ErrorIs(t, err, sqlseal.ErrSQLMode)

	_, err = e.Sealed.Exec(`SET standard_conforming_strings = off`)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
}
