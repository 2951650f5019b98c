package sqlite_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// The behaviour every backend shares is checked by TestConformance
// (internal/conformance); the tests of this package check what is
// SQLite's own: modernc.org/sqlite's parameter forms (?NNN, :a, @a, $a),
// texts of several statements, STRICT tables.

// newEnv creates a fresh table (id INTEGER PRIMARY KEY, columns) in a
// database file of the test's own whose details column is protected with
// conformance.Key; with columns "" the table is only named.
func newEnv(t *testing.T, columns string) *conformance.Env {
	t.Helper()
	return conformance.NewEnv(t, conformance.SQLite(t), columns)
}
