package main

import (
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal/internal/rotate"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		in     string
		driver string
		dsn    string
		family rotate.Family
	}{
		{"postgres://u:p@h:5432/db?sslmode=disable", "pgx", "postgres://u:p@h:5432/db?sslmode=disable", rotate.Postgres},
		{"postgresql://h/db", "pgx", "postgresql://h/db", rotate.Postgres},
		{"host=localhost user=postgres dbname=test", "pgx", "host=localhost user=postgres dbname=test", rotate.Postgres},
		{"mysql://root:pw@tcp(127.0.0.1:3306)/test", "mysql", "root:pw@tcp(127.0.0.1:3306)/test", rotate.MySQL},
		{"mysql://root@127.0.0.1:3306/test", "mysql", "root@tcp(127.0.0.1:3306)/test", rotate.MySQL},
		{"mysql://u:p%40ss@db.internal/app?parseTime=true", "mysql", "u:p@ss@tcp(db.internal:3306)/app?parseTime=true", rotate.MySQL},
		{"mysql://root@[::1]:3307/test", "mysql", "root@tcp([::1]:3307)/test", rotate.MySQL},
		{"mysql://root@unix(/run/mysqld.sock)/test", "mysql", "root@unix(/run/mysqld.sock)/test", rotate.MySQL},
		{"root@tcp(127.0.0.1:3306)/test?parseTime=true", "mysql", "root@tcp(127.0.0.1:3306)/test?parseTime=true", rotate.MySQL},
		{"root@unix(/run/mysqld.sock)/test", "mysql", "root@unix(/run/mysqld.sock)/test", rotate.MySQL},
		{"sqlite:/var/lib/app.data", "sqlite", "/var/lib/app.data", rotate.SQLite},
		{"sqlite:///var/lib/app.data", "sqlite", "/var/lib/app.data", rotate.SQLite},
		{"file:app.db?mode=ro", "sqlite", "file:app.db?mode=ro", rotate.SQLite},
		{"/srv/metabase.db", "sqlite", "/srv/metabase.db", rotate.SQLite},
		{"data/app.sqlite3?_pragma=busy_timeout(5000)", "sqlite", "data/app.sqlite3?_pragma=busy_timeout(5000)", rotate.SQLite},
		{"app.SQLITE", "sqlite", "app.SQLITE", rotate.SQLite},
	}
	for _, tc := range tests {
		ds, err := parseDSN(tc.in)
		if err != nil || ds.driver != tc.driver || ds.dsn != tc.dsn || ds.family != tc.family {
			t.Errorf("parseDSN(%q) = %+v, %v; want %s %q %s", tc.in, ds, err, tc.driver, tc.dsn, tc.family)
		}
	}
	for _, bad := range []string{"", "nonsense", "redis://h:6379", "secret-password@host/db", "mysql://u:secret-password@host:port/db", "mysql://u:secret-password@h/a/b"} {
		ds, err := parseDSN(bad)
		if err == nil {
			t.Errorf("parseDSN(%q) = %+v, want an error", bad, ds)
			continue
		}
		if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("parseDSN(%q): the error repeats the DSN: %v", bad, err)
		}
	}
}

func TestParseArgsInterleaved(t *testing.T) {
	tests := []struct {
		args   []string
		pos    string
		online bool
	}{
		{[]string{"--online", "NEWKEY"}, "NEWKEY", true},
		{[]string{"NEWKEY", "--online"}, "NEWKEY", true},
		{[]string{"--", "-starts-with-a-dash"}, "-starts-with-a-dash", false},
		{[]string{"--online", "--", "--json"}, "--json", true},
		{[]string{""}, "", false},
	}
	for _, tc := range tests {
		fs := rotateCommand.flagSet()
		pos, code, ok := parseArgs(rotateCommand, fs, tc.args, stdio{out: &strings.Builder{}, err: &strings.Builder{}})
		if !ok || code != exitOK || len(pos) != 1 || pos[0] != tc.pos || flagValue[bool](fs, "online") != tc.online || flagValue[bool](fs, "json") {
			t.Errorf("parseArgs(%q) = %q, %d, %t; online %t", tc.args, pos, code, ok, flagValue[bool](fs, "online"))
		}
	}
}

func TestRotateExitStatus(t *testing.T) {
	env := map[string]string{"SQLSEAL_ENCRYPTION_SECRET_KEY": "exit-status-key-000001"}
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"rotate-encryption-key"}, exitUsage},
		{[]string{"rotate-encryption-key", "short"}, exitUsage},
		{[]string{"rotate-encryption-key", "--dsn=postgres://nobody@127.0.0.1:1/x?connect_timeout=1", "new-key-000000000000001"}, exitFailure},
		{[]string{"status", "--dsn=what"}, exitUsage},
		{[]string{"status", "--dsn=postgres://nobody@127.0.0.1:1/x?connect_timeout=1"}, exitFailure},
	} {
		code, _, stderr := runInProcess(env, "", tc.args...)
		if code != tc.want {
			t.Errorf("%q: exit %d, want %d; stderr %s", tc.args, code, tc.want, stderr)
		}
	}
}

func TestSQLiteFile(t *testing.T) {
	tests := []struct {
		in   string
		path string
		ok   bool
	}{
		{"/srv/metabase.db", "/srv/metabase.db", true},
		{"data/app.sqlite3?_pragma=busy_timeout(5000)", "data/app.sqlite3", true},
		{"sqlite:///var/lib/app.db", "/var/lib/app.db", true},
		{"file:app.db?mode=ro", "app.db", true},
		{"file:///srv/my%20app.db", "/srv/my app.db", true},
		{"file://localhost/srv/app.db", "/srv/app.db", true},
		{"file::memory:", "", false},
		{"file:shared.db?mode=memory&cache=shared", "", false},
		{"postgres://h/db", "", false},
	}
	for _, tc := range tests {
		ds, err := parseDSN(tc.in)
		if err != nil {
			t.Fatalf("parseDSN(%q): %v", tc.in, err)
		}
		path, ok := sqliteFile(ds)
		if path != tc.path || ok != tc.ok {
			t.Errorf("sqliteFile(%q) = %q, %v; want %q, %v", tc.in, path, ok, tc.path, tc.ok)
		}
	}
}
