package analysis

import (
	"strings"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Op names, as the front-ends spell them, of the comparisons a blind index
// answers.
const (
	opEqual = "operator ="
	opIn    = "operator IN"
)

// indexed resolves ref to a blind-indexed column, if it is one. maybe is
// as in resolve: such a reference is refused rather than rewritten.
func (a *analyzer) indexed(sc *scope, e query.Expr) (ref *query.ColRef, col *Column, maybe bool) {
	ref, ok := e.(*query.ColRef)
	if !ok || len(a.prot.index) == 0 {
		return nil, nil, false
	}
	c, _, maybe := a.resolve(sc, ref)
	if c == nil {
		return nil, nil, false
	}
	if _, ok := a.prot.index[*c]; !ok {
		return nil, nil, false
	}
	if !maybe && !a.fromBaseTable(sc, ref) {
		// Refused by the caller, as an unresolved reference.
		maybe = true
	}
	return ref, c, maybe
}

// lookup rewrites an equality lookup on a blind-indexed column in a
// filter: col = $n, col = 'string', col IN ($n, 'string', ...), and
// a.col = b.col over the same column. It reports whether v was such a
// comparison (rewritten, or refused when it cannot be).
func (a *analyzer) lookup(v *query.Op, sc *scope) bool {
	if v.Kind != query.OpOperator || len(v.Args) < 2 {
		return false
	}
	switch {
	case v.Name == opEqual && len(v.Args) == 2:
		ref0, c0, maybe0 := a.indexed(sc, v.Args[0])
		ref1, c1, maybe1 := a.indexed(sc, v.Args[1])
		switch {
		case c0 == nil && c1 == nil:
			return false
		case maybe0 || maybe1:
			a.fail(refuseDetail(*firstNonNil(c0, c1), ReasonLookup, "a comparison of it through a derived table, a WITH entry or a column sqlseal cannot resolve (compare the table's own column)"))
		case c0 != nil && c1 != nil:
			if *c0 != *c1 {
				a.fail(refuseDetail(*c0, ReasonLookup, "a join with another column, whose terms differ"))
				return true
			}
			a.rename(ref0, *c0)
			a.rename(ref1, *c1)
		case c0 != nil:
			a.rename(ref0, *c0)
			a.lookupValue(*c0, v.Args[1])
			a.rotation(v, 0, *c0)
		default:
			a.rename(ref1, *c1)
			a.lookupValue(*c1, v.Args[0])
			a.rotation(v, 1, *c1)
		}
		return true
	case v.Name == opIn:
		ref, c, maybe := a.indexed(sc, v.Args[0])
		if c == nil {
			return false
		}
		if maybe {
			a.fail(refuseDetail(*c, ReasonLookup, "a comparison of it through a derived table, a WITH entry or a column sqlseal cannot resolve (compare the table's own column)"))
			return true
		}
		a.rename(ref, *c)
		for _, x := range v.Args[1:] {
			a.lookupValue(*c, x)
		}
		a.rotation(v, 0, *c)
		return true
	}
	return false
}

func firstNonNil(cs ...*Column) *Column {
	for _, c := range cs {
		if c != nil {
			return c
		}
	}
	return nil
}

// rename records the rewrite of ref, which denotes blind-indexed column c,
// to c's sibling.
func (a *analyzer) rename(ref *query.ColRef, c Column) {
	sp, ok := a.parser.(query.Spanner)
	if !ok || ref.At <= 0 {
		a.fail(refuseDetail(c, ReasonLookup, "a lookup sqlseal cannot locate in the text (write column = value, value = column or column IN (values))"))
		return
	}
	start, end, ok := sp.NameSpan(a.sql, ref.At-1)
	if !ok {
		a.fail(refuseDetail(c, ReasonLookup, "a lookup sqlseal cannot locate in the text"))
		return
	}
	a.edits = append(a.edits, Edit{Start: start, End: end, Kind: EditSibling, Column: c})
}

// lookupValue records the value a blind-indexed column is compared with:
// a parameter, whose argument becomes its term, or a string literal,
// replaced by its term's literal.
func (a *analyzer) lookupValue(c Column, e query.Expr) {
	switch v := e.(type) {
	case *query.Param:
		a.terms = append(a.terms, TermTarget{Param: *v, Column: c})
	case *query.Literal:
		if !a.placed(c, v, ReasonLookup) {
			return
		}
		a.edits = append(a.edits, Edit{Start: v.Start, End: v.End, Kind: EditTermLiteral, Column: c})
	case *query.Null:
		// col = NULL is never true, and neither is sibling = NULL.
	default:
		a.fail(refuseDetail(c, ReasonLookup, "a comparison with a value other than a parameter or string literal"))
	}
}

// placed reports whether a string literal can be rewritten in place: a
// string whose token the front-end located and which decodes back to the
// value the parser read. Otherwise it refuses for c with reason r.
func (a *analyzer) placed(c Column, l *query.Literal, r Reason) bool {
	switch {
	case !l.String:
		a.fail(refuseDetail(c, r, "a number or boolean constant"))
	case l.Start < 0 || l.End <= l.Start || l.End > len(a.sql):
		a.fail(refuseDetail(c, r, "a literal sqlseal cannot place in the text"))
	default:
		if v, err := a.parser.LiteralValue(a.sql[l.Start:l.End]); err != nil || v != l.Value {
			a.fail(refuseDetail(c, r, "a literal sqlseal cannot read back from the text"))
			return false
		}
		return true
	}
	return false
}

// rotation records the edits that make the lookup v on column c (its
// operand col) match the terms of older index keys too, while a rotation
// of the index key is under way: col = x becomes (sib = x OR sib IN
// (older terms of x)), col IN (x, y) becomes sib IN (x, y, older terms).
// A lookup without the positions these edits need is refused: during a
// rotation it would silently miss the rows whose terms are older.
func (a *analyzer) rotation(v *query.Op, col int, c Column) {
	unplaced := func() {
		a.fail(refuseDetail(c, ReasonLookup, "a lookup whose operands sqlseal cannot place in the text"))
	}
	sp, ok := a.parser.(query.Spanner)
	if !ok || len(v.ArgAt) != len(v.Args) {
		unplaced()
		return
	}
	spans := make([]span, len(v.Args))
	var values []LookupValue
	for i, x := range v.Args {
		at := v.ArgAt[i]
		if at <= 0 {
			unplaced()
			return
		}
		switch e := x.(type) {
		case *query.ColRef:
			_, end, ok := sp.NameSpan(a.sql, at-1)
			if !ok {
				unplaced()
				return
			}
			spans[i] = span{at - 1, end}
		case *query.Param:
			end, ok := sp.TokenEnd(a.sql, at-1)
			if !ok {
				unplaced()
				return
			}
			spans[i] = span{at - 1, end}
			values = append(values, LookupValue{Source: SourceParam, Param: *e})
		case *query.Literal:
			if e.Start != at-1 {
				unplaced()
				return
			}
			spans[i] = span{e.Start, e.End}
			values = append(values, LookupValue{Source: SourceLiteral, LitStart: e.Start, LitEnd: e.End})
		case *query.Null:
			// NULL matches nothing, but its place still counts for
			// the parentheses check.
			end, ok := sp.TokenEnd(a.sql, at-1)
			if !ok {
				unplaced()
				return
			}
			spans[i] = span{at - 1, end}
		default:
			unplaced()
			return
		}
	}
	if !a.tight(v, spans, c) {
		return
	}
	ref := v.Args[col].(*query.ColRef)
	nameStart, _, ok := sp.NameSpan(a.sql, ref.At-1)
	if !ok {
		unplaced()
		return
	}
	if len(values) == 0 {
		return
	}
	if v.Name == opIn {
		last := spans[len(spans)-1]
		a.edits = append(a.edits, Edit{Start: last.end, End: last.end, Kind: EditLookupMore, Column: c, Values: values})
		return
	}
	first, last := spans[0], spans[len(spans)-1]
	a.edits = append(a.edits,
		Edit{Start: first.start, End: first.start, Kind: EditLookupOpen, Column: c},
		Edit{Start: last.end, End: last.end, Kind: EditLookupClose, Column: c, RefStart: ref.At - 1, NameStart: nameStart, Values: values})
}

// span is the extent of an operand in the text.
type span struct{ start, end int }

// tight reports whether the operands of the lookup v, at spans, are
// written without parentheses of their own: col = x with only "="
// between, col IN (x, y) with only "IN (" and "," between. The edits
// made while an index key rotates go after the last operand's token and
// would otherwise land inside its parentheses; such a lookup is refused
// for c (whether or not a key rotates, so that it does not stop working
// when one does).
func (a *analyzer) tight(v *query.Op, spans []span, c Column) bool {
	en, ok := a.parser.(query.Encloser)
	if !ok {
		a.fail(refuseDetail(c, ReasonLookup, "a lookup sqlseal cannot check in this SQL dialect yet"))
		return false
	}
	is := func(start, end int, want ...string) bool {
		toks, ok := en.Between(a.sql, start, end)
		if !ok || len(toks) != len(want) {
			return false
		}
		for i := range toks {
			if !strings.EqualFold(toks[i], want[i]) {
				return false
			}
		}
		return true
	}
	good := true
	if v.Name == opIn {
		good = is(spans[0].end, spans[1].start, "IN", "(")
		for i := 2; good && i < len(spans); i++ {
			good = is(spans[i-1].end, spans[i].start, ",")
		}
	} else {
		good = len(spans) == 2 && is(spans[0].end, spans[1].start, "=")
	}
	if !good {
		a.fail(refuseDetail(c, ReasonLookup, "a lookup with an operand in parentheses of its own (write it without them)"))
	}
	return good
}

// fromBaseTable reports whether ref, which denotes a protected column,
// names it through the base table itself, where its sibling column is
// visible under the same qualifier. Through a derived table, a WITH entry
// or an alias list the sibling is not a column of the source.
func (a *analyzer) fromBaseTable(sc *scope, ref *query.ColRef) bool {
	for s := sc; s != nil; s = s.parent {
		for _, src := range s.sources {
			if ref.Qualifier != "" {
				if src.name != ref.Qualifier {
					continue
				}
				return src.table != nil
			}
			if _, _, st := a.find(src, ref.Name); st == foundProtected {
				return src.table != nil
			}
		}
	}
	return false
}
