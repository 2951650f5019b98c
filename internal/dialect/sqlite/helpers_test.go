package sqlite

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// mustLex lexes sql and fails the test on an error.
func mustLex(t *testing.T, sql string) []token {
	t.Helper()
	toks, err := lex(sql)
	require.NoError(t, err)
	return toks
}

// textCase is one SQL text and what a function of it must give.
type textCase[W any] struct {
	name string
	sql  string
	want W
}

// runTextCases checks, in a subtest per case, that f gives want for sql.
func runTextCases[W any](t *testing.T, cases []textCase[W], f func(t *testing.T, sql string) W) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, f(t, tc.sql))
		})
	}
}
