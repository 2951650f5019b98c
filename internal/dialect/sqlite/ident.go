package sqlite

import "strings"

// FoldIdent normalises an identifier from configuration the way SQLite
// compares names: the quotes of "name", [name] or `name` are removed (a
// doubled quote inside stands for one), and ASCII letters are lower-cased,
// since SQLite compares identifiers case-insensitively, quoted or not.
// Parse returns names in the same form.
func FoldIdent(s string) string {
	if len(s) >= 2 {
		switch first, last := s[0], s[len(s)-1]; {
		case first == '"' && last == '"':
			s = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
		case first == '`' && last == '`':
			s = strings.ReplaceAll(s[1:len(s)-1], "``", "`")
		case first == '[' && last == ']':
			s = s[1 : len(s)-1]
		}
	}
	return lowerASCII(s)
}
