package mysql

import (
	"github.com/sqlseal/sqlseal/internal/query"
)

var (
	_ query.Spanner          = (*Parser)(nil)
	_ query.ExcludedSpanner  = (*Parser)(nil)
	_ query.PositionalParams = (*Parser)(nil)
)

// TokenEnd implements query.Spanner: the end of the placeholder, string,
// word (NULL, DEFAULT) or name token that starts at start.
func (*Parser) TokenEnd(sql string, start int) (int, bool) {
	toks := lexTokens(sql)
	i := lexAt(toks, start)
	if i < 0 || toks[i].kind == lexPunct {
		return 0, false
	}
	return toks[i].end, true
}

// NameSpan implements query.Spanner: the last name of the dotted column
// reference that starts at start.
func (*Parser) NameSpan(sql string, start int) (int, int, bool) {
	toks := lexTokens(sql)
	i := lexAt(toks, start)
	if i < 0 || !toks[i].isName() {
		return 0, 0, false
	}
	for i+2 < len(toks) && toks[i+1].is(".") && toks[i+2].isName() {
		i += 2
	}
	if i+1 < len(toks) && (toks[i+1].is(".") || toks[i+1].is("(")) {
		return 0, 0, false
	}
	return toks[i].start, toks[i].end, true
}

// ExcludedSpan implements query.ExcludedSpanner: VALUES(col) starting at
// start.
func (*Parser) ExcludedSpan(sql string, start int) (nameStart, nameEnd, end int, ok bool) {
	toks := lexTokens(sql)
	i := lexAt(toks, start)
	if i < 0 || !toks[i].is("values") || i+1 >= len(toks) || !toks[i+1].is("(") {
		return 0, 0, 0, false
	}
	k := i + 2
	for k+2 < len(toks) && toks[k].isName() && toks[k+1].is(".") {
		k += 2
	}
	if k+1 >= len(toks) || !toks[k].isName() || !toks[k+1].is(")") {
		return 0, 0, 0, false
	}
	return toks[k].start, toks[k].end, toks[k+1].end, true
}

// ParamOffsets implements query.PositionalParams: the offset of each ?
// placeholder, in text order.
func (*Parser) ParamOffsets(sql string) []int {
	return scan(sql).paramAt
}
