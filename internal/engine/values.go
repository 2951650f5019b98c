package engine

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
)

// plaintext returns the bytes of a value bound for a protected column. text
// reports a string value (which a driver sends as text), null SQL NULL.
func plaintext(v any, c analysis.Column) (b []byte, text, null bool, err error) {
	for depth := 0; depth < 8; depth++ {
		switch x := v.(type) {
		case nil:
			return nil, false, true, nil
		case string:
			// Sealing only reads the plaintext: view the string's bytes.
			return unsafe.Slice(unsafe.StringData(x), len(x)), true, false, nil
		case []byte:
			return x, false, x == nil, nil
		case json.RawMessage:
			return x, false, x == nil, nil
		case *string:
			if x == nil {
				return nil, false, true, nil
			}
			return []byte(*x), true, false, nil
		case *[]byte:
			if x == nil || *x == nil {
				return nil, false, true, nil
			}
			return *x, false, false, nil
		case driver.Valuer:
			if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
				return nil, false, true, nil
			}
			if v, err = x.Value(); err != nil {
				return nil, false, false, columnErr(c, "argument's Value method failed", err)
			}
			continue
		}
		rv := reflect.ValueOf(v)
		switch {
		case rv.Kind() == reflect.String:
			return []byte(rv.String()), true, false, nil
		case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8:
			return rv.Bytes(), false, rv.IsNil(), nil
		case rv.Kind() == reflect.Pointer:
			if rv.IsNil() {
				return nil, false, true, nil
			}
			v = rv.Elem().Interface()
			continue
		}
		break
	}
	return nil, false, false, fmt.Errorf("sqlseal: argument of type %T for %s: %w (use string, []byte, nil, a pointer to one, sql.NullString, json.RawMessage or a driver.Valuer returning one of those)",
		v, c, sqlseal.ErrUnsupportedValue)
}
