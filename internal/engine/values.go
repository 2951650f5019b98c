package engine

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// plaintext returns the bytes of a value bound for a protected column;
// null reports SQL NULL.
func plaintext(v any, c analysis.Column) (b []byte, null bool, err error) {
	for depth := 0; depth < 8; depth++ {
		switch x := v.(type) {
		case nil:
			return nil, true, nil
		case string:
			// Sealing only reads the plaintext: view the string's bytes.
			return unsafe.Slice(unsafe.StringData(x), len(x)), false, nil
		case []byte:
			return x, x == nil, nil
		case json.RawMessage:
			return x, x == nil, nil
		case *string:
			if x == nil {
				return nil, true, nil
			}
			return []byte(*x), false, nil
		case *[]byte:
			if x == nil || *x == nil {
				return nil, true, nil
			}
			return *x, false, nil
		case driver.Valuer:
			if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
				return nil, true, nil
			}
			if v, err = x.Value(); err != nil {
				return nil, false, columnErr(c, "argument's Value method failed", err)
			}
			continue
		}
		rv := reflect.ValueOf(v)
		switch {
		case rv.Kind() == reflect.String:
			return []byte(rv.String()), false, nil
		case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8:
			return rv.Bytes(), rv.IsNil(), nil
		case rv.Kind() == reflect.Pointer:
			if rv.IsNil() {
				return nil, true, nil
			}
			v = rv.Elem().Interface()
			continue
		}
		break
	}
	return nil, false, fmt.Errorf("sqlseal: argument of type %T for %s: %w (use string, []byte, nil, a pointer to one, sql.NullString, json.RawMessage or a driver.Valuer returning one of those)",
		v, c, ErrUnsupportedValue)
}
