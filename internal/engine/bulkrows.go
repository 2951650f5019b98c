package engine

import (
	"context"
	"fmt"
)

// sealRows returns the rows of src with the protected columns of p sealed,
// all with one key. The first row is read and sealed now, so that a value
// that cannot be sealed there fails before anything is sent; a nil source
// means src has no rows.
func (e *Engine) sealRows(ctx context.Context, p bulkPlan, src BulkRows) (*sealedRows, error) {
	r := &sealedRows{e: e, src: src, plan: p}
	if len(p.slots) > 0 {
		e.refreshIfStale(ctx)
		var err error
		if r.s, r.sealing, err = e.keys.sealer(); err != nil {
			return nil, err
		}
		r.buf = make([]any, p.width)
	}
	if !src.Next() {
		return nil, src.Err()
	}
	if err := r.sealRow(); err != nil {
		return nil, err
	}
	r.ready = true
	return r, nil
}

// sealedRows is a BulkRows whose protected values are sealed. The row it
// returns is valid until the next call of Next, as the bulk protocol
// encodes each row before it asks for the next.
type sealedRows struct {
	e       *Engine
	src     BulkRows
	plan    bulkPlan
	s       sealer
	sealing bool
	buf     []any // the sealed row, reused
	row     []any
	ready   bool // row holds the first row, read before the load began
	err     error
}

// Next reads and seals the next row.
func (r *sealedRows) Next() bool {
	if r.ready {
		r.ready = false
		return true
	}
	if r.err != nil || !r.src.Next() {
		return false
	}
	r.err = r.sealRow()
	return r.err == nil
}

// Values returns the current row, sealed.
func (r *sealedRows) Values() ([]any, error) { return r.row, r.err }

// Err returns the error that ended the rows: the source's, or why a value
// could not be sealed.
func (r *sealedRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.src.Err()
}

// sealRow reads the source's current row into r.row, sealing the values of
// protected columns. A Valuer is asked for its value once: what is sealed
// (or NULL) is what is sent.
func (r *sealedRows) sealRow() error {
	vals, err := r.src.Values()
	if err != nil {
		return err
	}
	if len(vals) != r.plan.width {
		return fmt.Errorf("sqlseal: bulk load: a row has %d values for %d columns", len(vals), r.plan.width)
	}
	if len(r.plan.slots) == 0 {
		r.row = vals
		return nil
	}
	r.buf = append(r.buf[:0], vals...)
	for _, sl := range r.plan.slots {
		arg, err := plaintext(r.buf[sl.index], sl.col)
		switch {
		case err != nil:
			return err
		case arg.null:
			r.buf[sl.index] = nil
		case r.sealing:
			if r.buf[sl.index], err = r.e.sealArg(r.s, arg, sl.col, sl.kind); err != nil {
				return err
			}
		}
	}
	r.row = r.buf
	return nil
}
