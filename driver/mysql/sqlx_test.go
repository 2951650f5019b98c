package mysql_test

import (
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// $1 placeholders, as sqlx writes them when the driver name is bound to
// DOLLAR, are column names to MySQL: writing one to a protected column
// looks like copying a column, and the refusal says to write ? and how to
// bind sqlx. Bound as QUESTION, the same calls seal.
func TestSqlxDollarPlaceholders(t *testing.T) {
	e := newEnv(t, "name text, details text")
	t.Setenv(config.EnvSecretKey, conformance.Key)
	t.Setenv(config.EnvColumns, e.Table+".details")
	db, err := sqlx.Open(e.B.DriverName, e.B.DSN)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.Equal(t, "sqlseal-mysql", e.B.DriverName)
	t.Cleanup(func() { sqlx.BindDriver(e.B.DriverName, sqlx.UNKNOWN) })

	row := map[string]any{"name": "n", "details": conformance.Details}
	insert := `INSERT INTO ` + e.Table + ` (name, details) VALUES (:name, :details)`
	sqlx.BindDriver(e.B.DriverName, sqlx.DOLLAR)
	_, err = db.NamedExec(insert, row)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Contains(t, err.Error(), "write ? instead")
	require.Contains(t, err.Error(), `sqlx.BindDriver("sqlseal-mysql", sqlx.QUESTION)`)
	require.Zero(t, e.Count(e.Table), "nothing reached the server")

	sqlx.BindDriver(e.B.DriverName, sqlx.QUESTION)
	_, err = db.NamedExec(insert, row)
	require.NoError(t, err)
	e.RequireSealed(1, conformance.Details)
	var got string
	require.NoError(t, db.Get(&got, `SELECT details FROM `+e.Table+` WHERE name = ?`, "n"))
	require.Equal(t, conformance.Details, got)
}
