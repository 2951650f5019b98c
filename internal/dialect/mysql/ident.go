package mysql

import "strings"

// FoldIdent normalises an identifier from configuration the way this
// front-end normalises identifiers in SQL: MySQL compares table and column
// names case-insensitively, so FoldIdent strips backtick quoting if
// present and lower-cases the name.
func FoldIdent(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return strings.ToLower(s)
}
