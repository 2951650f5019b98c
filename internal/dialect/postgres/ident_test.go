package postgres

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

var identCases = []struct {
	in, want string
}{
	{"metabase_database", "metabase_database"},
	{"Metabase_Database", "metabase_database"},
	{"DETAILS", "details"},
	{`"MixedCase"`, "MixedCase"},
	{`"with space"`, "with space"},
	{`"a""b"`, `a"b`},
	{`"details"`, "details"},
	{"Ünïcode", "Ünïcode"},
	{"ABCÉ", "abcÉ"},
	{strings.Repeat("A", 70), strings.Repeat("a", 63)},
	{`"` + strings.Repeat("B", 70) + `"`, strings.Repeat("B", 63)},
	{strings.Repeat("a", 62) + "é", strings.Repeat("a", 62)},
}

func TestFoldIdent(t *testing.T) {
	for _, tc := range identCases {
		assert.Equal(t, tc.want, FoldIdent(tc.in), tc.in)
	}
}

// TestFoldIdentMatchesParser checks that FoldIdent names a table the way the
// parser does when the same identifier is written in SQL.
func TestFoldIdentMatchesParser(t *testing.T) {
	for _, tc := range identCases {
		stmts, err := Parser{}.Parse("SELECT 1 FROM " + tc.in)
		require.NoError(t, err, tc.in)
		ref := stmts[0].(*query.Select).From[0].(*query.TableRef)
		assert.Equal(t, FoldIdent(tc.in), ref.Table.Name, tc.in)
	}
}
