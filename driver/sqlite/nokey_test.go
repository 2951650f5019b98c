package sqlite_test

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
)

// TestReadWithoutKeyStatesItOnce: reading a sealed value with no key
// configured fails with sqlseal.ErrNoKey and one statement naming the
// column and the setting, not the sentinel's text repeated after it.
func TestReadWithoutKeyStatesItOnce(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "app.db")
	cols := []string{"apps.details"}
	open := func(key string) *sql.DB {
		c, err := sealsqlite.NewConnector(config.Config{SecretKey: key, Columns: cols}, dsn)
		require.NoError(t, err)
		db := sql.OpenDB(c)
		t.Cleanup(func() { db.Close() })
		return db
	}
	withKey := open("no-key-test-secret-000001")
	_, err := withKey.Exec(`CREATE TABLE apps (id INTEGER PRIMARY KEY, details TEXT)`)
	require.NoError(t, err)
	_, err = withKey.Exec(`INSERT INTO apps (details) VALUES (?)`, "secret-value-2")
	require.NoError(t, err)

	var got string
	err = open("").QueryRow(`SELECT details FROM apps`).Scan(&got)
	require.True(t, errors.Is(err, sqlseal.ErrNoKey), "error %v, want ErrNoKey", err)
	msg := err.Error()
	require.Equal(t, 1, strings.Count(msg, "no encryption key"), msg)
	require.Equal(t, 1, strings.Count(msg, "sqlseal:"), msg)
	require.Contains(t, msg, "apps.details")
	require.Contains(t, msg, "SQLSEAL_ENCRYPTION_SECRET_KEY")
	require.NotContains(t, msg, "secret-value-2")
}

// TestReadUnderAnotherKeyStatesItOnce: a value no configured key opens is
// an error wrapping sqlseal.ErrCannotOpen that says so once.
func TestReadUnderAnotherKeyStatesItOnce(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "app.db")
	cols := []string{"apps.details"}
	open := func(key string, previous ...string) *sql.DB {
		c, err := sealsqlite.NewConnector(config.Config{SecretKey: key, PreviousSecretKeys: previous, Columns: cols}, dsn)
		require.NoError(t, err)
		db := sql.OpenDB(c)
		t.Cleanup(func() { db.Close() })
		return db
	}
	// b writes under key b and still opens key a's values, so that its
	// connection's check of the stored values passes.
	a, b := open("other-key-test-secret-0000a"), open("other-key-test-secret-0000b", "other-key-test-secret-0000a")
	_, err := a.Exec(`CREATE TABLE apps (id INTEGER PRIMARY KEY, details TEXT)`)
	require.NoError(t, err)
	_, err = a.Exec(`INSERT INTO apps (id, details) VALUES (1, ?)`, "under-key-a")
	require.NoError(t, err)
	_, err = b.Exec(`INSERT INTO apps (id, details) VALUES (2, ?)`, "under-key-b")
	require.NoError(t, err)

	var got string
	require.NoError(t, open("other-key-test-secret-0000a").QueryRow(`SELECT details FROM apps WHERE id = 1`).Scan(&got))
	err = open("other-key-test-secret-0000a").QueryRow(`SELECT details FROM apps WHERE id = 2`).Scan(&got)
	require.True(t, errors.Is(err, sqlseal.ErrCannotOpen), "error %v, want ErrCannotOpen", err)
	msg := err.Error()
	require.Equal(t, 1, strings.Count(msg, "sqlseal:"), msg)
	require.Contains(t, msg, "apps.details")
	require.NotContains(t, msg, "manipulated", msg)
	require.NotContains(t, msg, "under-key")
}
