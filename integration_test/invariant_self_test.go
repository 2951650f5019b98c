package integration_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/internal/invariant"
)

// The invariant checks can fail: a driver that stores plaintext, and one
// that opens an unprotected column, are both caught.
func TestInvariantHarnessCatchesBrokenPromises(t *testing.T) {
	dsn := "file:" + filepath.Join(t.TempDir(), "self.db")
	raw, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	defer raw.Close()
	key, err := invariantKeyOfT(t)
	require.NoError(t, err)
	h := &invariant.Harness{
		Dialect: invariant.SQLite,
		Names:   invariant.Names{Table: "inv", Other: "inv_o", Schema: "temp", Home: "main"},
		Key:     key,
		Reset: func(ctx context.Context, seal func(string) string) error {
			return execAll(ctx, raw, []string{`DROP TABLE IF EXISTS inv`, `DROP TABLE IF EXISTS inv_o`,
				`CREATE TABLE inv (id INTEGER PRIMARY KEY, name TEXT, details TEXT)`, `CREATE TABLE inv_o (id INTEGER, note TEXT)`},
				[]stmtArgs{{`INSERT INTO inv_o VALUES (1, ?)`, []any{seal("STOLEN:1")}}})
		},
		AtRest: func(ctx context.Context) ([]any, error) {
			return column(ctx, raw, `SELECT details FROM inv WHERE details IS NOT NULL`)
		},
	}

	// The plain driver stores plaintext.
	h.Open = func() (*sql.DB, error) { return sql.Open("sqlite", dsn) }
	err = h.Run([]invariant.Step{{SQL: `INSERT INTO inv (id, details) VALUES (1, 'W:plain')`}})
	require.True(t, errors.Is(err, invariant.ErrBroken), "%v", err)

	// A configuration that protects the other table's column opens it.
	h.Open = func() (*sql.DB, error) {
		return onePool(sealsqlite.NewConnector(config.Config{SecretKey: invariantKey, Columns: []string{"inv.details", "inv_o.note"}}, dsn))
	}
	err = h.Run([]invariant.Step{{SQL: `SELECT note FROM inv_o`, Path: invariant.PathQuery}})
	require.True(t, errors.Is(err, invariant.ErrBroken), "%v", err)

	// sqlseal as configured keeps both promises for the same steps.
	h.Open = func() (*sql.DB, error) {
		return onePool(sealsqlite.NewConnector(config.Config{SecretKey: invariantKey, Columns: []string{"inv.details"}}, dsn))
	}
	require.NoError(t, h.Run([]invariant.Step{
		{SQL: `INSERT INTO inv (id, details) VALUES (1, 'W:plain')`},
		{SQL: `SELECT note FROM inv_o`, Path: invariant.PathQuery},
	}))
}
