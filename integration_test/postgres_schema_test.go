package integration_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// TestPGSameNamedTableInAnotherSchemaIsNotOpened: with public.<t>.details
// protected, a table of the same name in another schema is ordinary, and
// a ciphertext copied there is not opened, whether the query names its
// schema or the session's search_path leads the server to it.
func TestPGSameNamedTableInAnotherSchemaIsNotOpened(t *testing.T) {
	e := conformance.NewEnv(t, conformance.Postgres(t), "name text, details text")
	schema := testdb.Name(t, "s")
	e.RawExec(`CREATE SCHEMA ` + schema)
	t.Cleanup(func() { e.Raw.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	other := schema + `.` + e.Table
	e.RawExec(`CREATE TABLE ` + other + ` (id serial PRIMARY KEY, name text, details text)`)
	db := e.Open(e.ConfigFor("public." + e.Table + ".details"))

	_, err := db.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES ($1, $2)`, "public", conformance.Details)
	require.NoError(t, err)
	e.RequireSealed(1, conformance.Details)
	e.RawExec(`INSERT INTO ` + other + ` (name, details) SELECT 'copy', details FROM public.` + e.Table)
	stolen := e.RawValue(other, "details", 1)

	var s string
	require.NoError(t, db.QueryRow(`SELECT details FROM `+other).Scan(&s))
	require.Equal(t, stolen, s, "schema-qualified")

	conn, err := db.Conn(e.Ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(e.Ctx, `SET search_path = `+schema+`, public`)
	require.NoError(t, err)
	require.NoError(t, conn.QueryRowContext(e.Ctx, `SELECT name, details FROM `+e.Table).Scan(new(string), &s))
	require.Equal(t, stolen, s, "the server read %s through search_path; sqlseal opened it as public.%s", other, e.Table)
}
