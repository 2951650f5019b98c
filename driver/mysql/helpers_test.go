package mysql_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// The behaviour every backend shares is checked by TestConformance
// (internal/conformance); the tests of this package check what is MySQL's
// and MariaDB's own: go-sql-driver's DSN options (interpolateParams,
// multiStatements, charset), sql_mode, MariaDB's RETURNING, multi-table
// UPDATE.

// newEnv creates a fresh table (id INT AUTO_INCREMENT PRIMARY KEY,
// columns) on the MySQL/MariaDB test server whose details column is
// protected with conformance.Key; with columns "" the table is only named.
func newEnv(t *testing.T, columns string) *conformance.Env {
	t.Helper()
	return conformance.NewEnv(t, conformance.MariaDB(t), columns)
}

// requireMariaDB skips a test of MariaDB-only syntax on another server.
func requireMariaDB(e *conformance.Env) {
	e.T.Helper()
	var version string
	require.NoError(e.T, e.Raw.QueryRow("SELECT VERSION()").Scan(&version))
	if !strings.Contains(version, "MariaDB") {
		e.T.Skip("MariaDB syntax; server is " + version)
	}
}
