package mysql_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestConformance runs sqlseal's behaviour contract against MariaDB.
func TestConformance(t *testing.T) { conformance.Run(t, conformance.MariaDB(t)) }
