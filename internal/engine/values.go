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

// argValue is what an argument bound for a protected column holds.
type argValue struct {
	bytes []byte
	// text reports a string value, which a driver sends as text.
	text bool
	// null reports SQL NULL.
	null bool
}

// plaintext returns what a value bound for a protected column holds.
func plaintext(v any, c analysis.Column) (argValue, error) {
	for depth := 0; depth < 8; depth++ {
		switch x := v.(type) {
		case nil:
			return argValue{null: true}, nil
		case string:
			// Sealing only reads the plaintext: view the string's bytes.
			return argValue{bytes: unsafe.Slice(unsafe.StringData(x), len(x)), text: true}, nil
		case []byte:
			return argValue{bytes: x, null: x == nil}, nil
		case json.RawMessage:
			return argValue{bytes: x, null: x == nil}, nil
		case *string:
			if x == nil {
				return argValue{null: true}, nil
			}
			return argValue{bytes: []byte(*x), text: true}, nil
		case *[]byte:
			if x == nil || *x == nil {
				return argValue{null: true}, nil
			}
			return argValue{bytes: *x}, nil
		case driver.Valuer:
			if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
				return argValue{null: true}, nil
			}
			var err error
			if v, err = x.Value(); err != nil {
				return argValue{}, columnErr(c, "argument's Value method failed", err)
			}
			continue
		}
		rv := reflect.ValueOf(v)
		switch {
		case rv.Kind() == reflect.String:
			return argValue{bytes: []byte(rv.String()), text: true}, nil
		case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8:
			return argValue{bytes: rv.Bytes(), null: rv.IsNil()}, nil
		case rv.Kind() == reflect.Pointer:
			if rv.IsNil() {
				return argValue{null: true}, nil
			}
			v = rv.Elem().Interface()
			continue
		}
		break
	}
	return argValue{}, fmt.Errorf("sqlseal: argument of type %T for %s: %w (use string, []byte, nil, a pointer to one, sql.NullString, json.RawMessage or a driver.Valuer returning one of those)",
		v, c, sqlseal.ErrUnsupportedValue)
}
