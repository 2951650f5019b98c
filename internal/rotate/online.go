package rotate

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// online rewrites each column batch by batch, one transaction per batch.
//
// One goroutine reads the batches in key order, each a key range, on a
// connection of its own; Workers goroutines open and seal their values;
// Workers more write them, each batch in its own transaction on its own
// connection. Reading and sealing the next batches overlaps writing the
// previous ones, and with several workers the ranges are written in
// parallel. The
// rows are read outside the transaction that writes them; the
// compare-and-swap statement writes a row only if it still holds the value
// read, and rows that changed are re-read in the transaction and settled
// one by one, so concurrent application writes are never overwritten. A
// batch that fails with a deadlock or serialization error is retried.
//
// Progress and the summary are updated from the calling goroutine, batch
// by batch as they finish. If the rotation stops (an error, a cancelled
// context, a crash), every batch is either committed or not, and every
// row holds either its old or its new value: running the rotation again
// finishes it.
func (r *rotation) online(ctx context.Context, db *sql.DB, jobs []*job, missing []bool) error {
	for i, j := range jobs {
		if missing[i] {
			continue
		}
		if err := r.onlineColumn(ctx, db, i, j); err != nil {
			return err
		}
	}
	return nil
}

// batchOutcome is what a worker reports for one batch.
type batchOutcome struct {
	res batchResult
	err error
}

// onlineColumn rotates column i (job j) online.
func (r *rotation) onlineColumn(ctx context.Context, db *sql.DB, i int, j *job) error {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(r.opts.Workers, 1)
	batches := make(chan []row, workers)
	ready := make(chan prepared, workers)
	outcomes := make(chan batchOutcome, workers)
	var readErr error
	readerDone := make(chan struct{})
	go func() { // the reader
		defer close(readerDone)
		defer close(batches)
		var after []any
		for {
			rows, err := readBatch(ctx, db, j, after)
			if err != nil {
				readErr = err
				return
			}
			if len(rows) > 0 {
				select {
				case batches <- rows:
				case <-ctx.Done():
					return
				}
			}
			if len(rows) < j.batch {
				return
			}
			after = rows[len(rows)-1].key
		}
	}()
	var preparers sync.WaitGroup
	for range workers {
		preparers.Add(1)
		go func() { // open and seal, while earlier batches are written
			defer preparers.Done()
			for rows := range batches {
				p, err := r.prepareRows(j, rows)
				if err != nil { // cannot happen online
					outcomes <- batchOutcome{p.res, err}
					return
				}
				select {
				case ready <- p:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		preparers.Wait()
		close(ready)
	}()
	var writers sync.WaitGroup
	for range workers {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for p := range ready {
				res, err := r.onlineBatch(ctx, db, j, p)
				outcomes <- batchOutcome{res, err}
				if err != nil {
					return
				}
			}
		}()
	}
	go func() {
		writers.Wait()
		preparers.Wait()
		close(outcomes)
	}()

	var first error
	for o := range outcomes {
		if o.err != nil {
			if first == nil {
				first = o.err
				cancel() // stop the reader and the other workers
			}
			continue
		}
		r.sum.Columns[i].add(o.res.counts)
		r.batchDone(j, o.res)
	}
	// Every worker has returned; the reader stops at the latest when
	// cancelled.
	cancel()
	<-readerDone
	switch {
	case parent.Err() != nil:
		return fmt.Errorf("sqlseal: rotation of %s stopped; run it again to finish: %w", j.name, parent.Err())
	case first != nil:
		return first
	case readErr != nil:
		return readErr
	}
	return nil
}

// onlineBatch writes one batch in its own transaction, retrying it after
// a pause when the database aborts it for a deadlock, a serialization
// failure or a lock timeout.
func (r *rotation) onlineBatch(ctx context.Context, db *sql.DB, j *job, p prepared) (batchResult, error) {
	for attempt := 0; ; attempt++ {
		res, err := r.batchTx(ctx, db, j, p)
		if err == nil || attempt == r.retries || !retryable(err) {
			return res, err
		}
		pause := time.Duration(10<<attempt)*time.Millisecond + time.Duration(rand.IntN(10))*time.Millisecond
		select {
		case <-ctx.Done():
			return res, err
		case <-time.After(pause):
		}
	}
}

// batchTx writes the prepared batch p of j in a transaction of its own.
func (r *rotation) batchTx(ctx context.Context, db *sql.DB, j *job, p prepared) (batchResult, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return batchResult{}, fmt.Errorf("sqlseal: beginning a transaction: %w", err)
	}
	defer tx.Rollback()
	if err := lock(ctx, tx, j); err != nil {
		return batchResult{}, err
	}
	res, err := r.writePrepared(ctx, tx, j, p)
	if err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("sqlseal: committing a batch of %s: %w", j.name, err)
	}
	return res, nil
}
