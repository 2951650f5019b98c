package postgres

import (
	"errors"
	"strings"
	"testing"
)

// TestParserTrap: text nested deeper than the parser can take is refused
// with an error that quotes no SQL, and the parser keeps working. A chain
// of 30,000 operators would crash the process inside the native parser
// (a C stack overflow): it is rejected before the parser sees it. 5,000
// nested subqueries make the WebAssembly back-end trap (a syntax error
// here) and the native one run out of parser stack.
func TestParserTrap(t *testing.T) {
	var p Parser
	for name, deep := range map[string]string{
		"chain":      "SELECT " + strings.Repeat("1+", 30000) + "1",
		"subqueries": "SELECT " + strings.Repeat("(SELECT ", 5000) + "1" + strings.Repeat(")", 5000),
	} {
		_, err := p.Parse(deep)
		switch {
		case err == nil:
			t.Fatalf("%s: no error", name)
		case !errors.Is(err, ErrSyntax):
			t.Fatalf("%s: %v does not wrap ErrSyntax", name, err)
		case strings.Contains(err.Error(), "1+1"), strings.Contains(err.Error(), "(SELECT"):
			t.Fatalf("%s: the error quotes the SQL: %v", name, err)
		}
		for i := 0; i < 2; i++ {
			stmts, err := p.Parse(`INSERT INTO metabase_database (name, details) VALUES ('a', $1)`)
			if err != nil || len(stmts) != 1 {
				t.Fatalf("after the deep %s: stmts=%v err=%v", name, stmts, err)
			}
		}
	}
}

// Long texts that are not deep pass the bound: separators end a chain, and
// AND and OR chains are flattened by the parser.
func TestChainBoundLetsLongTextsThrough(t *testing.T) {
	var p Parser
	for name, text := range map[string]string{
		"values":   "INSERT INTO t (a, b) VALUES " + strings.TrimSuffix(strings.Repeat("(-1, 2+3), ", 5000), ", "),
		"in list":  "SELECT * FROM t WHERE a IN (" + strings.TrimSuffix(strings.Repeat("1+1, ", 10000), ", ") + ")",
		"or chain": "SELECT * FROM t WHERE " + strings.TrimSuffix(strings.Repeat("a = 1 OR ", 5000), "OR "),
		"parens":   "SELECT " + strings.TrimSuffix(strings.Repeat("(1+1)*", 2000), "*"),
	} {
		if _, err := p.Parse(text); errors.Is(err, errTooDeep) || (err != nil && strings.Contains(err.Error(), "chains too many")) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
