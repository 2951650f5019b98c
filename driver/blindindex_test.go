package driver_test

import (
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// pgx's own argument forms (named arguments, a leading QueryExecMode, the
// simple protocol as the connection's default) keep blind index terms and
// answer lookups like the extended protocol.
func TestBlindIndexPgxArgumentForms(t *testing.T) {
	e := newEnv(t, "name text, details text, details_bidx bytea UNIQUE")
	cfg := e.Config()
	cfg.BlindIndexes = []string{e.Table + ".details"}
	k, err := codec.DeriveKey(conformance.Key)
	require.NoError(t, err)
	x, err := codec.NewSecretIndexKey(k)
	require.NoError(t, err)
	term := func(v string) []byte { return x.Term([]byte(v), keytable.Label(e.Table, "details")) }
	open := func(mode pgx.QueryExecMode) *sql.DB {
		c, err := pgx.ParseConfig(e.B.DSN)
		require.NoError(t, err)
		c.DefaultQueryExecMode = mode
		conn, err := driver.NewConnector(cfg, c)
		db, err := conformance.OpenPool(t, conn, err)
		require.NoError(t, err)
		return db
	}
	db, simple := open(pgx.QueryExecModeCacheStatement), open(pgx.QueryExecModeSimpleProtocol)

	_, err = db.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES (@name, @details)`, pgx.NamedArgs{"name": "n", "details": "tok-named"})
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES ($1, $2)`, pgx.QueryExecModeSimpleProtocol, "n", "tok-mode")
	require.NoError(t, err)
	_, err = simple.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES ($1, $2)`, "n", "tok-simple")
	require.NoError(t, err)
	for id, v := range map[int64]string{1: "tok-named", 2: "tok-mode", 3: "tok-simple"} {
		e.RequireSealed(id, v)
		require.Equal(t, term(v), e.RawValue(e.Table, "details_bidx", id))
	}

	var id int64
	require.NoError(t, db.QueryRow(`SELECT id FROM `+e.Table+` WHERE details = @tok`, pgx.NamedArgs{"tok": "tok-mode"}).Scan(&id))
	require.Equal(t, int64(2), id)
	require.NoError(t, db.QueryRow(`SELECT id FROM `+e.Table+` WHERE details = $1`, pgx.QueryExecModeExec, "tok-simple").Scan(&id))
	require.Equal(t, int64(3), id)
	require.NoError(t, simple.QueryRow(`SELECT id FROM `+e.Table+` WHERE details IN ($1, 'x')`, "tok-named").Scan(&id))
	require.Equal(t, int64(1), id)
}
