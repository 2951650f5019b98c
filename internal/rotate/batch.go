package rotate

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// batchResult is what one batch did.
type batchResult struct {
	counts    ColumnSummary
	conflicts []Offender
	n         int   // rows read
	last      []any // key of the last row read
	// bad lists the unopenable values of the batch, when the rotation
	// collects them instead of stopping at the first (see
	// rotation.collectBad).
	bad []Offender
}

// prepared is a batch whose new values are computed: what it did to the
// rows it leaves alone, and the rows to write.
type prepared struct {
	res    batchResult
	writes []pending
}

// prepareRows opens and seals the values of rows, read in key order,
// without touching the database: the crypto of a batch, which runs while
// the batch before is being written. writePrepared then writes them with
// one compare-and-swap statement per batch (see casBatch), or a few for a
// batch too large for one, and settles one by one the rows that changed
// since they were read.
//
// An unopenable value (written since the pre-flight pass) is an error that
// rolls everything back in the default mode; online it is left as it is
// and reported. With r.collectBad the batch only records it in res.bad,
// and nothing is written once one has been seen.
func (r *rotation) prepareRows(j *job, rows []row) (prepared, error) {
	var p prepared
	res := &p.res
	res.n = len(rows)
	if len(rows) > 0 {
		res.last = rows[len(rows)-1].key
	}
	p.writes = make([]pending, 0, len(rows))
	for _, rw := range rows {
		if r.failed {
			// Nothing more is written: only the unopenable values are
			// looked for.
			if a := r.keys.check(rw.val, j.kind, j.label); a == actBad {
				res.bad = append(res.bad, Offender{Column: j.name, Key: formatKey(j.keys, rw.key)})
			}
			continue
		}
		a, out := r.keys.rewrite(rw.val, j.kind, j.label)
		switch {
		case a == actBad && r.collectBad:
			r.failed = true
			p.writes = p.writes[:0]
			res.bad = append(res.bad, Offender{Column: j.name, Key: formatKey(j.keys, rw.key)})
			continue
		case a == actBad && !r.opts.Online:
			o := Offender{Column: j.name, Key: formatKey(j.keys, rw.key)}
			return p, offendersError([]Offender{o}, 1, "written since the check; nothing was written")
		case a == actBad:
			res.counts.count(a)
			res.conflicts = append(res.conflicts, Offender{Column: j.name, Key: formatKey(j.keys, rw.key)})
			continue
		case !a.writes():
			res.counts.count(a)
			continue
		}
		p.writes = append(p.writes, pending{key: rw.key, old: rw.val, out: out, act: a})
	}
	if r.failed {
		p.writes = nil
	}
	return p, nil
}

// writePrepared writes the rows of p in tx and returns what the whole
// batch did. It can run again for the same p (a retried transaction).
func (r *rotation) writePrepared(ctx context.Context, tx *sql.Tx, j *job, p prepared) (batchResult, error) {
	res := p.res
	res.conflicts = slices.Clone(res.conflicts)
	if testHookBeforeWrite != nil {
		for _, w := range p.writes {
			testHookBeforeWrite(j.name, w.key)
		}
	}
	for _, chunk := range j.cas.chunks(p.writes) {
		if err := r.writeChunk(ctx, tx, j, chunk, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// writeChunk writes rows with one compare-and-swap statement. When fewer
// rows than sent were changed, each row is re-read to tell which: a row
// that holds the value written was written, the others changed or went
// since they were read and are settled one by one.
func (r *rotation) writeChunk(ctx context.Context, tx *sql.Tx, j *job, rows []pending, res *batchResult) error {
	query, args, err := j.cas.statement(rows)
	if err != nil {
		return err
	}
	result, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlseal: updating a batch of %s: %w", j.name, err)
	}
	n, err := result.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlseal: updating a batch of %s: %w", j.name, err)
	}
	if n == int64(len(rows)) {
		for _, p := range rows {
			res.counts.count(p.act)
		}
		return nil
	}
	for _, p := range rows {
		v, gone, err := reread(ctx, tx, j, p.key)
		switch {
		case err != nil:
			return err
		case gone:
			res.counts.Total++
			res.counts.Skipped++
		case sameValue(v, p.out):
			res.counts.count(p.act)
		default:
			if err := r.rewriteRow(ctx, tx, j, p.key, v, res); err != nil {
				return err
			}
		}
	}
	return nil
}

// reread reads the current value of the row with key, locking it where
// the database can; gone reports that the row no longer exists.
func reread(ctx context.Context, tx *sql.Tx, j *job, key []any) (v value, gone bool, err error) {
	err = tx.QueryRowContext(ctx, j.rereadSQL, key...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return v, true, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("sqlseal: re-reading %s (%s): %w", j.name, formatKey(j.keys, key), err)
	}
	return v, false, nil
}

// sameValue reports whether v, as read, is out, as written.
func sameValue(v value, out any) bool {
	if v.null {
		return false
	}
	switch x := out.(type) {
	case string:
		return v.text() == x
	case []byte:
		return bytes.Equal(v.bytes(), x)
	}
	return false
}

// rewriteRow rewrites one row, which changed since it was read and now
// holds v, with single-row compare-and-swap updates: a row that changes
// again is re-read and retried, up to r.retries attempts in all; a row
// that was deleted is skipped.
func (r *rotation) rewriteRow(ctx context.Context, tx *sql.Tx, j *job, key []any, v value, res *batchResult) error {
	args := make([]any, 0, len(key)+2)
	for attempt := 1; ; attempt++ {
		a, out := r.keys.rewrite(v, j.kind, j.label)
		if a == actBad {
			o := Offender{Column: j.name, Key: formatKey(j.keys, key)}
			if !r.opts.Online {
				return offendersError([]Offender{o}, 1, "written since the check; nothing was written")
			}
			res.counts.count(a)
			res.conflicts = append(res.conflicts, o)
			return nil
		}
		if !a.writes() {
			res.counts.count(a)
			res.counts.Retried++
			return nil
		}
		args = append(args[:0], out)
		args = append(args, key...)
		args = append(args, v.arg())
		result, err := tx.ExecContext(ctx, j.updateSQL, args...)
		if err != nil {
			return fmt.Errorf("sqlseal: updating %s (%s): %w", j.name, formatKey(j.keys, key), err)
		}
		n, err := result.RowsAffected()
		if err != nil {
			return fmt.Errorf("sqlseal: updating %s (%s): %w", j.name, formatKey(j.keys, key), err)
		}
		if n > 0 {
			res.counts.count(a)
			res.counts.Retried++
			return nil
		}
		// The row changed (or went) again.
		if attempt >= r.retries {
			res.counts.Total++
			res.counts.Conflicts++
			res.conflicts = append(res.conflicts, Offender{Column: j.name, Key: formatKey(j.keys, key)})
			return nil
		}
		var gone bool
		if v, gone, err = reread(ctx, tx, j, key); err != nil {
			return err
		}
		if gone {
			res.counts.Total++
			res.counts.Skipped++
			return nil
		}
	}
}

// transactionChecked is the one-transaction rotation without a separate
// pre-flight pass: the rewrite itself finds the values that no key opens,
// and if it finds any it writes nothing more, lists all of them and rolls
// the transaction back. The promise is the pre-flight pass's: nothing is
// written if any value cannot be opened.
func (r *rotation) transactionChecked(ctx context.Context, db *sql.DB, jobs []*job, missing []bool) error {
	r.collectBad = true
	if r.opts.Progress != nil {
		for i, j := range jobs {
			if missing[i] {
				continue
			}
			var n int64
			if err := db.QueryRowContext(ctx, j.countSQL).Scan(&n); err != nil {
				return fmt.Errorf("sqlseal: counting the rows of %s: %w", j.name, err)
			}
			r.total += n
		}
	}
	r.report(PhaseRotate)
	return r.transaction(ctx, db, jobs, missing)
}

// addBad records unopenable values found by the rewrite.
func (r *rotation) addBad(bad []Offender) {
	r.sum.Unopenable += int64(len(bad))
	r.sum.Offenders = appendListed(r.sum.Offenders, bad)
}

// transactionColumn rewrites column j in tx, batch by batch. The values of
// the next batch are opened and sealed in a goroutine while the batch
// before is written, so that the crypto overlaps the database's work.
func (r *rotation) transactionColumn(ctx context.Context, tx *sql.Tx, j *job, counts *ColumnSummary) error {
	type prep struct {
		p   prepared
		err error
	}
	rows, err := readBatch(ctx, tx, j, nil)
	if err != nil {
		return err
	}
	p, err := r.prepareRows(j, rows)
	if err != nil {
		return err
	}
	for {
		more := len(rows) >= j.batch
		var next chan prep
		if more {
			if rows, err = readBatch(ctx, tx, j, rows[len(rows)-1].key); err != nil {
				return err
			}
			next = make(chan prep, 1)
			go func(rows []row) {
				p, err := r.prepareRows(j, rows)
				next <- prep{p, err}
			}(rows)
		}
		res, err := r.writePrepared(ctx, tx, j, p)
		if err == nil {
			counts.add(res.counts)
			r.addBad(res.bad)
			r.batchDone(j, res)
		}
		var n prep
		if next != nil {
			n = <-next // wait for it before returning: it reads r.failed
		}
		switch {
		case err != nil:
			return err
		case !more:
			return nil
		case n.err != nil:
			return n.err
		}
		p = n.p
	}
}
