package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseBlindIndex(t *testing.T) {
	tests := []struct {
		in   string
		want BlindIndex
	}{
		{"accounts.api_token", BlindIndex{Column: "accounts.api_token", Sibling: "api_token_bidx"}},
		{"accounts.api_token:tok_idx", BlindIndex{Column: "accounts.api_token", Sibling: "tok_idx"}},
		{"accounts.email/lower", BlindIndex{Column: "accounts.email", Sibling: "email_bidx", Normalize: NormalizeLower}},
		{"app.accounts.email:e_idx/trim+lower", BlindIndex{Column: "app.accounts.email", Sibling: "e_idx", Normalize: NormalizeTrimLower}},
	}
	for _, tc := range tests {
		got, err := ParseBlindIndex(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseBlindIndex(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"api_token", "accounts.api_token:", "accounts.api_token:a.b", "accounts.api_token/upper",
		"accounts.api_token:api_token", "accounts.api_token:API_TOKEN", "a..b"} {
		if _, err := ParseBlindIndex(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseBlindIndex(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestNormalizationApply(t *testing.T) {
	for n, want := range map[Normalization]string{
		NormalizeNone: " Alice@Example.COM ", NormalizeLower: " alice@example.com ",
		NormalizeTrim: "Alice@Example.COM", NormalizeTrimLower: "alice@example.com",
	} {
		if got := string(n.Apply([]byte(" Alice@Example.COM "))); got != want {
			t.Errorf("%q: got %q, want %q", n, got, want)
		}
	}
}

func TestBlindIndexList(t *testing.T) {
	c := Config{Columns: []string{"accounts.api_token", "accounts.email", "accounts.secret"},
		BlindIndexes: []string{"accounts.api_token", "ACCOUNTS.email:e/lower"}}
	got, err := c.BlindIndexList()
	want := []BlindIndex{{Column: "accounts.api_token", Sibling: "api_token_bidx"}, {Column: "ACCOUNTS.email", Sibling: "e", Normalize: NormalizeLower}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
	for name, tc := range map[string]struct {
		idx  []string
		want string
	}{
		"not protected":        {[]string{"accounts.name"}, "not protected"},
		"twice":                {[]string{"accounts.email", "accounts.email/lower"}, "twice"},
		"sibling is protected": {[]string{"accounts.email:secret"}, "is a protected column"},
		"shared sibling":       {[]string{"accounts.email:x", "accounts.api_token:x"}, "share"},
	} {
		c := Config{Columns: c.Columns, BlindIndexes: tc.idx}
		if _, err := c.BlindIndexList(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBlindIndexesFromEnv(t *testing.T) {
	c, err := FromLookup(env{EnvColumns: "accounts.api_token,accounts.email", EnvBlindIndexes: " accounts.api_token:tok , accounts.email/lower ,"}.lookup)
	if err != nil || !reflect.DeepEqual(c.BlindIndexes, []string{"accounts.api_token:tok", "accounts.email/lower"}) {
		t.Fatalf("%v, %v", c.BlindIndexes, err)
	}
	for _, e := range []env{
		{EnvColumns: "accounts.api_token", EnvBlindIndexes: "accounts.email"},
		{EnvColumns: "accounts.api_token", EnvBlindIndexes: "accounts.api_token/soundex"},
		{EnvBlindIndexes: "accounts.api_token"}, // default columns: not protected
	} {
		if _, err := FromLookup(e.lookup); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), EnvBlindIndexes) {
			t.Errorf("%v: %v", e, err)
		}
	}
}

// Known answers: lower folds valid runes only and keeps bytes that are not
// valid UTF-8, so values that differ in those bytes keep different terms.
func TestNormalizationKeepsInvalidUTF8(t *testing.T) {
	for _, tc := range []struct {
		n        Normalization
		in, want string
	}{
		{NormalizeLower, "\xff-Tok-\xc3", "\xff-tok-\xc3"},
		{NormalizeLower, "\xfe-tok-\xc0", "\xfe-tok-\xc0"},
		{NormalizeLower, "ÀB\xe2\x82", "àb\xe2\x82"},
		{NormalizeTrimLower, " \xc3X ", "\xc3x"},
		{NormalizeLower, "Straße", "straße"},
	} {
		if got := string(tc.n.Apply([]byte(tc.in))); got != tc.want {
			t.Errorf("%s.Apply(%q) = %q, want %q", tc.n, tc.in, got, tc.want)
		}
	}
	a := NormalizeLower.Apply([]byte("\xff-Tok-\xc3"))
	b := NormalizeLower.Apply([]byte("\xfe-tok-\xc0"))
	if string(a) == string(b) {
		t.Errorf("distinct invalid values normalize alike: %q", a)
	}
}
