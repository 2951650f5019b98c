package mysql

import "github.com/sqlseal/sqlseal/internal/query"

// siteMode says how a lowering treats string literals and names that may
// have come from string tokens (SELECT x AS 'alias', PREPARE s FROM '...').
type siteMode int

const (
	// modeDirect lowers the original text's tree when literals cannot be
	// located: a string literal becomes an Op that the analysis refuses
	// wherever a value would be sealed; names are kept.
	modeDirect siteMode = iota
	// modeRecord lowers a tree with every string literal and name replaced
	// by a placeholder, recording their values in order, so that the
	// lowerings of the original and of the marked text can be compared.
	modeRecord
	// modeLocate lowers the marked text's tree: literals are located by
	// their markers and take the values recorded from the original text.
	modeLocate
)

// unlocatedName is the Op name of a string literal whose position in the
// text is unknown.
const unlocatedName = "literal at an unknown position in the SQL text"

// sites resolves the string literals and names met during one lowering,
// in the order the lowering meets them.
type sites struct {
	mode siteMode
	// values and names are filled in modeRecord and read in modeLocate.
	values []string
	names  []string
	nv, nn int
	// toks and marks locate literals in modeLocate; used marks tokens
	// already taken by a literal.
	toks  []token
	marks markers
	used  []bool
}

// literal lowers a string or hexadecimal literal whose parsed value is raw.
func (s *sites) literal(raw string) query.Expr {
	switch s.mode {
	case modeRecord:
		s.values = append(s.values, raw)
		return &query.Literal{String: true}
	case modeLocate:
		i := s.nv
		s.nv++
		if i >= len(s.values) {
			return &query.Op{Kind: query.OpConstant, Name: unlocatedName}
		}
		if lit, ok := s.locate(raw, s.values[i]); ok {
			return lit
		}
	}
	return &query.Op{Kind: query.OpConstant, Name: unlocatedName}
}

// locate finds the tokens named by the markers in raw. It succeeds only if
// they are consecutive, not taken by another literal, and decode to want,
// the value the parser gave the same literal in the original text.
func (s *sites) locate(raw, want string) (*query.Literal, bool) {
	idx, ok := s.marks.decode(raw)
	if !ok {
		return nil, false
	}
	value := ""
	for k, i := range idx {
		if i >= len(s.toks) || s.used[i] || k > 0 && i != idx[k-1]+1 {
			return nil, false
		}
		value += s.toks[i].Value
	}
	if value != want {
		return nil, false
	}
	for _, i := range idx {
		s.used[i] = true
	}
	first, last := s.toks[idx[0]], s.toks[idx[len(idx)-1]]
	return &query.Literal{Value: want, Start: first.Start, End: last.End, String: true}, true
}

// name lowers an alias or other name that may have been written as a
// string token.
func (s *sites) name(raw string) string {
	switch s.mode {
	case modeRecord:
		s.names = append(s.names, raw)
		return ""
	case modeLocate:
		i := s.nn
		s.nn++
		if i < len(s.names) {
			return s.names[i]
		}
		return ""
	}
	return raw
}
