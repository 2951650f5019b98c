package engine

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"testing"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
)

type textValuer string

func (v textValuer) Value() (driver.Value, error) { return string(v), nil }

type nilValuer struct{}

func (*nilValuer) Value() (driver.Value, error) { panic("called on nil") }

type secretString string

func TestPlaintextOfArguments(t *testing.T) {
	s := "p"
	var nilString *string
	var nilValuerPtr *nilValuer
	b := []byte("b")
	cases := []struct {
		v    any
		want string
		text bool // a string form, which drivers send as text
		null bool
	}{
		{"s", "s", true, false},
		{"", "", true, false},
		{[]byte("bytes"), "bytes", false, false},
		{[]byte(nil), "", false, true},
		{nil, "", false, true},
		{&s, "p", true, false},
		{nilString, "", false, true},
		{&b, "b", false, false},
		{json.RawMessage(`{}`), "{}", false, false},
		{sql.NullString{String: "n", Valid: true}, "n", true, false},
		{sql.NullString{}, "", false, true},
		{textValuer("v"), "v", true, false},
		{nilValuerPtr, "", false, true},
		{secretString("named"), "named", true, false},
	}
	c := analysis.Column{Table: "t", Name: "c"}
	for _, tc := range cases {
		got, err := plaintext(tc.v, c)
		if err != nil || got.null != tc.null || string(got.bytes) != tc.want || got.text != tc.text {
			t.Errorf("plaintext(%#v) = %+v, %v; want %q, %v, %v", tc.v, got, err, tc.want, tc.text, tc.null)
		}
	}
	for _, v := range []any{42, 1.5, true, map[string]any{"k": "v"}, []string{"a"}} {
		if _, err := plaintext(v, c); !errors.Is(err, sqlseal.ErrUnsupportedValue) {
			t.Errorf("plaintext(%#v): err %v, want ErrUnsupportedValue", v, err)
		}
	}
}
