package postgres

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// errStringConst is returned by LiteralValue for a token it cannot decode.
// The analysis then refuses to seal the literal.
var errStringConst = errors.New("postgres: not a string constant sqlseal can decode")

// LiteralValue decodes the text of a string constant token as the server
// reads it with standard_conforming_strings on: '...' with ” for a quote,
// E'...' with backslash escapes, U&'...' with Unicode escapes (and a
// UESCAPE clause), $tag$...$tag$, and a run of '...' or E'...' constants
// separated only by white space holding a newline, which PostgreSQL
// concatenates. Anything else is an error.
func (Parser) LiteralValue(token string) (string, error) {
	switch {
	case strings.HasPrefix(token, "$"):
		return dollarConst(token)
	case len(token) > 2 && (token[0] == 'U' || token[0] == 'u') && token[1] == '&':
		return unicodeConst(token[2:])
	}
	var b strings.Builder
	rest, escapes := token, false
	if len(rest) > 0 && (rest[0] == 'E' || rest[0] == 'e') {
		escapes, rest = true, rest[1:]
	}
	for {
		body, after, ok := quoted(rest, escapes)
		if !ok {
			return "", errStringConst
		}
		if escapes {
			s, err := unescape(body)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		} else {
			b.WriteString(strings.ReplaceAll(body, "''", "'"))
		}
		if after == "" {
			break
		}
		// A continuation: white space (and -- comments) holding a newline,
		// then the next quote. It keeps the kind of the first constant.
		if rest, ok = continuation(after); !ok {
			return "", errStringConst
		}
	}
	if !utf8.ValidString(b.String()) {
		return "", errStringConst
	}
	return b.String(), nil
}

// quoted splits s, which must start with a quote, into the raw body of the
// quoted constant (doubled quotes kept, backslash escapes kept when
// escapes is set) and the text after its closing quote.
func quoted(s string, escapes bool) (body, after string, ok bool) {
	if s == "" || s[0] != '\'' {
		return "", "", false
	}
	for i := 1; i < len(s); i++ {
		switch {
		case escapes && s[i] == '\\':
			i++
		case s[i] == '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return s[1:i], s[i+1:], true
		}
	}
	return "", "", false
}

// continuation skips the white space between two concatenated constants
// and returns the text from the next quote on. The white space must hold a
// newline.
func continuation(s string) (string, bool) {
	newline := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n', '\r':
			newline = true
		case ' ', '\t', '\f', '\v':
		case '\'':
			return s[i:], newline
		default:
			return "", false
		}
	}
	return "", false
}

// unescape applies E'...' backslash escapes to the body of one constant.
func unescape(body string) (string, error) {
	var b strings.Builder
	var high rune // a pending UTF-16 high surrogate from \u
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\'' { // '' stands for one quote
			b.WriteByte('\'')
			i++
			continue
		}
		if c != '\\' {
			if high != 0 {
				return "", errStringConst
			}
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(body) {
			return "", errStringConst
		}
		c = body[i]
		switch {
		case c == 'b':
			b.WriteByte('\b')
		case c == 'f':
			b.WriteByte('\f')
		case c == 'n':
			b.WriteByte('\n')
		case c == 'r':
			b.WriteByte('\r')
		case c == 't':
			b.WriteByte('\t')
		case c >= '0' && c <= '7':
			n, v := digits(body[i:], 3, 8)
			b.WriteByte(byte(v))
			i += n - 1
		case c == 'x' && i+1 < len(body) && isHexDigit(body[i+1]):
			n, v := digits(body[i+1:], 2, 16)
			b.WriteByte(byte(v))
			i += n
		case c == 'u' || c == 'U':
			width := 4
			if c == 'U' {
				width = 8
			}
			n, v := digits(body[i+1:], width, 16)
			if n != width {
				return "", errStringConst
			}
			i += width
			if err := codePoint(&b, &high, v); err != nil {
				return "", err
			}
			continue
		default:
			b.WriteByte(c)
		}
		if high != 0 {
			return "", errStringConst
		}
	}
	if high != 0 {
		return "", errStringConst
	}
	return b.String(), nil
}

// codePoint writes the character an escape gives the code point v of, as
// E'\u' and U&'\' escapes do: a UTF-16 high surrogate waits in *high for
// the low surrogate that must follow it, and the pair makes one character.
// A lone surrogate, zero and a value past Unicode's last are errors.
func codePoint(b *strings.Builder, high *rune, v int) error {
	r := rune(v)
	switch {
	case r >= 0xD800 && r <= 0xDBFF:
		if *high != 0 {
			return errStringConst
		}
		*high = r
		return nil
	case r >= 0xDC00 && r <= 0xDFFF:
		if *high == 0 {
			return errStringConst
		}
		r = (*high-0xD800)<<10 + (r - 0xDC00) + 0x10000
		*high = 0
	case *high != 0:
		return errStringConst
	}
	if r == 0 || r > utf8.MaxRune {
		return errStringConst
	}
	b.WriteRune(r)
	return nil
}

// digits reads up to max digits of the given base at the start of s and
// returns how many it read and their value.
func digits(s string, max, base int) (int, int) {
	n, v := 0, 0
	for n < max && n < len(s) {
		d, err := strconv.ParseInt(s[n:n+1], base, 8)
		if err != nil {
			break
		}
		v = v*base + int(d)
		n++
	}
	return n, v
}

// isHexDigit reports a hexadecimal digit.
func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// dollarConst decodes $tag$...$tag$.
func dollarConst(s string) (string, error) {
	end := strings.IndexByte(s[1:], '$')
	if end < 0 {
		return "", errStringConst
	}
	tag := s[:end+2]
	if len(s) < 2*len(tag) || !strings.HasSuffix(s, tag) {
		return "", errStringConst
	}
	return s[len(tag) : len(s)-len(tag)], nil
}

// unicodeConst decodes the part after U& of U&'...' [UESCAPE 'c'].
func unicodeConst(s string) (string, error) {
	body, after, ok := quoted(s, false)
	if !ok {
		return "", errStringConst
	}
	body = strings.ReplaceAll(body, "''", "'")
	esc := byte('\\')
	if after = strings.TrimSpace(after); after != "" {
		kw := strings.TrimSpace(after)
		if len(kw) < len("UESCAPE") || !strings.EqualFold(kw[:len("UESCAPE")], "UESCAPE") {
			return "", errStringConst
		}
		e, rest, ok := quoted(strings.TrimSpace(kw[len("UESCAPE"):]), false)
		if !ok || len(e) != 1 || strings.TrimSpace(rest) != "" {
			return "", errStringConst
		}
		esc = e[0]
	}
	var b strings.Builder
	var high rune
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != esc {
			if high != 0 {
				return "", errStringConst
			}
			b.WriteByte(c)
			continue
		}
		if i+1 < len(body) && body[i+1] == esc {
			b.WriteByte(esc)
			i++
			continue
		}
		width, skip := 4, 1
		if i+1 < len(body) && body[i+1] == '+' {
			width, skip = 6, 2
		}
		n, v := digits(body[i+skip:], width, 16)
		if n != width {
			return "", errStringConst
		}
		i += skip + width - 1
		if err := codePoint(&b, &high, v); err != nil {
			return "", err
		}
	}
	if high != 0 {
		return "", errStringConst
	}
	return b.String(), nil
}
