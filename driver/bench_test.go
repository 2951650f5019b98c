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
	sync := os.Getenv("SQLSEAL_BENCH_SYNCHRONOUS_COMMIT")
	if sync == "" {
		sync = "off"
	}
	conformance.Benchmark(b, conformance.Postgres(b), "SET synchronous_commit = "+sync)
}
