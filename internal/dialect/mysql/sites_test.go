package mysql

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// lowerWithTokens runs the locating lowering of sql with the given tokens
// in place of what the scanner found.
func lowerWithTokens(t *testing.T, sql string, toks []token) []query.Statement {
	t.Helper()
	sc := scan(sql)
	orig, err := parseAST(sql)
	require.NoError(t, err)
	params, err := numberParams(orig, sc.params)
	require.NoError(t, err)
	sc.tokens = toks
	stmts, err := lowerLocated(sql, sc, orig, params)
	require.NoError(t, err)
	return stmts
}

func TestLocateRefusesWrongDecoding(t *testing.T) {
	sql := "INSERT INTO t (a, b) VALUES ('x', 'y')"
	toks := scan(sql).tokens
	require.Len(t, toks, 2)
	toks[0].Value = "not x"
	got := render(lowerWithTokens(t, sql, toks))
	assert.Equal(t, `insert{t cols=[a b] rows=[[op[`+unlocatedName+`](), "y"@34:37]]}`, got)
}

func TestLocateRefusesChangedStructure(t *testing.T) {
	// A "token" over the column name b changes what the marked text
	// means; no literal of the statement is then located.
	sql := "INSERT INTO t (a, b) VALUES ('x', 'y')"
	toks := scan(sql).tokens
	bogus := token{Start: 18, End: 19, RepStart: 18, Value: "b"}
	got := render(lowerWithTokens(t, sql, []token{bogus, toks[0], toks[1]}))
	assert.Equal(t, `insert{t cols=[a b] rows=[[op[`+unlocatedName+`](), op[`+unlocatedName+`]()]]}`, got)
}

func TestLocateUsesEachTokenOnce(t *testing.T) {
	s := &sites{
		mode:   modeLocate,
		values: []string{"v", "v"},
		toks:   []token{{Start: 0, End: 3, Value: "v"}},
		marks:  markers{prefix: "p#"},
		used:   make([]bool, 1),
	}
	first := s.literal("p#0.")
	assert.Equal(t, &query.Literal{Value: "v", Start: 0, End: 3, String: true}, first)
	assert.Equal(t, &query.Op{Kind: query.OpConstant, Name: unlocatedName}, s.literal("p#0."))
}

func TestLocateNeedsConsecutiveTokens(t *testing.T) {
	s := &sites{
		mode:   modeLocate,
		values: []string{"ac", "ab"},
		toks:   []token{{Start: 0, End: 3, Value: "a"}, {Start: 4, End: 7, Value: "b"}, {Start: 8, End: 11, Value: "c"}},
		marks:  markers{prefix: "p#"},
		used:   make([]bool, 3),
	}
	assert.Equal(t, &query.Op{Kind: query.OpConstant, Name: unlocatedName}, s.literal("p#0.p#2."))
	assert.Equal(t, &query.Literal{Value: "ab", Start: 0, End: 7, String: true}, s.literal("p#0.p#1."))
}

func TestLocateRefusesDifferentLowering(t *testing.T) {
	// Here the marked text still parses, but the column b has become a
	// string: the two lowerings differ, so nothing is located.
	sql := "SELECT b, 'x' FROM t"
	toks := scan(sql).tokens
	bogus := token{Start: 7, End: 8, RepStart: 7, Value: "b"}
	got := render(lowerWithTokens(t, sql, []token{bogus, toks[0]}))
	assert.Equal(t, `select{from=[t] items=[b, op[`+unlocatedName+`]()]}`, got)
}
