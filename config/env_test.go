package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// env is a fake environment for FromLookup.
type env map[string]string

func (e env) lookup(name string) (string, bool) {
	v, ok := e[name]
	return v, ok
}

const (
	secret16 = "0123456789abcdef"
	secretMB = "metabase-secret-0000000000"
)

// writeFile writes content to a new file in a temporary directory and
// returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFromLookupSecret(t *testing.T) {
	tests := []struct {
		name       string
		env        env
		wantSecret string
		wantSource string
	}{
		{"nothing set: encryption disabled", env{}, "", ""},
		{"SQLSEAL variable", env{EnvSecretKey: secret16}, secret16, EnvSecretKey},
		{"Metabase fallback when unset", env{EnvMetabaseSecretKey: secretMB}, secretMB, EnvMetabaseSecretKey},
		{"SQLSEAL wins over Metabase", env{EnvSecretKey: secret16, EnvMetabaseSecretKey: secretMB}, secret16, EnvSecretKey},
		{"empty SQLSEAL variable disables, no fallback", env{EnvSecretKey: "", EnvMetabaseSecretKey: secretMB}, "", EnvSecretKey},
		{"secret kept exactly, spaces and quotes", env{EnvSecretKey: ` "quoted secret" `}, ` "quoted secret" `, EnvSecretKey},
		{"empty _FILE counts as unset", env{EnvSecretKeyFile: "", EnvSecretKey: secret16}, secret16, EnvSecretKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromLookup(tc.env.lookup)
			if err != nil {
				t.Fatal(err)
			}
			if c.SecretKey != tc.wantSecret || c.secretSource != tc.wantSource {
				t.Errorf("secret %q from %q, want %q from %q", c.SecretKey, c.secretSource, tc.wantSecret, tc.wantSource)
			}
		})
	}
}

func TestFromLookupSecretFile(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"trailing newline stripped", secret16 + "\n", secret16},
		{"trailing CRLF stripped", secret16 + "\r\n", secret16},
		{"only one newline stripped", secret16 + "\n\n", secret16 + "\n"},
		{"no newline", secret16, secret16},
		{"spaces kept", " " + secret16 + " \n", " " + secret16 + " "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.content)
			c, err := FromLookup(env{EnvSecretKeyFile: path, EnvMetabaseSecretKey: secretMB}.lookup)
			if err != nil {
				t.Fatal(err)
			}
			if c.SecretKey != tc.want || c.secretSource != EnvSecretKeyFile {
				t.Errorf("secret %q from %s, want %q", c.SecretKey, c.secretSource, tc.want)
			}
		})
	}
}

func TestFromLookupInvalid(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name      string
		env       env
		wantNames []string
		wantIs    error
	}{
		{"variable and file both set", env{EnvSecretKey: secret16, EnvSecretKeyFile: writeFile(t, secret16)},
			[]string{EnvSecretKey, EnvSecretKeyFile}, nil},
		{"empty variable and file both set", env{EnvSecretKey: "", EnvSecretKeyFile: writeFile(t, secret16)},
			[]string{EnvSecretKey, EnvSecretKeyFile}, nil},
		{"secret file missing", env{EnvSecretKeyFile: missing}, []string{EnvSecretKeyFile}, fs.ErrNotExist},
		{"secret file empty", env{EnvSecretKeyFile: writeFile(t, "\n")}, []string{EnvSecretKeyFile}, nil},
		{"previous variable and file both set", env{EnvPreviousSecretKeys: secret16, EnvPreviousSecretKeysFile: writeFile(t, secret16)},
			[]string{EnvPreviousSecretKeys, EnvPreviousSecretKeysFile}, nil},
		{"previous file missing", env{EnvPreviousSecretKeysFile: missing}, []string{EnvPreviousSecretKeysFile}, fs.ErrNotExist},
		{"accept plaintext not a boolean", env{EnvAcceptPlaintext: "maybe"}, []string{EnvAcceptPlaintext}, nil},
		{"column without table", env{EnvColumns: "details"}, []string{EnvColumns}, nil},
		{"column with empty part", env{EnvColumns: "a..b"}, []string{EnvColumns}, nil},
		{"several problems are all reported", env{EnvColumns: "x", EnvAcceptPlaintext: "nope"},
			[]string{EnvColumns, EnvAcceptPlaintext}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromLookup(tc.env.lookup)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, name := range tc.wantNames {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("%q does not name %s", err, name)
				}
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("%v does not wrap %v", err, tc.wantIs)
			}
			if strings.Contains(err.Error(), secret16) {
				t.Errorf("%q contains the secret", err)
			}
		})
	}
}

func TestFromLookupPreviousSecrets(t *testing.T) {
	tests := []struct {
		name       string
		env        env
		want       []string
		wantSource string
	}{
		{"unset", env{}, nil, ""},
		{"comma separated, empty entries ignored", env{EnvPreviousSecretKeys: ",old-secret-0000001,,old-secret-0000002,"},
			[]string{"old-secret-0000001", "old-secret-0000002"}, EnvPreviousSecretKeys},
		{"file, one per line, blank lines ignored, CRLF", env{EnvPreviousSecretKeysFile: writeFile(t, "old-secret-0000001\r\n\n  \nold, with comma 2\n")},
			[]string{"old-secret-0000001", "old, with comma 2"}, EnvPreviousSecretKeysFile},
		{"empty variable with a file", env{EnvPreviousSecretKeys: "", EnvPreviousSecretKeysFile: writeFile(t, "a\n")}, []string{"a"}, EnvPreviousSecretKeysFile},
		{"file without final newline", env{EnvPreviousSecretKeysFile: writeFile(t, "a\nb")}, []string{"a", "b"}, EnvPreviousSecretKeysFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromLookup(tc.env.lookup)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.PreviousSecretKeys, tc.want) || c.previousSource != tc.wantSource {
				t.Errorf("got %q from %q, want %q from %q", c.PreviousSecretKeys, c.previousSource, tc.want, tc.wantSource)
			}
		})
	}
}

func TestFromLookupColumns(t *testing.T) {
	tests := []struct {
		value string
		want  []string
	}{
		{"", nil},
		{"  ", nil},
		{"connections.details", []string{"connections.details"}},
		{" a.b , public.c.d ,, ", []string{"a.b", "public.c.d"}},
	}
	for _, tc := range tests {
		c, err := FromLookup(env{EnvColumns: tc.value}.lookup)
		if err != nil {
			t.Fatalf("%q: %v", tc.value, err)
		}
		if !slices.Equal(c.Columns, tc.want) {
			t.Errorf("%q: Columns = %q, want %q", tc.value, c.Columns, tc.want)
		}
	}
	c, err := FromLookup(env{}.lookup)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.ColumnList(), []string{"metabase_database.details"}) {
		t.Errorf("default ColumnList = %q", c.ColumnList())
	}
}

func TestFromLookupAcceptPlaintext(t *testing.T) {
	tests := []struct {
		env  env
		want bool // RejectPlaintext
	}{
		{env{}, false},
		{env{EnvAcceptPlaintext: ""}, false},
		{env{EnvAcceptPlaintext: "true"}, false},
		{env{EnvAcceptPlaintext: "1"}, false},
		{env{EnvAcceptPlaintext: "false"}, true},
		{env{EnvAcceptPlaintext: "FALSE"}, true},
		{env{EnvAcceptPlaintext: "0"}, true},
	}
	for _, tc := range tests {
		c, err := FromLookup(tc.env.lookup)
		if err != nil {
			t.Fatal(err)
		}
		if c.RejectPlaintext != tc.want {
			t.Errorf("%v: RejectPlaintext = %v", tc.env, c.RejectPlaintext)
		}
	}
}

func TestFromEnv(t *testing.T) {
	for _, name := range []string{EnvSecretKey, EnvSecretKeyFile, EnvPreviousSecretKeys, EnvPreviousSecretKeysFile, EnvAcceptPlaintext} {
		t.Setenv(name, "")
	}
	t.Setenv(EnvMetabaseSecretKey, secretMB)
	os.Unsetenv(EnvSecretKey) // unset, not empty: the Metabase fallback applies
	t.Setenv(EnvColumns, "t.c")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.SecretKey != secretMB || !slices.Equal(c.Columns, []string{"t.c"}) {
		t.Fatalf("got %v", c)
	}
}
