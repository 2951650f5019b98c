package driver_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestConformance runs sqlseal's behaviour contract against PostgreSQL.
func TestConformance(t *testing.T) { conformance.Run(t, conformance.Postgres(t)) }

// TestConformanceKeyTable runs the contract against PostgreSQL with a key
// table: values are written in the envelope format.
func TestConformanceKeyTable(t *testing.T) {
	conformance.Run(t, conformance.Postgres(t, conformance.WithKeyTable()))
}
