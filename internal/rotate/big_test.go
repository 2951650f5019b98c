package rotate

import (
	"database/sql"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sqlseal/sqlseal/internal/testdb"
)

// heapSampler records the peak of the Go heap (live and unswept objects)
// while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func startHeapSampler() *heapSampler {
	runtime.GC()
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(s.done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends sampling and returns the peak in bytes.
func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	<-s.done
	return s.peak.Load()
}

// peakRSS returns the process's resident-set high-water mark (VmHWM) in
// KiB, or 0 where /proc is not available.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			for _, f := range strings.Fields(rest) {
				for _, c := range f {
					if c < '0' || c > '9' {
						return kb
					}
					kb = kb*10 + int64(c-'0')
				}
				return kb
			}
		}
	}
	return 0
}

// TestRotateMillionRows rotates 1,000,000 rows on PostgreSQL in both modes
// and checks that memory stays flat: the peak Go heap must stay far below
// the size of the column (about 400 MB). It takes minutes, so it runs
// only with SQLSEAL_BIG=1:
//
//	SQLSEAL_BIG=1 go test -run TestRotateMillionRows -v -timeout 30m ./internal/rotate
func TestRotateMillionRows(t *testing.T) {
	if os.Getenv("SQLSEAL_BIG") == "" {
		t.Skip("set SQLSEAL_BIG=1 to rotate 1,000,000 rows")
	}
	const n = 1000000
	db, err := sql.Open("pgx", testdb.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table := testdb.Name(t, "big")
	fillBenchTable(t, Postgres, db, table, n, 256, mustKey(t, secretOld))
	defer db.Exec("DROP TABLE " + table)
	var size int64
	if err := db.QueryRow("SELECT SUM(octet_length(details)) FROM " + table).Scan(&size); err != nil {
		t.Fatal(err)
	}
	t.Logf("column data: %d MB in %d rows", size>>20, n)

	from, to := secretOld, secretNew
	for _, online := range []bool{false, true} {
		rssBefore := peakRSS()
		s := startHeapSampler()
		start := time.Now()
		sum, err := Rotate(bg, db, Options{Family: Postgres, Config: config1(table, from, to), NewSecret: to, Online: online})
		elapsed := time.Since(start)
		peak := s.Stop()
		if err != nil {
			t.Fatal(err)
		}
		if sum.Columns[0].Resealed != n {
			t.Fatalf("resealed %d rows, want %d", sum.Columns[0].Resealed, n)
		}
		t.Logf("%s: %d rows in %.1fs (%.0f rows/s), peak Go heap %.1f MB, process peak RSS %d MB (before: %d MB)",
			sum.Mode, n, elapsed.Seconds(), n/elapsed.Seconds(), float64(peak)/(1<<20), peakRSS()>>10, rssBefore>>10)
		if limit := uint64(size / 8); peak > limit {
			t.Errorf("peak heap %d MB: memory grows with the table (limit %d MB)", peak>>20, limit>>20)
		}
		from, to = to, from
	}
}
