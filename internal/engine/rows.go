package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"unsafe"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/query"
)

// slot is a result column to open.
type slot struct {
	index int
	col   analysis.Column
	kind  Kind
}

// reader opens the protected columns of one result set. A reader without
// stars is immutable and shared by every execution of its SQL text; one
// with stars maps the run-time column list on the first row.
type reader struct {
	e       *Engine
	slots   []slot
	mapped  bool
	results []analysis.Result
	widths  map[query.Table]int
	denied  map[string]bool // unqualified table names that resolve elsewhere
}

func (e *Engine) readerFor(ctx context.Context, q driver.QueryerContext, si *stmtInfo) (*reader, error) {
	if rd := si.read.Load(); rd != nil && rd.e == e {
		return rd, nil
	}
	results := si.plan.Results
	cols := resultColumns(results)
	if err := e.ensureKinds(ctx, q, cols); err != nil {
		return nil, err
	}
	denied, checked, err := e.confirm(ctx, q, results)
	if err != nil {
		return nil, err
	}
	stars := 0
	for _, r := range results {
		if r.Star != nil {
			stars++
		}
	}
	if stars == 0 {
		rd := &reader{e: e, mapped: true}
		cacheable := !checked
		for i, r := range results {
			if r.Column == nil || denied[r.Check] {
				continue
			}
			k, ok := e.knownKind(*r.Column)
			cacheable = cacheable && ok
			rd.slots = append(rd.slots, slot{index: i, col: *r.Column, kind: k})
		}
		if cacheable {
			si.read.Store(rd)
		}
		return rd, nil
	}
	rd := &reader{e: e, results: results, denied: denied}
	if stars > 1 && q != nil {
		rd.widths = map[query.Table]int{}
		for _, r := range results {
			if r.Star == nil || r.Star.Table.Name == "" {
				continue
			}
			names, err := e.d.Catalog.TableColumns(ctx, q, r.Star.Table)
			if err != nil {
				return nil, fmt.Errorf("sqlseal: reading the columns of %s: %w", r.Star.Table, err)
			}
			rd.widths[r.Star.Table] = len(names)
		}
	}
	return rd, nil
}

// mapColumns places the protected columns of the * expansions in the
// run-time column list.
func (r *reader) mapColumns(names []string) error {
	width := func(st *analysis.Star) (int, bool) {
		w, ok := r.widths[st.Table]
		return w, ok && st.Table.Name != ""
	}
	stars := 0
	for _, res := range r.results {
		if res.Star != nil {
			stars++
		}
	}
	pos := 0
	for _, res := range r.results {
		switch {
		case res.Star == nil:
			if res.Column != nil && !r.denied[res.Check] {
				k, _ := r.e.knownKind(*res.Column)
				r.slots = append(r.slots, slot{index: pos, col: *res.Column, kind: k})
			}
			pos++
		default:
			w, ok := width(res.Star)
			if stars == 1 {
				w, ok = len(names)-(len(r.results)-1), true
			}
			if !ok || w < 0 || pos+w > len(names) {
				return fmt.Errorf("sqlseal: %d result columns: %w", len(names), ErrResultColumns)
			}
			for i := pos; i < pos+w; i++ {
				for _, c := range res.Star.Protected {
					if r.sameName(names[i], c.Name) && !r.denied[starCheck(res.Star, c)] {
						k, _ := r.e.knownKind(c)
						r.slots = append(r.slots, slot{index: i, col: c, kind: k})
					}
				}
			}
			pos += w
		}
	}
	if pos != len(names) {
		return fmt.Errorf("sqlseal: expected %d result columns, got %d (did the table change?): %w", pos, len(names), ErrResultColumns)
	}
	r.mapped = true
	return nil
}

func (r *reader) sameName(got, want string) bool {
	if r.e.d.CaseInsensitive {
		return r.e.d.FoldIdent(got) == want
	}
	return got == want
}

// open opens the protected values of one row in place.
func (r *reader) open(rows driver.Rows, dest []driver.Value) error {
	if !r.mapped {
		if err := r.mapColumns(rows.Columns()); err != nil {
			return err
		}
	}
	for _, s := range r.slots {
		if s.index >= len(dest) || dest[s.index] == nil {
			continue
		}
		v, err := r.e.openValue(dest[s.index], s)
		if err != nil {
			return err
		}
		dest[s.index] = v
	}
	return nil
}

// openValue opens one stored value. A value that does not look sealed is
// plaintext written before encryption was enabled: returned as is unless
// plaintext is rejected.
func (e *Engine) openValue(v driver.Value, s slot) (driver.Value, error) {
	var pt []byte
	var err error
	switch x := v.(type) {
	case string:
		if pt, _, err = e.keyring.OpenText(x); err == nil {
			if len(pt) == 0 {
				return "", nil
			}
			// pt is a fresh buffer nothing else references or writes.
			return unsafe.String(&pt[0], len(pt)), nil
		}
	case []byte:
		if s.kind == KindBinary {
			pt, _, err = e.keyring.Open(x)
		} else {
			// OpenText only reads its argument: view the bytes in place.
			pt, _, err = e.keyring.OpenText(unsafe.String(unsafe.SliceData(x), len(x)))
		}
		if err == nil {
			return pt, nil
		}
	default:
		return v, nil
	}
	if errors.Is(err, codec.ErrNotSealed) {
		return e.plain(v, s)
	}
	if errors.Is(err, codec.ErrNoKey) {
		return nil, fmt.Errorf("sqlseal: protected column %s holds sealed values but no encryption key is configured; set SQLSEAL_ENCRYPTION_SECRET_KEY: %w", s.col, err)
	}
	return nil, fmt.Errorf("sqlseal: protected column %s holds a value that looks sealed but no configured key opens it (wrong key, or the value was altered): %w", s.col, err)
}

func (e *Engine) plain(v driver.Value, s slot) (driver.Value, error) {
	if e.rejectPlaintext {
		return nil, fmt.Errorf("sqlseal: protected column %s holds a value that is not sealed and SQLSEAL_ACCEPT_PLAINTEXT is false: %w", s.col, ErrPlaintext)
	}
	return v, nil
}

// tryOpen reports whether a stored value looks sealed and, if so, whether
// the keyring opens it.
func (e *Engine) tryOpen(v driver.Value, k Kind) (looksSealed bool, err error) {
	switch x := v.(type) {
	case string:
		if !codec.LooksSealed(x) {
			return false, nil
		}
		_, _, err = e.keyring.OpenText(x)
		return true, err
	case []byte:
		if k == KindBinary {
			if !codec.LooksSealedRaw(x) {
				return false, nil
			}
			_, _, err = e.keyring.Open(x)
			return true, err
		}
		return e.tryOpen(string(x), k)
	}
	return false, nil
}

// starCheck is Result.Check for a protected column of a * expansion.
func starCheck(st *analysis.Star, c analysis.Column) string {
	if st.Table.Schema == "" && c.Schema != "" {
		return st.Table.Name
	}
	return ""
}

// confirm asks the server how it resolves each unqualified table name the
// results depend on (see analysis.Result.Check) and returns the names that
// do not resolve to the configured schema. checked reports whether any
// name had to be confirmed, which makes the answer valid for this
// execution only.
func (e *Engine) confirm(ctx context.Context, q driver.QueryerContext, results []analysis.Result) (map[string]bool, bool, error) {
	var denied map[string]bool
	asked := map[string]bool{}
	ask := func(name, schema string) error {
		if name == "" || asked[name] {
			return nil
		}
		asked[name] = true
		if q == nil {
			return fmt.Errorf("sqlseal: cannot confirm which schema's table %s the statement reads: %w", name, ErrResultColumns)
		}
		ok, err := e.d.Catalog.Resolves(ctx, q, name, schema)
		if err != nil {
			return fmt.Errorf("sqlseal: resolving table %s: %w", name, err)
		}
		if !ok {
			if denied == nil {
				denied = map[string]bool{}
			}
			denied[name] = true
		}
		return nil
	}
	for _, r := range results {
		if r.Column != nil {
			if err := ask(r.Check, r.Column.Schema); err != nil {
				return nil, false, err
			}
		}
		if r.Star != nil {
			for _, c := range r.Star.Protected {
				if err := ask(starCheck(r.Star, c), c.Schema); err != nil {
					return nil, false, err
				}
			}
		}
	}
	return denied, len(asked) > 0, nil
}
