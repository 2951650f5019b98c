package mysql

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScanTokens(t *testing.T) {
	tests := []struct {
		name   string
		sql    string
		tokens []string // sql[Start:End] of each token
		values []string
	}{
		{"plain", `SELECT 'a', "b"`, []string{`'a'`, `"b"`}, []string{"a", "b"}},
		{"escapes", `'a\'b' 'c''d' "e""f" 'g\\'`, []string{`'a\'b'`, `'c''d'`, `"e""f"`, `'g\\'`}, []string{"a'b", "c'd", `e"f`, `g\`}},
		{"escape table", `'\0\b\n\r\t\Z\%\_\x\"'`, []string{`'\0\b\n\r\t\Z\%\_\x\"'`}, []string{"\x00\b\n\r\t\x1a\\%\\_x\""}},
		{"introducers", `_utf8mb4'a' _binary 'b' N'c' n'd' _latin1 X'41'`, []string{`_utf8mb4'a'`, `_binary 'b'`, `N'c'`, `n'd'`, `_latin1 X'41'`}, []string{"a", "b", "c", "d", "A"}},
		{"hex", `X'4142' x'' 0x41 0x414 0X41 t.0x41 0x41g`, []string{`X'4142'`, `x''`, `0x41`, `0x414`}, []string{"AB", "", "A", "\x04\x14"}},
		{"bit literals are not strings", `b'0101' B'1' 0b11`, nil, nil},
		{"identifier ending in x", `max'a'`, []string{`'a'`}, []string{"a"}},
		{"comments", "/* 'a' */ -- 'b'\n# 'c'\n/*+ 'd' */ 'e' --'f'", []string{`'e'`, `'f'`}, []string{"e", "f"}},
		{"dash comment at end", "'a' --", []string{`'a'`}, []string{"a"}},
		{"backticks", "`it's` 'a' `x``'y`", []string{`'a'`}, []string{"a"}},
		{"user variables", `@'a' @"b" @@'c' @x 'd'`, []string{`'d'`}, []string{"d"}},
		{"naming strings", `LIKE 'a' ESCAPE '!' COLLATE 'x' CHARSET 'y' CHARACTER SET 'z' NAMES 'w'`, []string{`'a'`}, []string{"a"}},
		{"naming word must be adjacent", `escape = 'a'`, []string{`'a'`}, []string{"a"}},
		{"executable comment", `/*! 'a' */ /*!50000 'b' */ 'c'`, []string{`'a'`, `'b'`, `'c'`}, []string{"a", "b", "c"}},
		{"vendor comments are skipped", `/*M! 'a' */ /*T![x] 'b' */ 'c'`, []string{`'c'`}, []string{"c"}},
		{"unterminated", `'a' 'b`, []string{`'a'`}, []string{"a"}},
		{"unterminated escape", `'a' 'b\`, []string{`'a'`}, []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := scan(tc.sql)
			var toks, vals []string
			for _, tok := range sc.tokens {
				toks = append(toks, tc.sql[tok.Start:tok.End])
				vals = append(vals, tok.Value)
				assert.True(t, tok.Start <= tok.RepStart && tok.RepStart < tok.End)
			}
			assert.Equal(t, tc.tokens, toks)
			assert.Equal(t, tc.values, vals)
		})
	}
}

func TestScanParams(t *testing.T) {
	tests := map[string]int{
		"SELECT ?":                         1,
		"SELECT ?, '?', \"?\", `?`, ?":     2,
		"SELECT ? /* ? */ -- ?\n# ?\n, ?":  2,
		"SELECT @'?', ?":                   1,
		"SELECT /*! ? */ 1":                1,
		"SELECT /*M! ? */ 1":               0,
		"SELECT 'it\\'s ?', ?; SELECT ?":   2,
		"SELECT x'3F', ?":                  1,
		"SELECT '?' '?' ? ?? /*+ ? */ ?":   4,
		"SELECT 1 FROM t WHERE a LIKE '?'": 0,
	}
	for sql, want := range tests {
		assert.Equal(t, want, scan(sql).params, sql)
	}
}

func TestScanConditional(t *testing.T) {
	tests := map[string]bool{
		"SELECT 1":                    false,
		"SELECT /*! 1 */":             false,
		"SELECT /*!50000 1 */":        true,
		"SELECT /*!5 1 */":            true,
		"SELECT /*M! 1 */ 1":          true,
		"SELECT /*T![a] 1 */ 1":       true,
		"SELECT '/*!50000 1 */'":      false,
		"SELECT 1 -- /*!50000 1 */":   false,
		"SELECT /* /*!50000 */ 1":     false,
		"SELECT /*+ HINT() */ 1":      false,
		"SELECT `/*M! x */` FROM t":   false,
		"SELECT 1 # /*T! x */\n, 2":   false,
		"SELECT \"/*M! x */\" FROM t": false,
	}
	for sql, want := range tests {
		assert.Equal(t, want, scan(sql).conditional, sql)
	}
}

func TestMarkers(t *testing.T) {
	m := newMarkers("SELECT 'sqlseal0#' FROM t")
	assert.Equal(t, "sqlseal1#", m.prefix, "the prefix must not occur in the text")

	idx, ok := m.decode(m.text(3) + m.text(4))
	require.True(t, ok)
	assert.Equal(t, []int{3, 4}, idx)

	for _, bad := range []string{"", "x", m.text(1) + "x", m.prefix + "1", m.prefix + ".", m.prefix + "01.", m.prefix + "-1.", "sqlseal0#1."} {
		_, ok := m.decode(bad)
		assert.False(t, ok, bad)
	}
}

func TestMarkText(t *testing.T) {
	sql := `SELECT _utf8mb4'a', N'b', 0x41, X'42', 'c'`
	sc := scan(sql)
	require.Len(t, sc.tokens, 5)
	m := newMarkers(sql)
	got := markText(sql, sc.tokens, m)
	want := `SELECT _utf8mb4'sqlseal0#0.', N'sqlseal0#1.', X'` + hexOf(m.text(2)) + `', X'` + hexOf(m.text(3)) + `', 'sqlseal0#4.'`
	assert.Equal(t, want, got)
}

func hexOf(s string) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(out)
}
