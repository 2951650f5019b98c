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
