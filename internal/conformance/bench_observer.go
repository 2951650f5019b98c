package conformance

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// BenchmarkObserver measures what an Observer costs: for each protected
// case, a pool through sqlseal without an observer against one with obs,
// in alternating batches (testdb.BenchRatio), reported as x-unobserved =
// observed / unobserved. The cost of no observer at all is BenchmarkDriver's
// ratio to the plain driver, before and after the hooks.
func BenchmarkObserver(b *testing.B, be *Backend, obs *sqlseal.Observer, setup ...string) {
	f := newBenchFixture(b, be, setup)
	e := &Env{T: b, B: be, Raw: be.Raw}
	cfg := e.ConfigFor(f.prot+".details", f.protBin+".details")
	cfg.Observer = obs
	observed, err := be.Open(b, cfg)
	require.NoError(b, err)
	observed.SetMaxOpenConns(1)
	observed.SetMaxIdleConns(1)
	for _, q := range setup {
		_, err := observed.Exec(q)
		require.NoError(b, err, q)
	}
	for _, c := range []struct {
		name string
		op   benchOp
	}{
		{"UnprotectedSelect", f.selectOp(f.open, true)},
		{"ProtectedSelect", f.selectOp(f.prot, true)},
		{"ProtectedInsert", f.insertOp(f.prot)},
	} {
		b.Run(c.name, func(b *testing.B) {
			done := 0
			testdb.BenchRatio(b, "unobserved", f.sealed, observed, func(b *testing.B, db *sql.DB, _ bool) {
				if err := c.op(db, done); err != nil {
					b.Fatal(err)
				}
				done++
			})
		})
	}
}
