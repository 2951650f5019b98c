package mysql_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// BenchmarkDriver compares sqlseal with plain go-sql-driver/mysql (see
// conformance.Benchmark).
func BenchmarkDriver(b *testing.B) { conformance.Benchmark(b, conformance.MariaDB(b)) }
