package invariant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
)

// Markers of the plaintexts the harness plants: the protected column holds
// sealed REAL values, unprotected columns sealed STOLEN ones.
const (
	realMarker   = "REAL:"
	stolenMarker = "STOLEN:"
)

// Harness runs sequences of steps through sqlseal and checks the promises
// after each.
type Harness struct {
	Dialect *Dialect
	// Names are the tables of the sequences.
	Names Names
	// Reset recreates the tables before a sequence: Table (id, name,
	// details) with sealed REAL values and a NULL, Other (id, note) with
	// sealed STOLEN values, and a copy of Table in Names.Schema holding
	// STOLEN values in details. It runs over the plain driver.
	Reset func(ctx context.Context, seal func(string) string) error
	// Refill, if set, puts the same rows back into the tables as they
	// are, which is faster than Reset; it is used when no statement that
	// may change the tables' definitions ran since the last reset.
	Refill func(ctx context.Context, seal func(string) string) error
	// ready records that the tables were reset once; changed that a step
	// that may change definitions ran since.
	ready, changed bool
	// Open returns a fresh sealed pool of one connection, so that session
	// changes persist through a sequence and no further.
	Open func() (*sql.DB, error)
	// AtRest returns every non-NULL value of the protected column, read
	// with the plain driver.
	AtRest func(ctx context.Context) ([]any, error)
	// Key is the key the protected column is sealed with.
	Key *codec.Key
	// Binary reports that the protected column stores raw bytes.
	Binary bool
	// Statements counts the statements run; Passed those sqlseal let
	// through.
	Statements, Passed int
}

// Seal seals a plaintext as the protected column stores it.
func (h *Harness) Seal(plaintext string) string {
	if h.Binary {
		return string(h.Key.Seal([]byte(plaintext)))
	}
	return h.Key.SealText([]byte(plaintext))
}

// Run resets the tables, runs steps through a fresh sealed pool and checks
// the promises after every step sqlseal lets through. It returns the first
// broken promise, with the steps that led to it.
func (h *Harness) Run(steps []Step) error {
	ctx := context.Background()
	refilled := false
	if h.ready && !h.changed && h.Refill != nil {
		refilled = h.Refill(ctx, h.Seal) == nil
	}
	if !refilled {
		if err := h.Reset(ctx, h.Seal); err != nil {
			return fmt.Errorf("resetting the tables: %w", err)
		}
	}
	h.ready, h.changed = true, false
	db, err := h.Open()
	if err != nil {
		return fmt.Errorf("opening sqlseal: %w", err)
	}
	defer db.Close()
	for i, st := range steps {
		h.Statements++
		read, err := h.run(ctx, db, st)
		if !refused(err) {
			h.Passed++
			h.changed = h.changed || st.Changes
		}
		for _, v := range read {
			if strings.Contains(v, stolenMarker) {
				return fmt.Errorf("%w: step %d opened an unprotected column\n%s", ErrBroken, i+1, trace(steps[:i+1]))
			}
		}
		if err := h.checkAtRest(ctx); err != nil {
			return fmt.Errorf("%w: after step %d: %v\n%s", ErrBroken, i+1, err, trace(steps[:i+1]))
		}
	}
	return nil
}

// ErrBroken is wrapped by Run's error when a promise is broken.
var ErrBroken = errors.New("invariant broken")

// refused reports an error with which sqlseal stopped a statement before it
// reached the server.
func refused(err error) bool {
	return errors.Is(err, sqlseal.ErrRefused) || errors.Is(err, sqlseal.ErrSQLMode)
}

// run runs one step and returns every value it read, as text.
func (h *Harness) run(ctx context.Context, db *sql.DB, st Step) ([]string, error) {
	switch st.Path {
	case PathExec:
		_, err := db.ExecContext(ctx, st.SQL, st.Args...)
		return nil, err
	case PathPrepareExec, PathPrepareQuery:
		stmt, err := db.PrepareContext(ctx, st.SQL)
		if err != nil {
			return nil, err
		}
		defer stmt.Close()
		if st.Path == PathPrepareExec {
			_, err = stmt.ExecContext(ctx, st.Args...)
			return nil, err
		}
		rows, err := stmt.QueryContext(ctx, st.Args...)
		if err != nil {
			return nil, err
		}
		return readAll(rows)
	default:
		rows, err := db.QueryContext(ctx, st.SQL, st.Args...)
		if err != nil {
			return nil, err
		}
		return readAll(rows)
	}
}

// readAll returns every value of rows as text; a value that cannot be read
// (a protected value that does not open) is skipped.
func readAll(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return out, err
		}
		for _, v := range vals {
			switch x := v.(type) {
			case string:
				out = append(out, x)
			case []byte:
				out = append(out, string(x))
			}
		}
	}
	return out, rows.Err()
}

// checkAtRest fails unless every value of the protected column is sealed
// with the key and holds no planted STOLEN plaintext.
func (h *Harness) checkAtRest(ctx context.Context) error {
	values, err := h.AtRest(ctx)
	if err != nil {
		// The table may have been renamed away; nothing of it is at rest
		// under the protected name.
		return nil
	}
	for _, v := range values {
		var pt []byte
		var err error
		switch x := v.(type) {
		case string:
			pt, err = h.Key.OpenText(x)
		case []byte:
			if h.Binary {
				pt, err = h.Key.Open(x)
			} else {
				pt, err = h.Key.OpenText(string(x))
			}
		default:
			err = fmt.Errorf("a value of type %T", v)
		}
		if err != nil {
			return fmt.Errorf("the protected column holds a value that is not sealed with the key: %.60q (%v)", fmt.Sprint(v), err)
		}
		if strings.Contains(string(pt), stolenMarker) {
			return fmt.Errorf("the protected column holds a planted ciphertext moved in unsealed")
		}
	}
	return nil
}

// trace describes the steps of a sequence.
func trace(steps []Step) string {
	var b strings.Builder
	for i, s := range steps {
		fmt.Fprintf(&b, "  %d. %s  args=%v\n", i+1, s, s.Args)
	}
	return b.String()
}
