package rotate

import (
	"context"
	"database/sql"
	"sync"
)

// checkChunk is the number of rows the pre-flight pass hands to a checker
// at a time.
const checkChunk = 256

// checkedChunk is what a checker found in a chunk of rows.
type checkedChunk struct {
	counts ColumnSummary
	bad    []Offender
	n      int
}

// checkColumn is the pre-flight pass over one column: one goroutine reads
// the rows while max(Workers, 1) others check that the values open
// (keys.check), so that reading and checking overlap. Counts and
// offenders go to c and r.sum; progress is reported from the calling
// goroutine.
func (r *rotation) checkColumn(ctx context.Context, db *sql.DB, j *job, c *ColumnSummary) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []row, 4)
	results := make(chan checkedChunk, 4)
	var scanErr error
	scanDone := make(chan struct{})
	go func() {
		defer close(scanDone)
		defer close(chunks)
		buf := make([]row, 0, checkChunk)
		scanErr = scan(ctx, db, j, func(key []any, v value) {
			buf = append(buf, row{key: append([]any(nil), key...), val: v})
			if len(buf) == checkChunk {
				select {
				case chunks <- buf:
				case <-ctx.Done():
				}
				buf = make([]row, 0, checkChunk)
			}
		})
		if scanErr == nil && len(buf) > 0 {
			select {
			case chunks <- buf:
			case <-ctx.Done():
			}
		}
	}()
	var wg sync.WaitGroup
	for range max(r.opts.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rows := range chunks {
				var out checkedChunk
				out.n = len(rows)
				for _, rw := range rows {
					a := r.keys.check(rw.val, j.kind, j.label)
					out.counts.count(a)
					if a == actBad {
						out.bad = append(out.bad, Offender{Column: j.name, Key: formatKey(j.keys, rw.key)})
					}
				}
				results <- out
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	for out := range results {
		c.add(out.counts)
		r.addBad(out.bad)
		before := r.done
		r.done += int64(out.n)
		if r.done/1000 != before/1000 {
			r.report(PhaseCheck)
		}
	}
	<-scanDone
	return scanErr
}
