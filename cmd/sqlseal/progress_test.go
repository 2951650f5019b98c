package main

import (
	"strings"
	"testing"
	"time"

	"github.com/sqlseal/sqlseal/internal/rotate"
)

// TestProgressLogShowsRateAndTimeLeft drives the log-line reporter (stderr
// not a terminal) with a fake clock: the periodic line gives rows per
// second and the time left, the end of a phase its rate.
func TestProgressLogShowsRateAndTimeLeft(t *testing.T) {
	var out strings.Builder
	p := newProgress(&out, "rotate-encryption-key")
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return clock }
	p.update(rotate.Progress{Phase: rotate.PhaseRotate, Done: 0, Total: 100000})
	clock = clock.Add(2 * time.Second)
	p.update(rotate.Progress{Phase: rotate.PhaseRotate, Done: 1000, Total: 100000}) // too soon for a line
	clock = clock.Add(8 * time.Second)
	p.update(rotate.Progress{Phase: rotate.PhaseRotate, Done: 20000, Total: 100000})
	clock = clock.Add(40 * time.Second)
	p.update(rotate.Progress{Phase: rotate.PhaseRotate, Done: 100000, Total: 100000})
	p.finishPhase()
	want := strings.Join([]string{
		"sqlseal rotate-encryption-key: rotating 100000 rows",
		"sqlseal rotate-encryption-key: rotating: 20000 of 100000 rows, 2000 rows/s, about 40s left",
		"sqlseal rotate-encryption-key: rotating: 100000 of 100000 rows, 2000 rows/s, about 0s left",
		"sqlseal rotate-encryption-key: rotating: 100000 rows in 50.00s (2000 rows/s)",
		"",
	}, "\n")
	if out.String() != want {
		t.Errorf("progress log:\n%s\nwant:\n%s", out.String(), want)
	}
}
