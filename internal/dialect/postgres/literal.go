package postgres

import (
	"fmt"
	"sort"
	"strconv"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// implicitConstant names a constant the grammar made up without a token of
// its own in the text (FETCH FIRST ROW ONLY's 1, EXTRACT's field name).
const implicitConstant = "implicit constant"

// constant lowers a constant. Strings, numbers and booleans become a
// Literal with the byte span of their token; NULL becomes Null.
func (l *lowerer) constant(c *pg_query.A_Const) query.Expr {
	if c.GetIsnull() {
		return &query.Null{}
	}
	var value string
	str := false
	switch v := c.GetVal().(type) {
	case *pg_query.A_Const_Sval:
		value, str = v.Sval.GetSval(), true
	case *pg_query.A_Const_Ival:
		value = strconv.FormatInt(int64(v.Ival.GetIval()), 10)
	case *pg_query.A_Const_Fval:
		value = v.Fval.GetFval()
	case *pg_query.A_Const_Boolval:
		value = strconv.FormatBool(v.Boolval.GetBoolval())
	case *pg_query.A_Const_Bsval:
		return &query.Op{Kind: query.OpConstant, Name: "bit string constant"}
	default:
		return &query.Op{Name: "unsupported expression A_Const"}
	}
	start, end, ok := l.span(int(c.GetLocation()), str)
	if !ok {
		return &query.Op{Kind: query.OpConstant, Name: implicitConstant}
	}
	return &query.Literal{Value: value, Start: start, End: end, String: str}
}

// span returns the byte span of the constant token that starts at loc: a
// string constant (with the UESCAPE clause of a U&'...' string), or a
// number or boolean (with a leading minus sign the grammar folded into
// it). ok is false when no such token starts at loc.
func (l *lowerer) span(loc int, str bool) (start, end int, ok bool) {
	toks := l.scan()
	i := sort.Search(len(toks), func(i int) bool { return int(toks[i].GetStart()) >= loc })
	if loc < 0 || i == len(toks) || int(toks[i].GetStart()) != loc {
		return 0, 0, false
	}
	t := toks[i]
	kind := t.GetToken()
	switch {
	case str && kind == pg_query.Token_SCONST:
		return loc, int(t.GetEnd()), true
	case str && kind == pg_query.Token_USCONST:
		if i+2 < len(toks) && toks[i+1].GetToken() == pg_query.Token_UESCAPE &&
			toks[i+2].GetToken() == pg_query.Token_SCONST {
			return loc, int(toks[i+2].GetEnd()), true
		}
		return loc, int(t.GetEnd()), true
	case str:
		return 0, 0, false
	case kind == pg_query.Token_ASCII_45 && i+1 < len(toks) && isNumberToken(toks[i+1].GetToken()):
		return loc, int(toks[i+1].GetEnd()), true
	case isNumberToken(kind) || kind == pg_query.Token_TRUE_P || kind == pg_query.Token_FALSE_P:
		return loc, int(t.GetEnd()), true
	}
	return 0, 0, false
}

// isNumberToken reports whether k is a numeric constant token.
func isNumberToken(k pg_query.Token) bool {
	return k == pg_query.Token_ICONST || k == pg_query.Token_FCONST
}

// scan returns the tokens of the text, scanning it on first use.
func (l *lowerer) scan() []*pg_query.ScanToken {
	if l.scanned {
		return l.tokens
	}
	l.scanned = true
	res, err := pgScan(l.sql)
	if err != nil {
		// The parser accepted the text, so the scanner should too; without
		// tokens every constant becomes an Op, and Parse fails.
		if l.err == nil {
			l.err = fmt.Errorf("postgres: scanning SQL for literal positions: %w", syntaxError(err))
		}
		return nil
	}
	l.tokens = res.GetTokens()
	return l.tokens
}
