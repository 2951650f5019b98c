package sqlite

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/sqlseal/sqlseal/internal/query"
)

var _ query.Spanner = Parser{}

// tokenAt returns the tokens of sql and the index of the one that starts
// at start, -1 if none does.
func tokenAt(sql string, start int) ([]token, int) {
	toks, err := lex(sql)
	if err != nil {
		return nil, -1
	}
	i := sort.Search(len(toks), func(i int) bool { return toks[i].start >= start })
	if start < 0 || i == len(toks) || toks[i].start != start {
		return toks, -1
	}
	return toks, i
}

// TokenEnd implements query.Spanner: the end of the parameter, string,
// name or keyword (NULL, DEFAULT) token that starts at start.
func (Parser) TokenEnd(sql string, start int) (int, bool) {
	toks, i := tokenAt(sql, start)
	if i < 0 {
		return 0, false
	}
	switch t := toks[i]; t.kind {
	case tokParam, tokString, tokIdent, tokQuoted:
		return t.end, true
	}
	return 0, false
}

// NameSpan implements query.Spanner: the last name of the dotted column
// reference that starts at start.
func (Parser) NameSpan(sql string, start int) (int, int, bool) {
	toks, i := tokenAt(sql, start)
	if i < 0 || !isName(toks[i]) {
		return 0, 0, false
	}
	for i+2 < len(toks) && toks[i+1].kind == tokPunct && toks[i+1].text == "." && isName(toks[i+2]) {
		i += 2
	}
	if i+1 < len(toks) && toks[i+1].kind == tokPunct && toks[i+1].text == "." {
		return 0, 0, false
	}
	return toks[i].start, toks[i].end, true
}

var _ query.Encloser = Parser{}

// OpensBefore implements query.Encloser: the "(" tokens right before the
// token that starts at start.
func (Parser) OpensBefore(sql string, start int) (int, bool) {
	toks, i := tokenAt(sql, start)
	if i < 0 {
		return 0, false
	}
	n := 0
	for j := i - 1; j >= 0 && toks[j].kind == tokPunct && toks[j].text == "("; j-- {
		n++
	}
	return n, true
}

// Between implements query.Encloser.
func (Parser) Between(sql string, start, end int) ([]string, bool) {
	toks, err := lex(sql)
	if err != nil || start < 0 || end > len(sql) || start > end {
		return nil, false
	}
	var out []string
	for _, t := range toks {
		switch {
		case t.end <= start || t.start >= end:
		case t.start < start || t.end > end:
			return nil, false
		default:
			out = append(out, t.text)
		}
	}
	return out, true
}

// isName reports whether t is a bare or quoted name.
func isName(t token) bool { return t.kind == tokIdent || t.kind == tokQuoted }

var _ query.ParamNumberer = Parser{}

// NumberedParams implements query.ParamNumberer: each "?" of a
// single-statement text, written "?N" with the index SQLite gives it.
func (Parser) NumberedParams(sql string) ([]query.Replacement, error) {
	toks, err := lex(sql)
	if err != nil {
		return nil, err
	}
	var p paramTable
	var out []query.Replacement
	for i, t := range toks {
		if t.kind == tokPunct && t.text == ";" && i < len(toks)-1 {
			return nil, fmt.Errorf("%w: several statements", ErrSyntax)
		}
		if t.kind != tokParam {
			continue
		}
		n, err := p.assign(t.text, t.start)
		if err != nil {
			return nil, err
		}
		if t.text == "?" {
			out = append(out, query.Replacement{Start: t.start, End: t.end, Text: "?" + strconv.Itoa(n)})
		}
	}
	return out, nil
}
