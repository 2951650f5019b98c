package sqlite

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// tk is a token as the tests spell it: kind, text and value.
type tk struct {
	kind  tokenKind
	text  string
	value string
}

func lexed(t *testing.T, sql string) []tk {
	t.Helper()
	toks := mustLex(t, sql)
	out := make([]tk, len(toks))
	for i, x := range toks {
		require.Equal(t, x.text, sql[x.start:x.end], "token offsets")
		out[i] = tk{x.kind, x.text, x.value}
	}
	return out
}

func TestLex(t *testing.T) {
	runTextCases(t, []textCase[[]tk]{
		{"strings with doubled quotes and backslashes", `'it''s' 'a\b' ''`, []tk{
			{tokString, `'it''s'`, "it's"}, {tokString, `'a\b'`, `a\b`}, {tokString, `''`, ""},
		}},
		{"quoted identifiers", "\"A\"\"b\" [x y] `c``d`", []tk{
			{tokQuoted, `"A""b"`, `A"b`}, {tokQuoted, "[x y]", "x y"}, {tokQuoted, "`c``d`", "c`d"},
		}},
		{"bare identifiers and keywords", "Select a$b _x été", []tk{
			{tokIdent, "Select", "Select"}, {tokIdent, "a$b", "a$b"}, {tokIdent, "_x", "_x"}, {tokIdent, "été", "été"},
		}},
		{"blobs", "X'4142' x'' xy", []tk{
			{tokBlob, "X'4142'", ""}, {tokBlob, "x''", ""}, {tokIdent, "xy", "xy"},
		}},
		{"numbers", "1 2.5 .5 1e10 1E-3 0x1F 1_000 3.", []tk{
			{tokNumber, "1", ""}, {tokNumber, "2.5", ""}, {tokNumber, ".5", ""}, {tokNumber, "1e10", ""},
			{tokNumber, "1E-3", ""}, {tokNumber, "0x1F", ""}, {tokNumber, "1_000", ""}, {tokNumber, "3.", ""},
		}},
		{"parameters", "? ?12 :name @n $d #h $a::b :x1 ?x", []tk{
			{tokParam, "?", ""}, {tokParam, "?12", ""}, {tokParam, ":name", ""}, {tokParam, "@n", ""},
			{tokParam, "$d", ""}, {tokParam, "#h", ""}, {tokParam, "$a::b", ""}, {tokParam, ":x1", ""},
			{tokParam, "?", ""}, {tokIdent, "x", "x"},
		}},
		{"tcl parameter with parenthesis", "$a(x)", []tk{{tokParam, "$a(x)", ""}}},
		{"comments are not tokens", "a -- c ' \n b /* ' */ c /* open", []tk{
			{tokIdent, "a", "a"}, {tokIdent, "b", "b"}, {tokIdent, "c", "c"},
		}},
		{"a slash star at the end is two operators", "a /*", []tk{
			{tokIdent, "a", "a"}, {tokPunct, "/", ""}, {tokPunct, "*", ""},
		}},
		{"operators", "== = != <> <= >= << >> || -> ->> - ( ) ; , . ~ & | % * / + < >", []tk{
			{tokPunct, "==", ""}, {tokPunct, "=", ""}, {tokPunct, "!=", ""}, {tokPunct, "<>", ""},
			{tokPunct, "<=", ""}, {tokPunct, ">=", ""}, {tokPunct, "<<", ""}, {tokPunct, ">>", ""},
			{tokPunct, "||", ""}, {tokPunct, "->", ""}, {tokPunct, "->>", ""}, {tokPunct, "-", ""},
			{tokPunct, "(", ""}, {tokPunct, ")", ""}, {tokPunct, ";", ""}, {tokPunct, ",", ""},
			{tokPunct, ".", ""}, {tokPunct, "~", ""}, {tokPunct, "&", ""}, {tokPunct, "|", ""},
			{tokPunct, "%", ""}, {tokPunct, "*", ""}, {tokPunct, "/", ""}, {tokPunct, "+", ""},
			{tokPunct, "<", ""}, {tokPunct, ">", ""},
		}},
		{"adjacent operators stay apart", "a<-1", []tk{
			{tokIdent, "a", "a"}, {tokPunct, "<", ""}, {tokPunct, "-", ""}, {tokNumber, "1", ""},
		}},
		{"a NUL byte ends the text as in SQLite", "a\x00 'unterminated", []tk{{tokIdent, "a", "a"}}},
		{"byte order mark is white space", "\xEF\xBB\xBFa", []tk{{tokIdent, "a", "a"}}},
	}, lexed)
}

func TestLexKeywords(t *testing.T) {
	toks := mustLex(t, "select Insert x REPLACE ſelect")
	var got []string
	for _, x := range toks {
		got = append(got, x.keyword)
	}
	// ſ upper-cases to S in Go, but SQLite matches keywords in ASCII only.
	require.Equal(t, []string{"SELECT", "INSERT", "", "REPLACE", ""}, got)
}

func TestLexErrors(t *testing.T) {
	for _, sql := range []string{
		"'open", `"open`, "[open", "`open", "123abc", "0x", "X'414'", "X'4G'", "!", ":", "$", "@ a",
		"$a(x", "$a(x y)", "\v", "1e+x",
	} {
		t.Run(sql, func(t *testing.T) {
			_, err := lex(sql)
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrSyntax))
		})
	}
}

func TestLexErrorsDoNotQuoteText(t *testing.T) {
	_, err := lex("SELECT 'hunter2")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "hunter2")
	require.Contains(t, err.Error(), "byte 7")
}
