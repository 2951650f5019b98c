package sqlite

import (
	"testing"

	"github.com/stretchr/testify/require"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestFoldIdent(t *testing.T) {
	CheckMapping(t, FoldIdent, map[string]string{
		"metabase_database":    "metabase_database",
		"Metabase_Database":    "metabase_database",
		`"Details"`:            "details",
		`"a""B"`:               `a"b`,
		"[My Table]":           "my table",
		"`Tick``S`":            "tick`s",
		"ÉtÉ":                  "ÉtÉ", // SQLite folds ASCII only
		`"`:                    `"`,
		"[unbalanced":          "[unbalanced",
		"":                     "",
		"`mixed\"":             "`mixed\"",
		"x":                    "x",
		"ALL_CAPS_WITH_DIGIT1": "all_caps_with_digit1",
	})
}

// TestFoldIdentMatchesParse checks that a configured name, folded, equals
// the name Parse reports for the same name written in SQL.
func TestFoldIdentMatchesParse(t *testing.T) {
	for _, name := range []string{"Metabase_Database", `"Metabase_Database"`, "[METABASE_DATABASE]", "`metabase_DATABASE`"} {
		stmts, err := Parser{}.Parse("DELETE FROM " + name)
		require.NoError(t, err)
		require.Equal(t, FoldIdent(name), stmts[0].(*query.Delete).Table.Name)
	}
}
