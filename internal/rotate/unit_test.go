package rotate

import (
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sqlseal/sqlseal/internal/catalog"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/analysis"
)

func base64Decode(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

func TestBuildSQL(t *testing.T) {
	tests := []struct {
		d                                 Family
		keys                              []string
		next, update, reread, lockPresent string
	}{
		{Postgres, []string{"id"},
			`SELECT "id", "details" FROM "s"."t" WHERE "id" > $1 ORDER BY "id" LIMIT 7`,
			`UPDATE "s"."t" SET "details" = $1 WHERE "id" = $2 AND "details" IS NOT DISTINCT FROM $3`,
			`SELECT "details" FROM "s"."t" WHERE "id" = $1 FOR UPDATE`, ""},
		{MySQL, []string{"a", "b"},
			"SELECT `a`, `b`, `details` FROM `s`.`t` WHERE (`a`, `b`) > (?, ?) ORDER BY `a`, `b` LIMIT 7",
			"UPDATE `s`.`t` SET `details` = ? WHERE `a` = ? AND `b` = ? AND CAST(`details` AS BINARY) <=> CAST(? AS BINARY)",
			"SELECT `details` FROM `s`.`t` WHERE `a` = ? AND `b` = ? FOR UPDATE", ""},
		{SQLite, []string{"id"},
			`SELECT "id", "details" FROM "s"."t" WHERE "id" > ?1 ORDER BY "id" LIMIT 7`,
			`UPDATE "s"."t" SET "details" = ?1 WHERE "id" = ?2 AND "details" COLLATE BINARY IS ?3`,
			`SELECT "details" FROM "s"."t" WHERE "id" = ?1`, `UPDATE "s"."t" SET "details" = "details" WHERE 0`},
	}
	for _, tc := range tests {
		cat, _ := catalogFor(tc.d)
		j := &job{col: analysis.Column{Schema: "s", Table: "t", Name: "details"}, keys: tc.keys, batch: 7}
		j.buildSQL(tc.d, cat)
		for _, c := range []struct{ got, want string }{{j.nextSQL, tc.next}, {j.updateSQL, tc.update}, {j.rereadSQL, tc.reread}, {j.lockSQL, tc.lockPresent}} {
			if c.got != c.want {
				t.Errorf("%s:\n got %s\nwant %s", tc.d, c.got, c.want)
			}
		}
	}
}

func TestDecide(t *testing.T) {
	old, prev, nw := mustKey(t, secretOld), mustKey(t, secretPrev), mustKey(t, secretNew)
	cfg := config.Config{SecretKey: secretOld, PreviousSecretKeys: []string{secretPrev}}
	rot, err := newKeys(cfg, secretNew, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	dis, err := newKeys(cfg, "", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	same, err := newKeys(cfg, secretOld, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	text := func(k *codec.Key) value { return value{str: true, s: k.SealText([]byte("pt"))} }
	raw := func(k *codec.Key) value { return value{b: k.Seal([]byte("pt"))} }
	other := mustKey(t, secretOther)
	tests := []struct {
		name string
		k    *keys
		v    value
		kind catalog.Kind
		want action
	}{
		{"null", rot, value{null: true}, catalog.KindText, actNull},
		{"plaintext", rot, value{str: true, s: "hello"}, catalog.KindText, actSeal},
		{"plaintext bytes", rot, value{b: []byte("hello")}, catalog.KindBinary, actSeal},
		{"current key", rot, text(old), catalog.KindText, actReseal},
		{"previous key", rot, raw(prev), catalog.KindBinary, actReseal},
		{"new key", rot, text(nw), catalog.KindText, actCurrent},
		{"unknown key", rot, text(other), catalog.KindText, actBad},
		{"text in a binary column", rot, value{b: []byte(old.SealText([]byte("pt")))}, catalog.KindBinary, actSeal},
		{"disable sealed", dis, text(prev), catalog.KindText, actDecrypt},
		{"disable plaintext", dis, value{str: true, s: "x"}, catalog.KindText, actPlaintext},
		{"disable new-key value unknown", dis, text(nw), catalog.KindText, actBad},
		{"same key current", same, text(old), catalog.KindText, actCurrent},
		{"same key previous", same, text(prev), catalog.KindText, actReseal},
	}
	for _, tc := range tests {
		if got := tc.k.classify(tc.v, tc.kind, "t.c"); got != tc.want {
			t.Errorf("%s: action %d, want %d", tc.name, got, tc.want)
		}
		if got := tc.k.check(tc.v, tc.kind, "t.c"); got != tc.want {
			t.Errorf("%s: check: action %d, want %d", tc.name, got, tc.want)
		}
		a, out := tc.k.rewrite(tc.v, tc.kind, "t.c")
		if a.writes() != (out != nil) {
			t.Errorf("%s: writes %t but value %T", tc.name, a.writes(), out)
		}
		switch {
		case a == actDecrypt && tc.kind == catalog.KindText:
			if out != "pt" {
				t.Errorf("%s: decrypted to the wrong text", tc.name)
			}
		case a == actSeal || a == actReseal:
			key := tc.k.newKey
			var pt []byte
			var err error
			if tc.kind == catalog.KindText {
				pt, err = key.OpenText(out.(string))
			} else {
				pt, err = key.Open(out.([]byte))
			}
			if err != nil || (a == actReseal && string(pt) != "pt") {
				t.Errorf("%s: rewritten value does not open with the new key: %v", tc.name, err)
			}
		}
	}
}

func TestNewKeysRefusesShortKeys(t *testing.T) {
	if _, err := newKeys(config.Config{SecretKey: secretOld}, "0123456789abcde", nil, false); !errors.Is(err, codec.ErrKeyTooShort) {
		t.Errorf("15-character new key: %v", err)
	}
	if _, err := newKeys(config.Config{SecretKey: secretOld, PreviousSecretKeys: []string{"short"}}, secretNew, nil, false); !errors.Is(err, codec.ErrKeyTooShort) {
		t.Errorf("short previous key: %v", err)
	}
	if _, err := newKeys(config.Config{}, "0123456789abcdef", nil, false); err != nil {
		t.Errorf("16-character new key: %v", err)
	}
}

func TestFormatKey(t *testing.T) {
	ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	got := formatKey([]string{"a", "b", "c", "d", "e", "f"}, []any{int64(42), []byte("acme"), []byte{0xff, 0}, nil, ts,
		[16]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0}})
	want := `a=42, b=acme, c=\xff00, d=NULL, e=2026-01-02T03:04:05Z, f=12345678-9abc-def0-1234-56789abcdef0`
	if got != want {
		t.Errorf("formatKey:\n got %s\nwant %s", got, want)
	}
}

func TestDialectOf(t *testing.T) {
	for name, want := range map[string]Family{"pgx": Postgres, "postgres": Postgres, "mysql": MySQL, "sqlite": SQLite, "sqlite3": SQLite} {
		if got, err := FamilyOf(name); err != nil || got != want {
			t.Errorf("FamilyOf(%q) = %q, %v", name, got, err)
		}
	}
	if _, err := FamilyOf("sqlseal"); err == nil {
		t.Error("FamilyOf(sqlseal): no error")
	}
}

func TestRetryable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "40P01"}, true},
		{fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "40001"}), true},
		{&pgconn.PgError{Code: "23505"}, false},
		{&mysql.MySQLError{Number: 1213}, true},
		{&mysql.MySQLError{Number: 1062}, false},
		{errors.New("database is locked (5) (SQLITE_BUSY)"), true},
		{errors.New("no such table"), false},
	} {
		if got := retryable(tc.err); got != tc.want {
			t.Errorf("retryable(%v) = %t", tc.err, got)
		}
	}
}

func TestSummaryTotals(t *testing.T) {
	s := &Summary{Columns: []ColumnSummary{{Total: 5, Sealed: 1, Resealed: 2, Decrypted: 0}, {Total: 3, Decrypted: 2}}}
	if s.Rows() != 8 || s.Changed() != 5 {
		t.Errorf("Rows %d Changed %d", s.Rows(), s.Changed())
	}
	if o := (Offender{Column: "t.c", Key: "id=1"}); o.String() != "t.c (id=1)" {
		t.Errorf("Offender.String = %s", o)
	}
	if !strings.Contains(listOffenders([]Offender{{Column: "t.c", Key: "id=1"}}, 5), "and 4 more") {
		t.Error("listOffenders does not count the rest")
	}
}

func TestProgressReports(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		_, table := loadFixture(t, db, b)
		var got []Progress
		mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev), NewSecret: secretNew, Online: true, BatchSize: 5,
			Progress: func(p Progress) { got = append(got, p) },
		})
		// Check: start and end; rotate: start, then after each batch
		// (8 rows a column, batches of 5).
		want := []Progress{
			{PhaseCheck, 0, 16}, {PhaseCheck, 16, 16},
			{PhaseRotate, 0, 16}, {PhaseRotate, 5, 16}, {PhaseRotate, 8, 16}, {PhaseRotate, 13, 16}, {PhaseRotate, 16, 16},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("progress reports\n got %v\nwant %v", got, want)
		}
	})
}
