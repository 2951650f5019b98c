package sqlite_test

import (
	"testing"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// BenchmarkDriver compares sqlseal with plain modernc.org/sqlite (see
// conformance.Benchmark) on a database file in WAL mode with
// synchronous=NORMAL.
func BenchmarkDriver(b *testing.B) {
	conformance.Benchmark(b, conformance.SQLite(b), "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")
}

// BenchmarkObserver measures the engine's hooks with an Observer whose
// functions do nothing, against no Observer (see
// conformance.BenchmarkObserver).
func BenchmarkObserver(b *testing.B) {
	conformance.BenchmarkObserver(b, conformance.SQLite(b), &sqlseal.Observer{}, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")
}
