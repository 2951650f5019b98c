package sqlite_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestConformance runs sqlseal's behaviour contract against SQLite.
func TestConformance(t *testing.T) { conformance.Run(t, conformance.SQLite(t)) }

// TestConformanceKeyTable runs the contract against SQLite with a key
// table: values are written in the envelope format.
func TestConformanceKeyTable(t *testing.T) {
	conformance.Run(t, conformance.SQLite(t, conformance.WithKeyTable()))
}
