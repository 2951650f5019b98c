package postgres

import (
	"errors"
	"strings"
)

// errBytea is returned for a string PostgreSQL's bytea input rejects.
var errBytea = errors.New("invalid bytea input")

// byteaInput reads a string as PostgreSQL's bytea input function (byteain)
// does, which is how the server stores a string written to a bytea column:
// "\x" followed by pairs of hexadecimal digits (white space allowed
// between pairs) is the hex format; anything else is the escape format,
// where "\\" is a backslash and "\nnn" an octal byte, and any other
// backslash is an error.
func byteaInput(s string) ([]byte, error) {
	if strings.HasPrefix(s, `\x`) {
		return hexBytea(s[2:])
	}
	if !strings.Contains(s, `\`) {
		return []byte(s), nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, errBytea
		}
	}
	return out, nil
}

// hexBytea decodes the digits of the hex format.
func hexBytea(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/2)
	for i := 0; i < len(s); {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		if i+1 >= len(s) {
			return nil, errBytea
		}
		hi, ok1 := hexValue(s[i])
		lo, ok2 := hexValue(s[i+1])
		if !ok1 || !ok2 {
			return nil, errBytea
		}
		out = append(out, hi<<4|lo)
		i += 2
	}
	return out, nil
}

// hexValue is the value of a hexadecimal digit.
func hexValue(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// isOctal reports an octal digit.
func isOctal(c byte) bool { return '0' <= c && c <= '7' }
