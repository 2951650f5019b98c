package config

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal/codec"
)

func TestKeyringFromConfig(t *testing.T) {
	c, err := FromLookup(env{
		EnvSecretKey:          "new-secret-000000000000",
		EnvPreviousSecretKeys: "old-secret-000000000001,old-secret-000000000002",
	}.lookup)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := c.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	if !ring.CanSeal() || ring.Len() != 3 {
		t.Fatalf("CanSeal %v, Len %d", ring.CanSeal(), ring.Len())
	}
	old, err := codec.DeriveKey("old-secret-000000000002")
	if err != nil {
		t.Fatal(err)
	}
	_, idx, err := ring.OpenText(old.SealText([]byte("x")))
	if err != nil || idx != 2 {
		t.Fatalf("value sealed with the second previous secret: index %d, %v", idx, err)
	}
}

func TestKeyringWithoutSecretCannotSeal(t *testing.T) {
	ring, err := Config{PreviousSecretKeys: []string{"", "old-secret-000000000001"}}.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	if ring.CanSeal() || ring.Len() != 1 {
		t.Fatalf("CanSeal %v, Len %d", ring.CanSeal(), ring.Len())
	}
	ring, err = Config{}.Keyring()
	if err != nil || ring.CanSeal() || ring.Len() != 0 {
		t.Fatalf("zero Config: %v, %v", ring.Len(), err)
	}
}

func TestKeyringShortSecretNamesItsVariable(t *testing.T) {
	const short = "fifteen-chars!!"
	tests := []struct {
		name string
		env  env
		want string
	}{
		{"SQLSEAL variable", env{EnvSecretKey: short}, "SQLSEAL_ENCRYPTION_SECRET_KEY must be at least 16 characters"},
		{"Metabase variable", env{EnvMetabaseSecretKey: short}, "MB_ENCRYPTION_SECRET_KEY must be at least 16 characters"},
		{"secret file", env{EnvSecretKeyFile: writeFile(t, short+"\n")}, "SQLSEAL_ENCRYPTION_SECRET_KEY_FILE must be at least 16 characters"},
		{"previous secret", env{EnvPreviousSecretKeys: "long-enough-secret-01," + short}, "SQLSEAL_PREVIOUS_SECRET_KEYS entry 2 must be at least 16 characters"},
		{"previous file", env{EnvPreviousSecretKeysFile: writeFile(t, short)}, "SQLSEAL_PREVIOUS_SECRET_KEYS_FILE entry 1 must be at least 16 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromLookup(tc.env.lookup)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Keyring()
			if !errors.Is(err, codec.ErrKeyTooShort) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrKeyTooShort and ErrInvalid", err)
			}
			if err.Error() != tc.want {
				t.Errorf("message %q, want %q", err, tc.want)
			}
		})
	}
	// Built in code: the field is named, not a variable the program
	// never read.
	_, err := Config{SecretKey: short}.Keyring()
	if err == nil || err.Error() != "Config.SecretKey must be at least 16 characters" {
		t.Errorf("code-built config: %v", err)
	}
	_, err = Config{SecretKey: "long-enough-secret-01", PreviousSecretKeys: []string{"long-enough-secret-02", short}}.Keyring()
	if err == nil || err.Error() != "Config.PreviousSecretKeys[1] must be at least 16 characters" {
		t.Errorf("code-built previous keys: %v", err)
	}
}

func TestConfigFormattingRedactsSecrets(t *testing.T) {
	c := Config{SecretKey: "top-secret-value-1", PreviousSecretKeys: []string{"top-secret-value-2"}, Columns: []string{"t.c"}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out := fmt.Sprintf(verb, c)
		if strings.Contains(out, "top-secret") || !strings.Contains(out, "redacted") {
			t.Errorf("Sprintf(%q) = %q", verb, out)
		}
	}
	if !strings.Contains(c.String(), `"t.c"`) {
		t.Errorf("String() = %q: want the columns", c.String())
	}
}

func TestParseColumn(t *testing.T) {
	tests := []struct {
		in                    string
		schema, table, column string
		ok                    bool
	}{
		{"metabase_database.details", "", "metabase_database", "details", true},
		{"public.metabase_database.details", "public", "metabase_database", "details", true},
		{"MixedCase.Col", "", "MixedCase", "Col", true},
		{"details", "", "", "", false},
		{"", "", "", "", false},
		{"a.b.c.d", "", "", "", false},
		{".b", "", "", "", false},
		{"a.", "", "", "", false},
		{"a..b", "", "", "", false},
		{"a. b", "", "", "", false},
		{"a .b", "", "", "", false},
	}
	for _, tc := range tests {
		schema, table, column, err := ParseColumn(tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("ParseColumn(%q) err = %v", tc.in, err)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseColumn(%q): %v does not wrap ErrInvalid", tc.in, err)
			}
			continue
		}
		if schema != tc.schema || table != tc.table || column != tc.column {
			t.Errorf("ParseColumn(%q) = %q, %q, %q", tc.in, schema, table, column)
		}
	}
}

func TestKEKURLErrorNamesItsSource(t *testing.T) {
	const url = "awskms://alias/test"
	_, err := Config{KEKURL: url}.MasterKey(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "Config.KEKURL is set but no KMS support is linked") {
		t.Errorf("code-built config: %v", err)
	}
	c, err := FromLookup(env{EnvKEKURL: url}.lookup)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.MasterKey(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), EnvKEKURL+" is set but no KMS support is linked") {
		t.Errorf("from the environment: %v", err)
	}
}
