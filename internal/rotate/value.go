package rotate

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// value is a protected value as read, kept in the Go type the driver
// returned (string or []byte) so that the compare-and-swap compares it as
// stored.
type value struct {
	null bool
	str  bool // s holds the value; otherwise b does
	s    string
	b    []byte
}

// Scan implements sql.Scanner.
func (v *value) Scan(src any) error {
	*v = value{}
	switch x := src.(type) {
	case nil:
		v.null = true
	case string:
		v.str, v.s = true, x
	case []byte:
		v.b = append(make([]byte, 0, len(x)), x...)
	default:
		return fmt.Errorf("protected column holds a %T, want text or bytes", src)
	}
	return nil
}

// arg is the value as a statement argument.
func (v value) arg() any {
	switch {
	case v.null:
		return nil
	case v.str:
		return v.s
	}
	return v.b
}

// text returns the value as a string.
func (v value) text() string {
	if v.str {
		return v.s
	}
	return string(v.b)
}

// bytes returns the value as bytes.
func (v value) bytes() []byte {
	if v.str {
		return []byte(v.s)
	}
	return v.b
}

// formatKey renders a row's key for messages: "id=42", several joined by
// ", ".
func formatKey(names []string, vals []any) string {
	var sb strings.Builder
	for i, n := range names {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(n)
		sb.WriteByte('=')
		sb.WriteString(formatKeyValue(vals[i]))
	}
	return sb.String()
}

func formatKeyValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return `\x` + hex.EncodeToString(x)
	case [16]byte: // pgx returns uuid as [16]byte when scanning into any
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}
