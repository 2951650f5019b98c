package sqlite

import (
	"fmt"
	"strings"
)

// lex splits sql into tokens the way SQLite's tokenizer does. SQLite reads
// the text as a C string, so a NUL byte ends it: lex ignores everything from
// the first NUL on, as SQLite will. A token SQLite would reject (an
// unterminated string or identifier, a malformed number or blob, a stray
// character) is an error.
func lex(sql string) ([]token, error) {
	if i := strings.IndexByte(sql, 0); i >= 0 {
		sql = sql[:i]
	}
	var toks []token
	for i := 0; i < len(sql); {
		n, kind, err := scan(sql, i)
		if err != nil {
			return nil, err
		}
		if kind != 0 {
			t := token{kind: kind, start: i, end: i + n, text: sql[i : i+n]}
			decode(&t)
			toks = append(toks, t)
		}
		i += n
	}
	return toks, nil
}

// illegal reports a token SQLite rejects, by offset only: the text may hold
// secrets.
func illegal(what string, at int) error {
	return fmt.Errorf("%w: %s at byte %d", ErrSyntax, what, at)
}

// scan returns the length and kind of the token at s[i:]; kind 0 is
// whitespace or a comment.
func scan(s string, i int) (int, tokenKind, error) {
	c := s[i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r':
		n := 1
		for i+n < len(s) && isSpace(s[i+n]) {
			n++
		}
		return n, 0, nil
	case c == '-' && at(s, i+1) == '-':
		n := strings.IndexByte(s[i:], '\n')
		if n < 0 {
			n = len(s) - i
		}
		return n, 0, nil
	case c == '/' && at(s, i+1) == '*' && i+2 < len(s):
		n := strings.Index(s[i+2:], "*/")
		if n < 0 {
			// SQLite lets an unterminated comment run to the end.
			return len(s) - i, 0, nil
		}
		return n + 4, 0, nil
	case c == 0xEF && strings.HasPrefix(s[i:], "\xEF\xBB\xBF"):
		return 3, 0, nil // byte order mark
	case c == '\'' || c == '"' || c == '`':
		return scanQuoted(s, i)
	case c == '[':
		n := strings.IndexByte(s[i:], ']')
		if n < 0 {
			return 0, 0, illegal("unterminated [identifier]", i)
		}
		return n + 1, tokQuoted, nil
	case isDigit(c) || c == '.' && isDigit(at(s, i+1)):
		return scanNumber(s, i)
	case (c == 'x' || c == 'X') && at(s, i+1) == '\'':
		return scanBlob(s, i)
	case c == '?':
		n := 1
		for isDigit(at(s, i+n)) {
			n++
		}
		return n, tokParam, nil
	case c == '$' || c == '@' || c == ':' || c == '#':
		return scanVariable(s, i)
	case isIdentStart(c):
		n := 1
		for isIdentChar(at(s, i+n)) {
			n++
		}
		return n, tokIdent, nil
	}
	if n := operatorLen(s, i); n > 0 {
		return n, tokPunct, nil
	}
	return 0, 0, illegal("unrecognized token", i)
}

// operatorLen returns the length of the operator or punctuation at s[i:], 0
// if there is none.
func operatorLen(s string, i int) int {
	two := ""
	if i+2 <= len(s) {
		two = s[i : i+2]
	}
	switch two {
	case "->":
		if at(s, i+2) == '>' {
			return 3
		}
		return 2
	case "==", "<=", "<>", "<<", ">=", ">>", "!=", "||":
		return 2
	}
	switch s[i] {
	case '-', '(', ')', ';', '+', '*', '/', '%', '=', '<', '>', '|', ',', '&', '~', '.':
		return 1
	}
	return 0
}

// scanQuoted scans a '...', "..." or `...` token; a doubled delimiter stands
// for itself. Single quotes make a string, the others an identifier.
func scanQuoted(s string, i int) (int, tokenKind, error) {
	delim := s[i]
	for j := i + 1; j < len(s); j++ {
		if s[j] != delim {
			continue
		}
		if at(s, j+1) == delim {
			j++
			continue
		}
		if delim == '\'' {
			return j + 1 - i, tokString, nil
		}
		return j + 1 - i, tokQuoted, nil
	}
	if delim == '\'' {
		return 0, 0, illegal("unterminated string literal", i)
	}
	return 0, 0, illegal("unterminated quoted identifier", i)
}

// scanNumber scans an integer or real literal, hexadecimal (0x...) included,
// with SQLite's optional _ digit separators. A number running into an
// identifier character (123abc) is illegal, as in SQLite.
func scanNumber(s string, i int) (int, tokenKind, error) {
	j := i
	digits := func(ok func(byte) bool) {
		for ok(at(s, j)) || at(s, j) == '_' {
			j++
		}
	}
	if s[i] == '0' && (at(s, i+1) == 'x' || at(s, i+1) == 'X') && isHex(at(s, i+2)) {
		j = i + 2
		digits(isHex)
	} else {
		digits(isDigit)
		if at(s, j) == '.' {
			j++
			digits(isDigit)
		}
		if e := at(s, j); (e == 'e' || e == 'E') &&
			(isDigit(at(s, j+1)) || (at(s, j+1) == '+' || at(s, j+1) == '-') && isDigit(at(s, j+2))) {
			j += 2
			digits(isDigit)
		}
	}
	if isIdentChar(at(s, j)) {
		return 0, 0, illegal("malformed number", i)
	}
	return j - i, tokNumber, nil
}

// scanBlob scans X'hex': an even number of hexadecimal digits.
func scanBlob(s string, i int) (int, tokenKind, error) {
	j := i + 2
	for isHex(at(s, j)) {
		j++
	}
	if at(s, j) != '\'' || (j-i)%2 != 0 {
		return 0, 0, illegal("malformed blob literal", i)
	}
	return j + 1 - i, tokBlob, nil
}

// scanVariable scans a :name, @name, $name or #name parameter, including
// the Tcl forms SQLite accepts ($a::b, $a(x)).
func scanVariable(s string, i int) (int, tokenKind, error) {
	n := 0 // identifier characters seen
	j := i + 1
	for ; j < len(s); j++ {
		c := s[j]
		switch {
		case isIdentChar(c):
			n++
			continue
		case c == '(' && n > 0:
			for j++; j < len(s) && !isSpace(s[j]) && s[j] != ')'; j++ {
			}
			if at(s, j) != ')' {
				return 0, 0, illegal("malformed parameter", i)
			}
			j++
		case c == ':' && at(s, j+1) == ':':
			j++
			continue
		}
		break
	}
	if n == 0 {
		return 0, 0, illegal("malformed parameter", i)
	}
	return j - i, tokParam, nil
}

// decode fills in a token's value and keyword.
func decode(t *token) {
	switch t.kind {
	case tokIdent:
		t.value = t.text
		t.keyword = keyword(t.text)
	case tokString:
		t.value = strings.ReplaceAll(t.text[1:len(t.text)-1], "''", "'")
	case tokQuoted:
		body := t.text[1 : len(t.text)-1]
		switch t.text[0] {
		case '"':
			body = strings.ReplaceAll(body, `""`, `"`)
		case '`':
			body = strings.ReplaceAll(body, "``", "`")
		}
		t.value = body
	}
}

// at returns s[i], or 0 past the end (SQLite's NUL terminator).
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// isSpace reports whether c is white space to SQLite.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// isIdentStart reports whether c starts an identifier: a letter, _ or any
// byte of a non-ASCII character.
func isIdentStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c >= 0x80
}

// isIdentChar reports whether c may continue an identifier: SQLite also
// allows digits and $.
func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }
