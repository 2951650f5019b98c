// Package integration_test runs sqlseal against real database servers in
// the ways that do not fit one scenario of the conformance kit
// (internal/conformance, run by each driver's TestConformance): statements
// generated at random (random_*_test.go), the invariant fuzzers
// (invariant_test.go), concurrent clients, goose migrations and
// PostgreSQL's schemas. Every write test reads the stored value back with
// a plain driver connection to prove it is ciphertext at rest that opens
// to the value written, then reads it through sqlseal to prove the
// application sees the plaintext. Tests skip loudly when a server is
// unreachable and fail under CI; see internal/testdb.
//
// Run them with go test ./integration_test/; the servers default to the
// local PostgreSQL and MariaDB (see internal/testdb for the variables that
// point elsewhere).
package integration_test
