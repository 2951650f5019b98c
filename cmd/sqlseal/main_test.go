package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"sqlseal": main,
	})
}

// TestScript runs the command-line scenarios in testdata/*.txt.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
	})
}

// runInProcess runs the command with the given environment and stdin.
func runInProcess(env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	std := stdio{
		in:  strings.NewReader(stdin),
		out: &out,
		err: &errOut,
		lookupEnv: func(name string) (string, bool) {
			v, ok := env[name]
			return v, ok
		},
	}
	code = dispatch(context.Background(), args, std)
	return code, out.String(), errOut.String()
}

func TestExitStatus(t *testing.T) {
	key := map[string]string{"SQLSEAL_ENCRYPTION_SECRET_KEY": "legacy-golden-test-key-0000000000000000000"}
	tests := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		want  int
	}{
		{"no arguments", nil, "", nil, exitUsage},
		{"unknown command", nil, "", []string{"nosuch"}, exitUsage},
		{"unknown flag", nil, "", []string{"genkey", "-nosuch"}, exitUsage},
		{"unexpected argument", nil, "", []string{"decrypt", "value"}, exitUsage},
		{"help of unknown command", nil, "", []string{"help", "nosuch"}, exitUsage},
		{"help", nil, "", []string{"help"}, exitOK},
		{"--help", nil, "", []string{"--help"}, exitOK},
		{"command --help", nil, "", []string{"encrypt", "--help"}, exitOK},
		{"genkey", nil, "", []string{"genkey"}, exitOK},
		{"encrypt without key", nil, "x", []string{"encrypt"}, exitFailure},
		{"decrypt garbage", key, "not sealed", []string{"decrypt"}, exitFailure},
		{"new key twice", map[string]string{"SQLSEAL_NEW_ENCRYPTION_SECRET_KEY": "env-new-key-00000000000001"}, "", []string{"rotate-encryption-key", "arg-new-key-0000000000000001"}, exitUsage},
		{"new key file and stdin", nil, "stdin-new-key-00000000000001", []string{"rotate-encryption-key", "--new-key-file=x", "-"}, exitUsage},
		{"decrypt golden", key, "ttCPpQ92by4mOXOJBbhRE28T4c9WN02MBnHrnucZZ69tLceopuoUpgAy/eB2fAyqWZaFHPsuEaXGCdFwQKY9rA==", []string{"decrypt"}, exitOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runInProcess(tc.env, tc.stdin, tc.args...)
			if code != tc.want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
		})
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	_, stdout, _ := runInProcess(nil, "", "help")
	for _, c := range commands {
		if !strings.Contains(stdout, "  "+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
		code, out, errOut := runInProcess(nil, "", c.name, "-h")
		if code != exitOK || !strings.HasPrefix(out, "Usage: sqlseal "+c.name) || errOut != "" {
			t.Errorf("%s -h: status %d, stdout %q, stderr %q", c.name, code, out, errOut)
		}
	}
}

func TestEncryptDecryptInProcess(t *testing.T) {
	env := map[string]string{"SQLSEAL_ENCRYPTION_SECRET_KEY": "in-process-test-secret-0001"}
	plaintext := "line one\nline two, no final newline"
	code, sealed, stderr := runInProcess(env, plaintext, "encrypt")
	if code != exitOK || stderr != "" {
		t.Fatalf("encrypt: %d %s", code, stderr)
	}
	code, got, stderr := runInProcess(env, "\n  "+sealed+"  \n", "decrypt")
	if code != exitOK || got != plaintext || stderr != "" {
		t.Fatalf("decrypt: %d %q %s", code, got, stderr)
	}
}

func TestRunUsesProcessStreams(t *testing.T) {
	t.Setenv("SQLSEAL_ENCRYPTION_SECRET_KEY", "legacy-golden-test-key-0000000000000000000")
	for _, name := range []string{"SQLSEAL_ENCRYPTION_SECRET_KEY_FILE", "SQLSEAL_PREVIOUS_SECRET_KEYS", "SQLSEAL_PREVIOUS_SECRET_KEYS_FILE"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"decrypt"}, strings.NewReader("ttCPpQ92by4mOXOJBbhRE28T4c9WN02MBnHrnucZZ69tLceopuoUpgAy/eB2fAyqWZaFHPsuEaXGCdFwQKY9rA=="), &out, &errOut)
	if code != exitOK || out.String() != "legacy golden" {
		t.Fatalf("run: %d %q %s", code, out.String(), errOut.String())
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sqlseal: reading: sqlseal: bad type", "reading: bad type"},
		{"failed to connect:\n\thost (h): refused\n\thost (h): refused\n", "failed to connect: host (h): refused"},
		{"cannot connect: a: refused\na: refused\nb: timeout", "cannot connect: a: refused; b: timeout"},
		{"  spaced\tout  ", "spaced out"},
		{"sqlseal: first\nsqlseal: second: sqlseal: cause", "first; second: cause"},
	}
	for _, tc := range tests {
		if got := oneLine(tc.in); got != tc.want {
			t.Errorf("oneLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
