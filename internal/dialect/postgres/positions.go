package postgres

import (
	"sort"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

var _ query.Spanner = Parser{}

// at returns one plus the location libpg_query gives n, for the value
// kinds a blind index rewrite adds another value after (a parameter, a
// constant, NULL, DEFAULT, a column reference); 0 for any other node,
// whose extent the analysis cannot find.
func at(n *pg_query.Node) int {
	var loc int32 = -1
	switch v := n.GetNode().(type) {
	case *pg_query.Node_ParamRef:
		loc = v.ParamRef.GetLocation()
	case *pg_query.Node_AConst:
		loc = v.AConst.GetLocation()
	case *pg_query.Node_SetToDefault:
		loc = v.SetToDefault.GetLocation()
	case *pg_query.Node_ColumnRef:
		loc = v.ColumnRef.GetLocation()
	}
	if loc < 0 {
		return 0
	}
	return int(loc) + 1
}

// tokenAt returns the index of the token of toks that starts at start,
// -1 if none does.
func tokenAt(toks []*pg_query.ScanToken, start int) int {
	i := sort.Search(len(toks), func(i int) bool { return int(toks[i].GetStart()) >= start })
	if start < 0 || i == len(toks) || int(toks[i].GetStart()) != start {
		return -1
	}
	return i
}

// TokenEnd implements query.Spanner: the end of the parameter, constant,
// NULL, DEFAULT or name token that starts at start.
func (Parser) TokenEnd(sql string, start int) (int, bool) {
	res, err := pgScan(sql)
	if err != nil {
		return 0, false
	}
	toks := res.GetTokens()
	i := tokenAt(toks, start)
	if i < 0 {
		return 0, false
	}
	switch t := toks[i]; t.GetToken() {
	case pg_query.Token_PARAM, pg_query.Token_SCONST, pg_query.Token_NULL_P, pg_query.Token_DEFAULT:
		return int(t.GetEnd()), true
	default:
		if isName(t) {
			return int(t.GetEnd()), true
		}
	}
	return 0, false
}

// NameSpan implements query.Spanner: the last name of the dotted column
// reference that starts at start.
func (Parser) NameSpan(sql string, start int) (int, int, bool) {
	res, err := pgScan(sql)
	if err != nil {
		return 0, 0, false
	}
	toks := res.GetTokens()
	i := tokenAt(toks, start)
	if i < 0 || !isName(toks[i]) {
		return 0, 0, false
	}
	for i+2 < len(toks) && toks[i+1].GetToken() == pg_query.Token_ASCII_46 && isName(toks[i+2]) {
		i += 2
	}
	// A name followed by "." and anything else (t.*) is not a column.
	if i+1 < len(toks) && toks[i+1].GetToken() == pg_query.Token_ASCII_46 {
		return 0, 0, false
	}
	return int(toks[i].GetStart()), int(toks[i].GetEnd()), true
}

var _ query.Encloser = Parser{}

// OpensBefore implements query.Encloser: the "(" tokens right before the
// token that starts at start.
func (Parser) OpensBefore(sql string, start int) (int, bool) {
	res, err := pgScan(sql)
	if err != nil {
		return 0, false
	}
	toks := res.GetTokens()
	i := tokenAt(toks, start)
	if i < 0 {
		return 0, false
	}
	n := 0
	for j := i - 1; j >= 0 && toks[j].GetToken() == pg_query.Token_ASCII_40; j-- {
		n++
	}
	return n, true
}

// Between implements query.Encloser.
func (Parser) Between(sql string, start, end int) ([]string, bool) {
	res, err := pgScan(sql)
	if err != nil || start < 0 || end > len(sql) || start > end {
		return nil, false
	}
	var out []string
	for _, t := range res.GetTokens() {
		ts, te := int(t.GetStart()), int(t.GetEnd())
		switch {
		case te <= start || ts >= end:
		case ts < start || te > end:
			return nil, false
		case t.GetToken() == pg_query.Token_SQL_COMMENT || t.GetToken() == pg_query.Token_C_COMMENT:
		default:
			out = append(out, sql[ts:te])
		}
	}
	return out, true
}

// isName reports whether t can be a name: an identifier (plain, quoted or
// U&"..."), or a keyword, which PostgreSQL accepts as a column name in many
// places.
func isName(t *pg_query.ScanToken) bool {
	switch t.GetToken() {
	case pg_query.Token_IDENT, pg_query.Token_UIDENT:
		return true
	}
	return t.GetKeywordKind() != pg_query.KeywordKind_NO_KEYWORD
}
