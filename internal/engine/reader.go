package engine

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/query"
)

// slot is a result column to open.
type slot struct {
	index int
	col   analysis.Column
	kind  catalog.Kind
}

// staticReader is the mapping of a plan whose protected result columns do
// not depend on the execution: no * and no table name to confirm. It is
// cached per engine in the plan's entry.
type staticReader struct {
	e     *Engine
	slots []slot
}

// reader says which result columns of one execution to open. A reader
// with stars maps them on the first row, from the column list the driver
// returns and the table widths read for this execution.
type reader struct {
	e       *Engine
	slots   []slot // the mapping, when it is known before the first row
	results []analysis.Result
	widths  map[query.Table][]string // the columns of each table a * expands, read for this execution
	denied  map[string]bool          // unqualified table names that resolve elsewhere now
}

// readerFor returns the reader of one execution of pe's plan, nil when no
// result column is opened. Table names whose schema must be confirmed are
// confirmed now, over q, and the columns of the tables that several *
// expand are read now: a prepared statement's earlier executions prove
// nothing about this one (the search path, temporary tables and table
// definitions may have changed since).
func (e *Engine) readerFor(ctx context.Context, q driver.QueryerContext, pe *planEntry) (*reader, error) {
	results := pe.plan.Results
	if results == nil || pe.plan.Err != nil {
		return nil, nil
	}
	if sr := pe.read.Load(); sr != nil && sr.e == e {
		return &reader{e: e, slots: sr.slots}, nil
	}
	if err := e.ensureKinds(ctx, q, resultColumns(results)); err != nil {
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
		rd := &reader{e: e}
		for i, r := range results {
			if r.Column == nil || denied[r.Check] {
				continue
			}
			k, _ := e.knownKind(*r.Column)
			rd.slots = append(rd.slots, slot{index: i, col: *r.Column, kind: k})
		}
		if !checked {
			pe.read.Store(&staticReader{e: e, slots: rd.slots})
		}
		return rd, nil
	}
	rd := &reader{e: e, results: results, denied: denied}
	if stars > 1 {
		rd.widths = map[query.Table][]string{}
		for _, r := range results {
			if r.Star == nil || r.Star.Table.Name == "" {
				continue
			}
			names, err := e.b.Catalog.TableColumns(ctx, q, r.Star.Table)
			if err != nil {
				return nil, fmt.Errorf("sqlseal: reading the columns of a table the query selects * from: %w", err)
			}
			rd.widths[r.Star.Table] = names
		}
	}
	return rd, nil
}

// mapColumns places the protected columns of the * expansions in the
// column list the driver returned. With one *, its width is what the other
// items leave; with several, each table's columns as read for this
// execution, which must match the names the driver returned.
func (r *reader) mapColumns(names []string) ([]slot, error) {
	stars := 0
	for _, res := range r.results {
		if res.Star != nil {
			stars++
		}
	}
	var slots []slot
	pos := 0
	for _, res := range r.results {
		if res.Star == nil {
			if res.Column != nil && !r.denied[res.Check] {
				k, _ := r.e.knownKind(*res.Column)
				slots = append(slots, slot{index: pos, col: *res.Column, kind: k})
			}
			pos++
			continue
		}
		w := len(names) - (len(r.results) - 1)
		if stars > 1 {
			cols, ok := r.widths[res.Star.Table]
			if !ok || res.Star.Table.Name == "" || pos+len(cols) > len(names) {
				return nil, fmt.Errorf("sqlseal: %d result columns: %w", len(names), sqlseal.ErrResultColumns)
			}
			for i, c := range cols {
				if !r.sameStored(names[pos+i], c) {
					return nil, fmt.Errorf("sqlseal: the result columns do not match the table's (did it change?): %w", sqlseal.ErrResultColumns)
				}
			}
			w = len(cols)
		}
		if w < 0 || pos+w > len(names) {
			return nil, fmt.Errorf("sqlseal: %d result columns: %w", len(names), sqlseal.ErrResultColumns)
		}
		for i := pos; i < pos+w; i++ {
			for _, c := range res.Star.Protected {
				if r.sameName(names[i], c.Name) && !r.denied[starCheck(res.Star, c)] {
					k, _ := r.e.knownKind(c)
					slots = append(slots, slot{index: i, col: c, kind: k})
				}
			}
		}
		pos += w
	}
	if pos != len(names) {
		return nil, fmt.Errorf("sqlseal: expected %d result columns, got %d (did a table change?): %w", pos, len(names), sqlseal.ErrResultColumns)
	}
	return slots, nil
}

// sameName reports whether a result column name is the protected column's
// name as the database compares names.
func (r *reader) sameName(got, want string) bool {
	if r.e.b.CaseInsensitive {
		return r.e.b.FoldIdent(got) == want
	}
	return got == want
}

// sameStored reports whether a result column name is a column name as the
// catalog stores it.
func (r *reader) sameStored(got, stored string) bool {
	if r.e.b.CaseInsensitive {
		return r.e.b.FoldIdent(got) == r.e.b.FoldIdent(stored)
	}
	return got == stored
}

// starCheck is Result.Check for a protected column of a * expansion.
func starCheck(st *analysis.Star, c analysis.Column) string {
	if st.Table.Schema == "" && c.Schema != "" {
		return st.Table.Name
	}
	return ""
}

// confirm asks the server how it resolves, on this connection now, each
// unqualified table name the results depend on (see analysis.Result.Check)
// and returns the names that do not resolve to the configured schema.
// checked reports whether any name had to be confirmed, which makes the
// answer valid for this execution only.
func (e *Engine) confirm(ctx context.Context, q driver.QueryerContext, results []analysis.Result) (map[string]bool, bool, error) {
	var denied map[string]bool
	asked := map[string]bool{}
	ask := func(name, schema string) error {
		if name == "" || asked[name] {
			return nil
		}
		asked[name] = true
		ok, err := e.b.Catalog.Resolves(ctx, q, name, schema)
		if err != nil {
			return fmt.Errorf("sqlseal: resolving a table name the query reads: %w", err)
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
