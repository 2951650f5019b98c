package engine

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"testing"

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
		null bool
	}{
		{"s", "s", false},
		{"", "", false},
		{[]byte("bytes"), "bytes", false},
		{[]byte(nil), "", true},
		{nil, "", true},
		{&s, "p", false},
		{nilString, "", true},
		{&b, "b", false},
		{json.RawMessage(`{}`), "{}", false},
		{sql.NullString{String: "n", Valid: true}, "n", false},
		{sql.NullString{}, "", true},
		{textValuer("v"), "v", false},
		{nilValuerPtr, "", true},
		{secretString("named"), "named", false},
	}
	c := analysis.Column{Table: "t", Name: "c"}
	for _, tc := range cases {
		got, null, err := plaintext(tc.v, c)
		if err != nil || null != tc.null || string(got) != tc.want {
			t.Errorf("plaintext(%#v) = %q, %v, %v; want %q, %v", tc.v, got, null, err, tc.want, tc.null)
		}
	}
	for _, v := range []any{42, 1.5, true, map[string]any{"k": "v"}, []string{"a"}} {
		if _, _, err := plaintext(v, c); !errors.Is(err, ErrUnsupportedValue) {
			t.Errorf("plaintext(%#v): err %v, want ErrUnsupportedValue", v, err)
		}
	}
}
