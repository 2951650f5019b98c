package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// BenchmarkHooks measures the observer hooks on the paths they sit on,
// sealing and opening one 1 KiB value: an engine without an observer
// against the same engine with one whose functions do nothing, in
// alternating batches, reported as x-none = with / without. The no-op
// observer does strictly more than no observer (the same nil check, then a
// call), so its ratio bounds what the hooks cost when no observer is set.
// The Control cases run the engine without an observer on both sides:
// their spread is the method's noise.
func BenchmarkHooks(b *testing.B) {
	c := analysis.Column{Table: "t", Name: "c"}
	none := testEngine(b)
	none.labels[c] = label(c)
	withObs := testEngine(b) // the same key
	withObs.labels[c] = label(c)
	withObs.obs = newObserver(&sqlseal.Observer{})
	pt := []byte(strings.Repeat("x", 1024))
	sealed, err := none.seal(sealer{}, pt, c, catalog.KindText)
	if err != nil {
		b.Fatal(err)
	}
	s := slot{col: c, kind: catalog.KindText}
	sealOp := func(e *Engine) error { _, err := e.seal(sealer{}, pt, c, catalog.KindText); return err }
	openOp := func(e *Engine) error { _, err := e.openValue(sealed, s); return err }
	plainOp := func(e *Engine) error { _, err := e.openValue("not sealed", s); return err }
	for _, tc := range []struct {
		name     string
		observed *Engine
		op       func(e *Engine) error
	}{
		{"Seal", withObs, sealOp},
		{"Open", withObs, openOp},
		{"OpenPlaintext", withObs, plainOp},
		{"SealControl", none, sealOp},
		{"OpenControl", none, openOp},
		{"OpenPlaintextControl", none, plainOp},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var tNone, tObs time.Duration
			run := func(e *Engine, n int) time.Duration {
				start := time.Now()
				for range n {
					if err := tc.op(e); err != nil {
						b.Fatal(err)
					}
				}
				return time.Since(start)
			}
			run(none, 100)
			run(tc.observed, 100)
			b.ResetTimer()
			for done, k := 0, 0; done < b.N; k++ {
				n := min(100, b.N-done)
				if k%2 == 0 {
					tNone += run(none, n)
					tObs += run(tc.observed, n)
				} else {
					tObs += run(tc.observed, n)
					tNone += run(none, n)
				}
				done += n
			}
			b.StopTimer()
			b.ReportMetric(float64(tNone.Nanoseconds())/float64(b.N), "none-ns/op")
			b.ReportMetric(float64(tObs.Nanoseconds())/float64(b.N), "observed-ns/op")
			b.ReportMetric(float64(tObs)/float64(tNone), "x-none")
		})
	}
}
