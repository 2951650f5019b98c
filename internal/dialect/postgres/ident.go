package postgres

import (
	"strings"
	"unicode/utf8"
)

// maxIdentLen is PostgreSQL's NAMEDATALEN-1: longer identifiers are
// truncated by the server.
const maxIdentLen = 63

// FoldIdent normalises an identifier from configuration the way PostgreSQL
// treats it in SQL text: an unquoted identifier is folded to lower case
// (ASCII letters only, as the server does in a UTF-8 database), one in double
// quotes is kept as written with "" unescaped ("MixedCase" -> MixedCase).
// Either is then truncated to 63 bytes without splitting a character, as the
// server truncates identifiers.
func FoldIdent(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	} else {
		s = foldASCII(s)
	}
	return truncateIdent(s)
}

// foldASCII lower-cases the ASCII letters of s and leaves every other byte
// as it is.
func foldASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// truncateIdent cuts s to at most maxIdentLen bytes on a character boundary.
func truncateIdent(s string) string {
	if len(s) <= maxIdentLen {
		return s
	}
	n := maxIdentLen
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
