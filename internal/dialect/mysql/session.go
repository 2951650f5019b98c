package mysql

import "strings"

// ReadingMode reports whether a session's sql_mode (the comma-separated
// value of @@sql_mode, or a value assigned to it) makes the server read SQL
// text differently from this parser, which reads MySQL's default mode, and
// names the first mode that does. ANSI_QUOTES makes "..." a name;
// NO_BACKSLASH_ESCAPES makes \ an ordinary character in strings;
// IGNORE_SPACE makes names of built-in functions reserved words; and the
// combination modes ANSI, ORACLE, MSSQL, POSTGRESQL, DB2 and MAXDB include
// ANSI_QUOTES (MariaDB's ORACLE mode also changes the grammar).
func ReadingMode(sqlMode string) (string, bool) {
	for _, m := range strings.Split(sqlMode, ",") {
		m = strings.ToUpper(strings.TrimSpace(m))
		switch m {
		case "ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "IGNORE_SPACE",
			"ANSI", "ORACLE", "MSSQL", "POSTGRESQL", "DB2", "MAXDB":
			return m, true
		}
	}
	return "", false
}

// ReadingCharset reports whether a client character set is one in which
// the parser, which reads the text byte by byte, and the server read
// quotes and backslashes at the same places: the character sets where
// every byte below 0x80 is an ASCII character. In BIG5, CP932, GBK,
// GB18030 and SJIS the second byte of a character can be 0x5C, which the
// server reads as part of the character and a byte-wise reader as a
// backslash; UCS-2, UTF-16 and UTF-32 are not accepted as client character
// sets at all. Only the character sets known to be safe are accepted.
func ReadingCharset(name string) bool {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "utf8mb4", "utf8mb3", "utf8", "latin1", "ascii", "binary":
		return true
	}
	return false
}
