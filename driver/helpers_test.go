package driver_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// The behaviour every backend shares is checked by TestConformance
// (internal/conformance); the tests of this package check what is
// PostgreSQL's own: pgx's argument forms and protocols, bytea input, the
// session settings PostgreSQL reports, search_path.

// newEnv creates a fresh table (id serial PRIMARY KEY, columns) on the
// PostgreSQL test server whose details column is protected with
// conformance.Key; with columns "" the table is only named.
func newEnv(t *testing.T, columns string) *conformance.Env {
	t.Helper()
	return conformance.NewEnv(t, conformance.Postgres(t), columns)
}
