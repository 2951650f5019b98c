package mysql

import (
	"sort"
	"strings"
)

// lexKind classifies a token of lexTokens.
type lexKind uint8

const (
	lexWord   lexKind = iota + 1 // bare identifier, keyword or number
	lexName                      // `quoted name`
	lexString                    // string or hexadecimal literal, with its introducer
	lexParam                     // ?
	lexPunct                     // operator or punctuation
)

// lexTok is one token of a MySQL text: its kind, its span, and its text
// as names compare (a word or quoted name lower-cased, a quoted name
// unquoted; punctuation as written).
type lexTok struct {
	kind       lexKind
	start, end int
	text       string
}

// isName reports whether t can name a column.
func (t lexTok) isName() bool { return t.kind == lexWord || t.kind == lexName }

// is reports whether t is the punctuation or word (lower case) w.
func (t lexTok) is(w string) bool {
	return (t.kind == lexPunct || t.kind == lexWord) && t.text == w
}

// multiPunct are the operators of more than one byte that contain "=" or
// "(" a position check could mistake for another token.
var multiPunct = []string{"<=>", ":=", "<=", ">=", "<>", "!=", "->>", "->", "||", "&&", "<<", ">>"}

// lexTokens splits sql into tokens the way the TiDB lexer does as far as
// the blind index positions need (names, strings, placeholders,
// punctuation), with comments skipped. It relies on scan for the string
// literals, so that both agree on where each starts and ends.
func lexTokens(sql string) []lexTok {
	sc := scan(sql)
	lits := sc.tokens
	var out []lexTok
	s := scanner{src: sql}
	li := 0
	for s.pos < len(sql) {
		for li < len(lits) && lits[li].End <= s.pos {
			li++
		}
		if li < len(lits) && lits[li].Start == s.pos {
			out = append(out, lexTok{kind: lexString, start: lits[li].Start, end: lits[li].End})
			s.pos = lits[li].End
			continue
		}
		c := sql[s.pos]
		start := s.pos
		switch {
		case isSpace(c):
			s.pos++
		case c == '#':
			s.skipLine()
		case c == '-' && strings.HasPrefix(sql[s.pos:], "--") &&
			(s.pos+2 == len(sql) || isSpace(sql[s.pos+2])):
			s.skipLine()
		case c == '/' && strings.HasPrefix(sql[s.pos:], "/*"):
			if i := strings.Index(sql[s.pos+2:], "*/"); i >= 0 {
				s.pos += i + 4
			} else {
				s.pos = len(sql)
			}
		case c == '\'' || c == '"':
			// A string scan does not report (after COLLATE, ...).
			_, end, _ := readQuoted(sql, s.pos, true)
			out = append(out, lexTok{kind: lexString, start: start, end: end})
			s.pos = end
		case c == '`':
			v, end, _ := readQuoted(sql, s.pos, false)
			out = append(out, lexTok{kind: lexName, start: start, end: end, text: strings.ToLower(v)})
			s.pos = end
		case c == '?':
			out = append(out, lexTok{kind: lexParam, start: start, end: start + 1, text: "?"})
			s.pos++
		case isWordChar(c):
			end := start
			for end < len(sql) && isWordChar(sql[end]) {
				end++
			}
			if end < len(sql) && sql[end] == '\'' && end-start == 1 && (c == 'b' || c == 'B') {
				// A bit literal B'..', which scan does not report: one
				// token. (X'..', N'..' and _charset'..' are scan's.)
				_, e, _ := readQuoted(sql, end, true)
				out = append(out, lexTok{kind: lexString, start: start, end: e})
				s.pos = e
				continue
			}
			out = append(out, lexTok{kind: lexWord, start: start, end: end, text: strings.ToLower(sql[start:end])})
			s.pos = end
		default:
			w := sql[start : start+1]
			for _, m := range multiPunct {
				if strings.HasPrefix(sql[start:], m) {
					w = m
					break
				}
			}
			out = append(out, lexTok{kind: lexPunct, start: start, end: start + len(w), text: w})
			s.pos += len(w)
		}
	}
	return out
}

// lexAt returns the index of the token of toks that starts at start, -1
// if none does.
func lexAt(toks []lexTok, start int) int {
	i := sort.Search(len(toks), func(i int) bool { return toks[i].start >= start })
	if start < 0 || i == len(toks) || toks[i].start != start {
		return -1
	}
	return i
}

// lexAfter returns the index of the first token that starts at or after
// offset end.
func lexAfter(toks []lexTok, end int) int {
	return sort.Search(len(toks), func(i int) bool { return toks[i].start >= end })
}

// closing returns the index of the ")" that closes the "(" at toks[i], -1
// if none does.
func closing(toks []lexTok, i int) int {
	depth := 0
	for k := i; k < len(toks); k++ {
		switch {
		case toks[k].is("("):
			depth++
		case toks[k].is(")"):
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// opening returns the index of the "(" that the ")" at toks[i] closes, -1
// if none does.
func opening(toks []lexTok, i int) int {
	depth := 0
	for k := i; k >= 0; k-- {
		switch {
		case toks[k].is(")"):
			depth++
		case toks[k].is("("):
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// split splits toks[from:to] at the commas outside parentheses; each
// part is a [start, end) range of token indexes.
func split(toks []lexTok, from, to int) [][2]int {
	var parts [][2]int
	depth, start := 0, from
	for k := from; k < to; k++ {
		switch {
		case toks[k].is("("):
			depth++
		case toks[k].is(")"):
			depth--
		case toks[k].is(",") && depth == 0:
			parts = append(parts, [2]int{start, k})
			start = k + 1
		}
	}
	return append(parts, [2]int{start, to})
}
