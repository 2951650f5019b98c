package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// maxChain bounds how many operators an expression may chain without a
// separator. libpg_query builds a chain of left-associative operators
// (1+1+1...) as a tree as deep as the chain; it fails cleanly from about
// 5,000 (protobuf's recursion limit), but its C code overflows the stack,
// and crashes the process, from about 20,000. A text that crosses the bound
// is rejected before the C parser sees it, like any text it rejects.
const maxChain = 4096

// errTooDeep rejects a text with a longer chain.
var errTooDeep = &SyntaxError{Reason: "an expression chains too many operators (more than 4096 without a comma or parenthesis)"}

// chainOperators are the tokens that extend an expression's tree by one
// level: the operator symbols, and the keywords that act as operators. The
// keywords AND and OR are not among them: the parser flattens their chains.
var chainOperators = map[pg_query.Token]bool{
	pg_query.Token_Op: true, pg_query.Token_TYPECAST: true, pg_query.Token_LESS_EQUALS: true,
	pg_query.Token_GREATER_EQUALS: true, pg_query.Token_NOT_EQUALS: true, pg_query.Token_EQUALS_GREATER: true,
	pg_query.Token_COLON_EQUALS: true, pg_query.Token_DOT_DOT: true,
	pg_query.Token_IS: true, pg_query.Token_ISNULL: true, pg_query.Token_NOTNULL: true, pg_query.Token_NOT: true,
	pg_query.Token_COLLATE: true, pg_query.Token_AT: true, pg_query.Token_LIKE: true, pg_query.Token_ILIKE: true,
	pg_query.Token_SIMILAR: true, pg_query.Token_BETWEEN: true, pg_query.Token_IN_P: true,
	pg_query.Token_OPERATOR: true, pg_query.Token_ESCAPE: true,
}

// checkChains rejects a text whose expressions chain more than maxChain
// operators, counting from the scanner's tokens (a flat pass, safe on any
// input): operator tokens add one; a comma, a semicolon or a keyword that
// is not an operator ends the chain; parentheses open a chain of their own.
func checkChains(sql string) error {
	if len(sql) < 2*maxChain {
		return nil // a chain of maxChain operators takes twice as many bytes
	}
	scan, err := pgScan(sql)
	if err != nil {
		return nil // the parser rejects the text itself
	}
	counts := []int{0}
	for _, t := range scan.GetTokens() {
		tok := t.GetToken()
		top := len(counts) - 1
		switch {
		case tok == pg_query.Token_ASCII_40: // (
			counts = append(counts, 0)
		case tok == pg_query.Token_ASCII_41: // )
			if top > 0 {
				counts = counts[:top]
			}
		case tok == pg_query.Token_ASCII_44 || tok == pg_query.Token_ASCII_59: // , ;
			counts[top] = 0
		case tok < 256 || chainOperators[tok]:
			counts[top]++
			if counts[top] > maxChain {
				return errTooDeep
			}
		case t.GetKeywordKind() != pg_query.KeywordKind_NO_KEYWORD:
			counts[top] = 0
		}
	}
	return nil
}
