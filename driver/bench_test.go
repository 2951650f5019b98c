package driver_test

import (
	"os"
	"testing"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// BenchmarkDriver compares sqlseal with plain pgx (see
// conformance.Benchmark). Commits are asynchronous
// (synchronous_commit=off for these sessions), so that INSERT measures the
// drivers and the server rather than the disk's fsync latency;
// SQLSEAL_BENCH_SYNCHRONOUS_COMMIT=on measures with the server's durable
// commits instead.
func BenchmarkDriver(b *testing.B) {
	conformance.Benchmark(b, conformance.Postgres(b), synchronousCommit())
}

// BenchmarkDriverKeyTable is BenchmarkDriver on a database with a key
// table: sqlseal writes and reads the envelope format (AES-256-GCM under a
// data key) instead of the Metabase format.
func BenchmarkDriverKeyTable(b *testing.B) {
	conformance.Benchmark(b, conformance.Postgres(b, conformance.WithKeyTable()), synchronousCommit())
}

// synchronousCommit is the session setting of the benchmarks' commits.
func synchronousCommit() string {
	sync := os.Getenv("SQLSEAL_BENCH_SYNCHRONOUS_COMMIT")
	if sync == "" {
		sync = "off"
	}
	return "SET synchronous_commit = " + sync
}
