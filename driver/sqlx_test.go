package driver_test

import (
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// sqlx binds ? for a driver name it does not know, such as "sqlseal":
// PostgreSQL rejects the text, and the refusal says why (the parser's
// message, the position and the kind of token, never the text) and how to
// bind sqlx. Bound as DOLLAR, the same calls seal.
func TestSqlxQuestionPlaceholders(t *testing.T) {
	e := newEnv(t, "name text, details text")
	t.Setenv(config.EnvSecretKey, conformance.Key)
	t.Setenv(config.EnvColumns, e.Table+".details")
	db, err := sqlx.Open(e.B.DriverName, e.B.DSN)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.Equal(t, "sqlseal", e.B.DriverName)

	row := map[string]any{"name": "n", "details": conformance.Details}
	insert := `INSERT INTO ` + e.Table + ` (name, details) VALUES (:name, :details)`
	_, err = db.NamedExec(insert, row)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	msg := err.Error()
	require.Contains(t, msg, "the SQL parser rejects it: syntax error at character ")
	require.Contains(t, msg, `, at the punctuation ","`) // VALUES (?, ?): the parser stops at the comma
	require.Contains(t, msg, `number them $1, $2, ...`)
	require.Contains(t, msg, `sqlx.BindDriver("sqlseal", sqlx.DOLLAR)`)

	// A literal of the statement is never quoted, wherever the parser
	// stops.
	_, err = db.Exec(db.Rebind(`INSERT INTO `+e.Table+` (name, details) VALUES ('`+conformance.RefusedValue+`' 'x', ?)`), "v")
	conformance.RequireRefused(t, err, e.Table+".details", "literal")
	require.Contains(t, err.Error(), "at a string constant")
	require.Zero(t, e.Count(e.Table), "nothing reached the server")

	sqlx.BindDriver(e.B.DriverName, sqlx.DOLLAR)
	t.Cleanup(func() { sqlx.BindDriver(e.B.DriverName, sqlx.UNKNOWN) })
	_, err = db.NamedExec(insert, row)
	require.NoError(t, err)
	e.RequireSealed(1, conformance.Details)
	var got string
	require.NoError(t, db.Get(&got, db.Rebind(`SELECT details FROM `+e.Table+` WHERE name = ?`), "n"))
	require.Equal(t, conformance.Details, got)
}
