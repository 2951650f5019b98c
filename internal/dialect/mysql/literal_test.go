package mysql

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// insertValues parses a one-row INSERT and returns its values.
func insertValues(t *testing.T, sql string) []query.Expr {
	t.Helper()
	stmts := mustParse(t, sql)
	require.Len(t, stmts, 1)
	ins, ok := stmts[0].(*query.Insert)
	require.True(t, ok, "want *query.Insert, got %T", stmts[0])
	require.Len(t, ins.Rows, 1)
	return ins.Rows[0]
}

func TestLiteralOffsets(t *testing.T) {
	tests := []struct {
		name  string
		sql   string
		token string // sql[Start:End] of the first value
		value string
	}{
		{"single quotes", `INSERT INTO t (details) VALUES ('{"host":"db"}')`, `'{"host":"db"}'`, `{"host":"db"}`},
		{"double quotes", `INSERT INTO t (details) VALUES ("it's")`, `"it's"`, "it's"},
		{"doubled quote", `INSERT INTO t (details) VALUES ('it''s')`, `'it''s'`, "it's"},
		{"backslash escapes", `INSERT INTO t (details) VALUES ('a\'b\\c\nd\%')`, `'a\'b\\c\nd\%'`, "a'b\\c\nd\\%"},
		{"escaped backslash at end", `INSERT INTO t (details, b) VALUES ('x\\', 'y')`, `'x\\'`, `x\`},
		{"invalid utf-8 kept as bytes", "INSERT INTO t (details) VALUES ('caf\xe9')", "'caf\xe9'", "caf\xe9"},
		{"introducer", `INSERT INTO t (details) VALUES (_utf8mb4'secret')`, `_utf8mb4'secret'`, "secret"},
		{"introducer with space", "INSERT INTO t (details) VALUES (_binary  'secret')", "_binary  'secret'", "secret"},
		{"national", `INSERT INTO t (details) VALUES (N'secret')`, `N'secret'`, "secret"},
		{"hex quoted", `INSERT INTO t (details) VALUES (X'7B7D')`, `X'7B7D'`, "{}"},
		{"hex lower", `INSERT INTO t (details) VALUES (x'7b7d')`, `x'7b7d'`, "{}"},
		{"hex number", `INSERT INTO t (details) VALUES (0x7B7D)`, `0x7B7D`, "{}"},
		{"empty string", `INSERT INTO t (details) VALUES ('')`, `''`, ""},
		{"empty hex", `INSERT INTO t (details) VALUES (X'')`, `X''`, ""},
		{"concatenated", `INSERT INTO t (details) VALUES ('a' "b" /* c */ 'c')`, `'a' "b" /* c */ 'c'`, "abc"},
		{"concatenated lines", "INSERT INTO t (details) VALUES ('a'\n'b')", "'a'\n'b'", "ab"},
		{"multibyte", `INSERT INTO t (details) VALUES ('pässwörd ✓')`, `'pässwörd ✓'`, "pässwörd ✓"},
		{"question mark inside", `INSERT INTO t (details) VALUES ('?')`, `'?'`, "?"},
		{"comment-like content", `INSERT INTO t (details) VALUES ('-- /* # */')`, `'-- /* # */'`, "-- /* # */"},
		{"looks like a marker", `INSERT INTO t (details) VALUES ('sqlseal0#0.')`, `'sqlseal0#0.'`, "sqlseal0#0."},
		{"set form", `INSERT INTO t SET details = 'secret'`, `'secret'`, "secret"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vals := insertValues(t, tc.sql)
			lit, ok := vals[0].(*query.Literal)
			require.True(t, ok, "want *query.Literal, got %s", renderExpr(vals[0]))
			assert.True(t, lit.String)
			assert.Equal(t, tc.value, lit.Value)
			assert.Equal(t, tc.token, tc.sql[lit.Start:lit.End])
		})
	}
}

func TestLiteralOffsetsEqualValues(t *testing.T) {
	// Equal values in different places must each get their own token.
	sql := `INSERT INTO t (a, details, c) VALUES ('same', "same", 'same') ON DUPLICATE KEY UPDATE details = 'same'`
	stmts := mustParse(t, sql)
	ins := stmts[0].(*query.Insert)
	var starts []int
	for _, e := range append(ins.Rows[0], ins.OnConflict[0].Value) {
		lit := e.(*query.Literal)
		assert.Equal(t, "same", lit.Value)
		starts = append(starts, lit.Start)
	}
	assert.Equal(t, []int{38, 46, 54, 96}, starts)
	assert.Equal(t, `"same"`, sql[46:52])
}

func TestLiteralOffsetsEverywhere(t *testing.T) {
	// Every string literal in the model points at its own token.
	sqls := []string{
		`SELECT 'a' AS 'alias', "b" 'c', x'41' FROM t WHERE d = 'e' AND f LIKE 'g%' ESCAPE '!' ORDER BY 'h' LIMIT 1`,
		`SET NAMES 'utf8mb4'; INSERT INTO t (a, b) VALUES ('x', @'v'), ('y', 'z'); UPDATE t SET a = 'w' WHERE b = 'x'`,
		`SELECT 'a' FROM t WHERE b = _utf8mb4'c' COLLATE 'utf8mb4_bin' AND d = CAST('e' AS CHAR CHARACTER SET 'utf8mb4')`,
		"SELECT /*+ MAX_EXECUTION_TIME(1) */ 'a' -- it's\n, 'b' # it's\n, `it's` FROM t",
		`WITH c AS (SELECT 'a' AS x) SELECT x, 'b' FROM c UNION SELECT 'c', 'd'`,
		`INSERT INTO t (details) SELECT CONCAT('a', details) FROM s WHERE n IN ('b', 'c')`,
	}
	for _, sql := range sqls {
		t.Run(sql, func(t *testing.T) {
			lits := 0
			for _, e := range collect(mustParse(t, sql)) {
				lit, ok := e.(*query.Literal)
				if !ok || !lit.String {
					continue
				}
				lits++
				require.True(t, lit.Start >= 0 && lit.Start < lit.End && lit.End <= len(sql), "bad offsets %d:%d", lit.Start, lit.End)
				// The span holds whole tokens that decode to the value.
				sc := scan(sql[lit.Start:lit.End])
				dec := ""
				for _, tok := range sc.tokens {
					dec += tok.Value
				}
				require.NotEmpty(t, sc.tokens)
				assert.Equal(t, 0, sc.tokens[0].Start)
				assert.Equal(t, lit.End-lit.Start, sc.tokens[len(sc.tokens)-1].End)
				assert.Equal(t, lit.Value, dec)
			}
			assert.NotZero(t, lits)
		})
	}
}

func TestLiteralUnlocated(t *testing.T) {
	tests := []struct {
		name string
		sql  string
	}{
		// A bit literal is not scanned as a string: its value is binary.
		{"bit literal", "INSERT INTO t (details) VALUES (b'01111011')"},
		// The second parse fails here (the marker is longer than one
		// character), so no literal of the statement is located.
		{"outfile options", `SELECT 'a' FROM t INTO OUTFILE '/x' FIELDS ENCLOSED BY '"'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stmts := mustParse(t, tc.sql)
			var first query.Expr
			switch s := stmts[0].(type) {
			case *query.Insert:
				first = s.Rows[0][0]
			case *query.Select:
				first = s.Items[0].Expr
			}
			assert.Equal(t, &query.Op{Kind: query.OpConstant, Name: unlocatedName}, first)
		})
	}
}

func TestNonStringLiterals(t *testing.T) {
	vals := insertValues(t, "INSERT INTO t (a, b, c, d, e, f, g) VALUES (1, -2, 1.5, 1e3, TRUE, NULL, 18446744073709551615)")
	assert.Equal(t, []query.Expr{
		&query.Literal{Value: "1"},
		&query.Op{Kind: query.OpOperator, Name: "operator -", Args: []query.Expr{&query.Literal{Value: "2"}}},
		&query.Literal{Value: "1.5"},
		&query.Literal{Value: "1e+03"},
		&query.Literal{Value: "TRUE"},
		&query.Null{},
		&query.Literal{Value: "18446744073709551615"},
	}, vals)
}

func TestLiteralAlias(t *testing.T) {
	// A string used as an alias names the column and is not a value.
	stmts := mustParse(t, `SELECT details 'D', name AS "n" FROM metabase_database`)
	assert.Equal(t, "select{from=[metabase_database] items=[details AS d, name AS n]}", render(stmts))
}
