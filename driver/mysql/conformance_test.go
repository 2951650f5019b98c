package mysql_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestConformance runs sqlseal's behaviour contract against MariaDB.
func TestConformance(t *testing.T) { conformance.Run(t, conformance.MariaDB(t)) }

// TestConformanceKeyTable runs the contract against MariaDB with a key
// table: values are written in the envelope format.
func TestConformanceKeyTable(t *testing.T) {
	conformance.Run(t, conformance.MariaDB(t, conformance.WithKeyTable()))
}
