package testdb

import (
	"database/sql"
	"testing"
	"time"
)

// BenchOp is one benchmarked operation through db; sealed tells which side
// runs it (the plain driver's or sqlseal's), so the operation can check
// what that side should see.
type BenchOp func(b *testing.B, db *sql.DB, sealed bool)

// benchWarmup operations run on each side before timing: connections,
// prepared plans and the analysis cache are ready by then.
const benchWarmup = 200

// benchBatch is how many operations run on one side before switching.
const benchBatch = 50

// BenchSides runs op as two sub-benchmarks, plainName (the plain driver)
// then "sqlseal", each reporting its own ns/op and allocations.
func BenchSides(b *testing.B, plainName string, plain, sealed *sql.DB, op BenchOp) {
	for _, side := range []struct {
		name   string
		db     *sql.DB
		sealed bool
	}{{plainName, plain, false}, {"sqlseal", sealed, true}} {
		b.Run(side.name, func(b *testing.B) {
			for range benchWarmup {
				op(b, side.db, side.sealed)
			}
			b.ReportAllocs()
			for b.Loop() {
				op(b, side.db, side.sealed)
			}
		})
	}
}

// BenchRatio runs op through both sides in alternating batches, the plain
// side first in even batches and sqlseal first in odd ones, so that drift
// in the machine and the server affects both alike. It reports each side's
// time per operation and their ratio, x-<plainName> = sqlseal / plain; ns/op
// counts one operation of each side.
func BenchRatio(b *testing.B, plainName string, plain, sealed *sql.DB, op BenchOp) {
	for range benchWarmup {
		op(b, plain, false)
		op(b, sealed, true)
	}
	var plainTime, sealedTime time.Duration
	run := func(db *sql.DB, isSealed bool, n int) time.Duration {
		start := time.Now()
		for range n {
			op(b, db, isSealed)
		}
		return time.Since(start)
	}
	b.ResetTimer()
	for done, k := 0, 0; done < b.N; k++ {
		n := min(benchBatch, b.N-done)
		if k%2 == 0 {
			plainTime += run(plain, false, n)
			sealedTime += run(sealed, true, n)
		} else {
			sealedTime += run(sealed, true, n)
			plainTime += run(plain, false, n)
		}
		done += n
	}
	b.StopTimer()
	b.ReportMetric(float64(plainTime.Nanoseconds())/float64(b.N), plainName+"-ns/op")
	b.ReportMetric(float64(sealedTime.Nanoseconds())/float64(b.N), "sqlseal-ns/op")
	b.ReportMetric(float64(sealedTime)/float64(plainTime), "x-"+plainName)
}
