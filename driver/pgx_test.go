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
	db, err := conformance.OpenPostgres(e, func(c *pgx.ConnConfig) {
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
	_, err := conformance.OpenPostgres(e, func(c *pgx.ConnConfig) {
		c.RuntimeParams["standard_conforming_strings"] = "off"
	})
	require.ErrorIs(t, err, sqlseal.ErrSQLMode)

	_, err = e.Sealed.Exec(`SET standard_conforming_strings = off`)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
}

// Statements that touch no protected column behave exactly as under plain
// pgx, with PostgreSQL's own types too (numeric, timestamptz, arrays,
// jsonb, bytea): same values, same column types, same errors. The
// portable part of this is reads/unprotected_statements_behave_as_plain_driver.
func TestUnprotectedStatementsBehaveAsPgx(t *testing.T) {
	e := newEnv(t, "name text, details text")
	plain := e.Name("plain")
	e.Create(plain, "n numeric, ts timestamptz, tags text[], doc jsonb, b bytea, details text")
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
