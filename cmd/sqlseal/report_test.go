package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sqlseal/sqlseal/internal/rotate"
)

func TestSortRows(t *testing.T) {
	rows := []rotate.Offender{
		{Column: "t.details", Key: "id=10"}, {Column: "a.details", Key: "id=2"},
		{Column: "t.details", Key: "id=9"}, {Column: "t.details", Key: ""},
	}
	sortRows(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.String())
	}
	want := []string{"a.details (id=2)", "t.details (row without a primary key)", "t.details (id=9)", "t.details (id=10)"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted %q, want %q", got, want)
	}
}

func TestRotateSummaryWords(t *testing.T) {
	sum := &rotate.Summary{Mode: "transaction", Columns: []rotate.ColumnSummary{{Column: "t.details", Kind: "text", Total: 3, Sealed: 1, Current: 2}}}
	for _, tc := range []struct {
		reseal, dry bool
		want        string
	}{
		{false, false, "rotated to the new key (transaction mode): 3 rows read, wrote 1"},
		{true, false, "re-sealed under the current key (transaction mode): 3 rows read, wrote 1"},
		{true, true, "dry run, nothing written; re-sealing under the current key would (transaction mode): 3 rows read, write 1"},
	} {
		sum.DryRun = tc.dry
		var out bytes.Buffer
		if err := writeRotateSummary(&out, sum, tc.reseal); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), tc.want) {
			t.Errorf("reseal %v, dry run %v: %q, want %q", tc.reseal, tc.dry, out.String(), tc.want)
		}
		if !strings.Contains(out.String(), "ENCRYPTED  RE-SEALED  UP-TO-DATE  DECRYPTED  LEFT-PLAIN") {
			t.Errorf("header: %q", out.String())
		}
	}
}

// TestHelpListsEveryVariableRead runs each command far enough to read its
// environment, recording the names it looks up, and checks that its --help
// lists every one of them.
func TestHelpListsEveryVariableRead(t *testing.T) {
	dir := t.TempDir()
	nope := filepath.Join(dir, "nope.db")
	base := map[string]string{"SQLSEAL_ENCRYPTION_SECRET_KEY": "legacy-golden-test-key-0000000000000000000", "SQLSEAL_DSN": nope}
	runs := map[string]struct {
		stdin string
		args  []string
	}{
		"demo":                  {"", []string{"--dsn", filepath.Join(dir, "no-such-dir", "demo.db")}},
		"genkey":                {"", nil},
		"encrypt":               {"x", nil},
		"decrypt":               {"ttCPpQ92by4mOXOJBbhRE28T4c9WN02MBnHrnucZZ69tLceopuoUpgAy/eB2fAyqWZaFHPsuEaXGCdFwQKY9rA==", nil},
		"status":                {"", nil},
		"rotate-encryption-key": {"", []string{"next-key-0000000000000000"}},
		"keys":                  {"", []string{"list"}},
		"index":                 {"", []string{"status"}},
	}
	for _, c := range commands {
		r, ok := runs[c.name]
		if !ok {
			t.Errorf("no run for command %s: add one", c.name)
			continue
		}
		var mu sync.Mutex
		read := map[string]bool{}
		std := stdio{
			in: strings.NewReader(r.stdin), out: &bytes.Buffer{}, err: &bytes.Buffer{},
			lookupEnv: func(name string) (string, bool) {
				mu.Lock()
				read[name] = true
				mu.Unlock()
				v, ok := base[name]
				return v, ok
			},
		}
		c.run(t.Context(), c, r.args, std)
		if c.name != "genkey" && !read["SQLSEAL_ENCRYPTION_SECRET_KEY"] {
			t.Errorf("%s: the run read no key; it does not exercise the command: %s", c.name, std.err)
		}
		var help bytes.Buffer
		c.writeUsage(&help, c.flagSet())
		_, env, _ := strings.Cut(help.String(), "\nEnvironment:\n")
		env, _, _ = strings.Cut(env, "\nFlags:\n")
		for name := range read {
			if !strings.Contains(env, name) {
				t.Errorf("%s reads %s, which the Environment section of its --help does not list", c.name, name)
			}
		}
	}
	if _, err := os.Stat(nope); err == nil {
		t.Errorf("a command created %s", nope)
	}
}
