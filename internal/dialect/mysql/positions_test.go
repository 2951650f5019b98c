package mysql

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// parsed parses sql, which holds one statement, keeping positions.
func parsed(t *testing.T, sql string) query.Statement {
	t.Helper()
	var p Parser
	stmts, err := p.Parse(sql)
	require.NoError(t, err)
	require.Len(t, stmts, 1)
	return stmts[0]
}

// at returns one plus the offset of the n-th (from 0) occurrence of sub.
func at(t *testing.T, sql, sub string, n int) int {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		k := indexFrom(sql, sub, off)
		require.GreaterOrEqual(t, k, 0, "%q in %q", sub, sql)
		if i == n {
			return k + 1
		}
		off = k + 1
	}
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestLocateInsert(t *testing.T) {
	sql := "INSERT /* c */ INTO `t` (a, `B`, t.c) VALUES (?, 'x' 'y', NULL), (DEFAULT, ?, (?))"
	ins := parsed(t, sql).(*query.Insert)
	assert.Equal(t, []int{at(t, sql, "a,", 0), at(t, sql, "`B`", 0), at(t, sql, "c)", 0)}, ins.ColumnAt)
	assert.Equal(t, [][]int{
		{at(t, sql, "?", 0), at(t, sql, "'x'", 0), at(t, sql, "NULL", 0)},
		{at(t, sql, "DEFAULT", 0), at(t, sql, "?", 1), 0}, // (?) is not one token
	}, ins.RowAt)

	sql = "INSERT INTO t SET a = ?, b := 'v' ON DUPLICATE KEY UPDATE b = VALUES(b), a = a + ?"
	ins = parsed(t, sql).(*query.Insert)
	assert.True(t, ins.SetForm)
	assert.Equal(t, [][]int{{at(t, sql, "?", 0), at(t, sql, "'v'", 0)}}, ins.RowAt)
	assert.Equal(t, at(t, sql, "VALUES(b)", 0), ins.OnConflict[0].ValueAt)
	assert.Equal(t, 0, ins.OnConflict[1].ValueAt)

	// Only a list right after the table name is taken for the column
	// list: after a partition list, it is not located.
	ins = parsed(t, "INSERT INTO t PARTITION (a) (a) VALUES (?)").(*query.Insert)
	assert.Nil(t, ins.ColumnAt)
}

func TestLocateUpdateAndLookups(t *testing.T) {
	sql := "UPDATE t SET a = ?, b = (?) WHERE t.`A` = ? AND ? = b AND c IN (?, 'z') AND (d) = ? AND x.e = y.e"
	u := parsed(t, sql).(*query.Update)
	assert.Equal(t, at(t, sql, "?", 0), u.Set[0].ValueAt)
	assert.Equal(t, 0, u.Set[1].ValueAt)
	refs := map[string]int{}
	query.Walk([]query.Statement{u}, func(e query.Expr) {
		if r, ok := e.(*query.ColRef); ok {
			refs[r.Qualifier+"."+r.Name] = r.At
		}
	})
	assert.Equal(t, map[string]int{
		"t.a": at(t, sql, "t.`A`", 0),
		".b":  at(t, sql, "b AND", 0),
		".c":  at(t, sql, "c IN", 0),
		".d":  0, // (d) is not located
		"x.e": at(t, sql, "x.e", 0),
		"y.e": at(t, sql, "y.e", 0),
	}, refs)

	// Several statements: nothing is located.
	var p Parser
	stmts, err := p.Parse("SELECT 1; SELECT id FROM t WHERE a = ?")
	require.NoError(t, err)
	query.Walk(stmts, func(e query.Expr) {
		if r, ok := e.(*query.ColRef); ok {
			assert.Zero(t, r.At)
		}
	})
}

func TestSpanner(t *testing.T) {
	var p Parser
	sql := "SELECT x FROM t WHERE s.`t`.c = ? AND VALUES(`d`) AND f(x) AND N'str'"
	end, ok := p.TokenEnd(sql, at(t, sql, "?", 0)-1)
	assert.True(t, ok)
	assert.Equal(t, at(t, sql, "?", 0), end)
	end, ok = p.TokenEnd(sql, at(t, sql, "N'str'", 0)-1)
	assert.True(t, ok)
	assert.Equal(t, len(sql), end)
	_, ok = p.TokenEnd(sql, at(t, sql, "= ?", 0)-1)
	assert.False(t, ok)
	s, e, ok := p.NameSpan(sql, at(t, sql, "s.", 0)-1)
	assert.True(t, ok)
	assert.Equal(t, "c", sql[s:e])
	_, _, ok = p.NameSpan(sql, at(t, sql, "f(x)", 0)-1)
	assert.False(t, ok)
	ns, ne, end, ok := p.ExcludedSpan(sql, at(t, sql, "VALUES", 0)-1)
	assert.True(t, ok)
	assert.Equal(t, "`d`", sql[ns:ne])
	assert.Equal(t, "VALUES(`d`)", sql[at(t, sql, "VALUES", 0)-1:end])
	assert.Equal(t, []int{at(t, sql, "?", 0) - 1}, p.ParamOffsets(sql))
}

// A string right after a keyword (THEN'x') is its own token.
func TestLexStringAfterWord(t *testing.T) {
	toks := lexTokens("CASE WHEN a THEN'x' ELSE b'01' END")
	var kinds []lexKind
	for _, tk := range toks {
		kinds = append(kinds, tk.kind)
	}
	assert.Equal(t, []lexKind{lexWord, lexWord, lexWord, lexWord, lexString, lexWord, lexString, lexWord}, kinds)
}
