package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/config"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
)

// TestMissingColumnWarnsOncePerConnector: a configured column whose table
// or column does not exist (a misspelling protects nothing) is logged at
// connect, once per column and connector however many connections the pool
// opens, naming the column and never a value.
func TestMissingColumnWarnsOncePerConnector(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	dsn := filepath.Join(t.TempDir(), "app.db")
	plain, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	defer plain.Close()
	_, err = plain.Exec(`CREATE TABLE apps (id INTEGER PRIMARY KEY, details TEXT)`)
	require.NoError(t, err)

	cfg := config.Config{
		SecretKey: "missing-column-test-key-0001",
		Columns:   []string{"apps.details", "apps.detials", "nosuch.details"},
	}
	c, err := sealsqlite.NewConnector(cfg, dsn)
	require.NoError(t, err)
	db := sql.OpenDB(c)
	defer db.Close()

	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 {
		conn, err := db.Conn(ctx)
		require.NoError(t, err)
		conns = append(conns, conn)
	}
	_, err = db.Exec(`INSERT INTO apps (details) VALUES (?)`, "secret-value-1")
	require.NoError(t, err)
	for _, conn := range conns {
		conn.Close()
	}

	out := logs.String()
	require.Equal(t, 2, strings.Count(out, "level=WARN"), out)
	require.Equal(t, 1, strings.Count(out, "column=apps.detials"), out)
	require.Equal(t, 1, strings.Count(out, "column=nosuch.details"), out)
	require.NotContains(t, out, "column=apps.details", out)
	require.NotContains(t, out, "secret-value-1")
	require.NotContains(t, out, cfg.SecretKey)

	// A second connector warns again: it is another configuration.
	c2, err := sealsqlite.NewConnector(cfg, dsn)
	require.NoError(t, err)
	db2 := sql.OpenDB(c2)
	defer db2.Close()
	require.NoError(t, db2.Ping())
	require.Equal(t, 2, strings.Count(logs.String(), "column=nosuch.details"), logs.String())
}
