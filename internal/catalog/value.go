package catalog

import (
	"database/sql/driver"
	"fmt"
)

// asString returns a catalog value as text, however the driver returned it.
func asString(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// firstColumn returns the first column of every row as text.
func firstColumn(rows [][]driver.Value) []string {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = asString(r[0])
	}
	return names
}
