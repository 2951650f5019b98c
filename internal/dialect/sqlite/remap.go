package sqlite

import (
	"fmt"

	"github.com/sqlseal/sqlseal/internal/query"
)

// remapper rewrites what the PostgreSQL front-end returned for a
// translation in terms of the SQLite text: literal offsets and values, and
// parameters as modernc.org/sqlite binds them. It rewrites every node once,
// even one the front-end shares between two places.
type remapper struct {
	tr     *translation
	params map[*query.Param]bool
	lits   map[*query.Literal]bool
	err    error
}

// remap rewrites stmts, parsed from tr.pg, in place.
func (tr *translation) remap(stmts []query.Statement) error {
	// Positions are offsets of the translation: map each to the start of
	// the SQLite token it was written from; text sqlseal synthesised
	// has no position, and rewrites that need one are refused.
	query.MapPositions(stmts, tr.position)
	r := &remapper{tr: tr, params: map[*query.Param]bool{}, lits: map[*query.Literal]bool{}}
	query.Walk(stmts, func(e query.Expr) {
		switch e := e.(type) {
		case *query.Param:
			r.param(e)
		case *query.Literal:
			r.literal(e)
		}
	})
	return r.err
}

// fail records the first error.
func (r *remapper) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// param replaces PostgreSQL's $k, which the translation gave SQLite's
// parameter index k, by SQLite's parameter of that index.
func (r *remapper) param(p *query.Param) {
	if r.params[p] {
		return
	}
	r.params[p] = true
	if p.Name != "" || p.Ordinal < 1 || p.Ordinal > r.tr.params.n {
		r.fail(fmt.Errorf("%w: parameter %d not in the translated statement", ErrSyntax, p.Ordinal))
		return
	}
	*p = r.tr.params.param(p.Ordinal)
}

// literal maps a literal's span back to the SQLite text; a literal that is
// one SQLite string token takes that token's value, as SQLite reads it.
func (r *remapper) literal(l *query.Literal) {
	if r.lits[l] {
		return
	}
	r.lits[l] = true
	a, b := r.tr.pieceAt(l.Start, false), r.tr.pieceAt(l.End, true)
	if a < 0 || b < a || r.tr.pieces[a].tok < 0 || r.tr.pieces[b].tok < 0 {
		r.fail(fmt.Errorf("%w: cannot map a literal back to the SQL text", ErrSyntax))
		return
	}
	first, last := r.tr.pieces[a].tok, r.tr.pieces[b].tok
	ta, tb := r.tr.toks[first], r.tr.toks[last]
	if tb.end < ta.start {
		r.fail(fmt.Errorf("%w: cannot map a literal back to the SQL text", ErrSyntax))
		return
	}
	l.Start, l.End = ta.start, tb.end
	if a != b {
		return
	}
	switch {
	case ta.kind == tokString && r.tr.roles[first] == roleDefault,
		ta.kind == tokQuoted && r.tr.roles[first] == roleDQString:
		l.Value, l.String = ta.value, true
	}
}

// position maps a position of the translation (one plus an offset) to the
// SQLite text, 0 when it does not start a token written from the text.
func (tr *translation) position(at int) int {
	i := tr.pieceAt(at-1, false)
	if i < 0 || tr.pieces[i].tok < 0 || tr.pieces[i].tok >= len(tr.toks) {
		return 0
	}
	return tr.toks[tr.pieces[i].tok].start + 1
}
