package config

import (
	"fmt"
	"strings"
	"unicode"
)

// ParseColumn splits a protected-column name, "table.column" or
// "schema.table.column", into its parts (schema is "" for the short form).
// Parts must be non-empty and must not start or end with white space. Names
// are returned as written; case rules are the database's. An error wraps
// [ErrInvalid].
func ParseColumn(s string) (schema, table, column string, err error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return "", "", "", &settingError{msg: fmt.Sprintf("invalid column %q: want table.column or schema.table.column", s)}
	}
	for _, p := range parts {
		if p == "" || strings.TrimFunc(p, unicode.IsSpace) != p {
			return "", "", "", &settingError{msg: fmt.Sprintf("invalid column %q: empty name or white space around a name", s)}
		}
	}
	if len(parts) == 2 {
		return "", parts[0], parts[1], nil
	}
	return parts[0], parts[1], parts[2], nil
}
