package driver

import (
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/backend/postgres"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// Each distinct SQL text is analysed once per process, however many
// connectors, connections, paths and executions use it.
func TestEachTextAnalysedOnce(t *testing.T) {
	dsn := testdb.Postgres(t)
	table := testdb.Name(t, "cache")
	cfg := config.Config{SecretKey: "cache-test-key-0123456789", Columns: []string{table + ".details"}}
	probe, err := engine.New(postgres.Backend, cfg, nil) // shares the process-wide cache
	require.NoError(t, err)

	connConfig, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	var dbs []*sql.DB
	for range 2 {
		c, err := NewConnector(cfg, connConfig)
		require.NoError(t, err)
		db := sql.OpenDB(c)
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	_, err = dbs[0].Exec(`CREATE TABLE ` + table + ` (id serial PRIMARY KEY, details text)`)
	require.NoError(t, err)
	t.Cleanup(func() { dbs[0].Exec(`DROP TABLE IF EXISTS ` + table) })

	insert := `INSERT INTO ` + table + ` (details) VALUES ($1)`
	sel := `SELECT details FROM ` + table + ` WHERE id = $1`
	before := probe.Analyses()
	for i := range 20 {
		db := dbs[i%2]
		_, err := db.Exec(insert, "v")
		require.NoError(t, err)
		var s string
		require.NoError(t, db.QueryRow(sel, 1).Scan(&s))
		require.Equal(t, "v", s)
		stmt, err := db.Prepare(sel)
		require.NoError(t, err)
		require.NoError(t, stmt.QueryRow(1).Scan(&s))
		stmt.Close()
	}
	require.Equal(t, int64(2), probe.Analyses()-before)
}
