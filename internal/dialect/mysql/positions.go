package mysql

import (
	"strings"

	"github.com/sqlseal/sqlseal/internal/query"
)

var (
	_ query.Spanner          = (*Parser)(nil)
	_ query.ExcludedSpanner  = (*Parser)(nil)
	_ query.PositionalParams = (*Parser)(nil)
	_ query.Encloser         = (*Parser)(nil)
)

// positionTokens returns the tokens of sql for the position finders, or
// ok false for a text with an executable comment (/*! ... */, /*M! ...,
// /*T! ...): the server runs its content, which lexTokens skips, so no
// position in such a text is certain.
func positionTokens(sql string) ([]lexTok, bool) {
	if strings.Contains(sql, "/*!") || strings.Contains(sql, "/*M!") || strings.Contains(sql, "/*T!") ||
		strings.Contains(sql, "/*m!") || strings.Contains(sql, "/*t!") {
		return nil, false
	}
	return lexTokens(sql), true
}

// TokenEnd implements query.Spanner: the end of the placeholder, string,
// word (NULL, DEFAULT) or name token that starts at start.
func (*Parser) TokenEnd(sql string, start int) (int, bool) {
	toks, ok := positionTokens(sql)
	if !ok {
		return 0, false
	}
	i := lexAt(toks, start)
	if i < 0 || toks[i].kind == lexPunct {
		return 0, false
	}
	return toks[i].end, true
}

// NameSpan implements query.Spanner: the last name of the dotted column
// reference that starts at start.
func (*Parser) NameSpan(sql string, start int) (int, int, bool) {
	toks, ok := positionTokens(sql)
	if !ok {
		return 0, 0, false
	}
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
	toks, ok := positionTokens(sql)
	if !ok {
		return 0, 0, 0, false
	}
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

// OpensBefore implements query.Encloser: the "(" tokens right before the
// token that starts at start.
func (*Parser) OpensBefore(sql string, start int) (int, bool) {
	toks, ok := positionTokens(sql)
	if !ok {
		return 0, false
	}
	i := lexAt(toks, start)
	if i < 0 {
		return 0, false
	}
	n := 0
	for j := i - 1; j >= 0 && toks[j].is("("); j-- {
		n++
	}
	return n, true
}

// Between implements query.Encloser: the tokens of sql[start:end] as
// written, comments left out.
func (*Parser) Between(sql string, start, end int) ([]string, bool) {
	toks, ok := positionTokens(sql)
	if !ok || start < 0 || end > len(sql) || start > end {
		return nil, false
	}
	var out []string
	for _, t := range toks {
		switch {
		case t.end <= start || t.start >= end:
		case t.start < start || t.end > end:
			return nil, false
		default:
			out = append(out, sql[t.start:t.end])
		}
	}
	return out, true
}
