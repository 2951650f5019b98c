package driver_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// BenchmarkEnvelopeRatio is BenchmarkRatio on a database with a key table:
// sqlseal writes and reads the envelope format (AES-256-GCM under a data
// key) instead of the Metabase format, on a schema of its own.
func BenchmarkEnvelopeRatio(b *testing.B) {
	f := newBenchFixtureAt(b, testdb.IsolatedPostgres(b), func(raw *sql.DB) {
		master, err := config.Config{SecretKey: testKey}.MasterKey(context.Background())
		require.NoError(b, err)
		flavor, err := keytable.FlavorOf("postgres")
		require.NoError(b, err)
		_, err = keytable.Init(context.Background(), raw, flavor, master)
		require.NoError(b, err)
	})
	var stored string
	require.NoError(b, f.pgx.QueryRow(`SELECT details FROM `+f.prot+` LIMIT 1`).Scan(&stored))
	require.Equal(b, "U1FTA", stored[:5], "the fixture's values are not in the envelope format")
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			testdb.BenchRatio(b, "pgx", f.pgx, f.sealed, f.testdbOp(c))
		})
	}
}
