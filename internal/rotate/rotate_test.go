package rotate

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
)

// fixture is the standard set of rows: every kind of value a rotation
// meets. want holds each row's plaintext (nil for NULL).
type fixture struct {
	rows []testRow
	want map[int64][2]*string // details, payload
}

func str(s string) *string { return &s }

// newFixture seals with old, prev and new as the row comments say.
func newFixture(t testing.TB) fixture {
	old, prev, nw := mustKey(t, secretOld), mustKey(t, secretPrev), mustKey(t, secretNew)
	f := fixture{want: map[int64][2]*string{}}
	add := func(id int64, details, payload *string, sealWith *codec.Key) {
		r := testRow{id: id}
		if details != nil {
			r.details = *details
			if sealWith != nil {
				r.details = sealWith.SealText([]byte(*details))
			}
		}
		if payload != nil {
			r.payload = []byte(*payload)
			if sealWith != nil {
				r.payload = sealWith.Seal([]byte(*payload))
			}
		}
		f.rows = append(f.rows, r)
		f.want[id] = [2]*string{details, payload}
	}
	add(1, nil, nil, nil)                                                           // NULL
	add(2, str("plain text 2"), str("plain bytes 2"), nil)                          // plaintext
	add(3, str(`{"password":"sealed-old-3"}`), str("old bytes 3"), old)             // current key
	add(4, str(`{"password":"sealed-prev-4"}`), str("prev bytes 4"), prev)          // previous key
	add(5, str(`{"password":"sealed-new-5"}`), str("new bytes 5"), nw)              // the new key
	add(6, str(""), str(""), nil)                                                   // empty plaintext
	add(7, str(`{"host":"db","user":"u"}`), str(strings.Repeat("x", 100)), nil)     // plaintext JSON
	add(8, str(strings.Repeat("long ", 300)), str(strings.Repeat("y", 5000)), prev) // long values
	return f
}

// loadFixture makes the fixture and a table of b's database holding it.
func loadFixture(t testing.TB, db *sql.DB, b backend) (fixture, string) {
	f := newFixture(t)
	table := createTable(t, db, b, "rot", "")
	insertRows(t, db, b, table, f.rows)
	return f, table
}

// verify checks that every non-NULL value of table opens with key (nil:
// is plaintext) and holds the fixture's plaintext.
func (f fixture) verify(t testing.TB, db *sql.DB, table string, key *codec.Key) {
	t.Helper()
	got := readRows(t, db, table)
	if len(got) != len(f.want) {
		t.Fatalf("%d rows, want %d", len(got), len(f.want))
	}
	for id, want := range f.want {
		r := got[id]
		for i, stored := range []any{r.details, r.payload} {
			what := fmt.Sprintf("row %d column %d", id, i)
			switch {
			case want[i] == nil:
				if stored != nil {
					t.Errorf("%s: NULL became a value", what)
				}
				continue
			case stored == nil:
				t.Errorf("%s: value became NULL", what)
				continue
			}
			var pt string
			switch {
			case key == nil && i == 0:
				pt = stored.(string)
			case key == nil:
				pt = string(stored.([]byte))
			case i == 0:
				pt = openText(t, key, stored, what)
			default:
				pt = openRaw(t, key, stored, what)
			}
			if pt != *want[i] {
				t.Errorf("%s: plaintext changed", what)
			}
		}
	}
}

// modes are the two ways of writing.
var modes = []struct {
	name   string
	online bool
}{{"transaction", false}, {"online", true}}

// forEachMode runs fn as a subtest per dialect and, within it, per mode:
// in one transaction, and online.
func forEachMode(t *testing.T, fn func(t *testing.T, b backend, db *sql.DB, online bool)) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		for _, m := range modes {
			t.Run(m.name, func(t *testing.T) { fn(t, b, db, m.online) })
		}
	})
}

// counts is the part of a ColumnSummary the tests compare.
type counts struct{ Total, Null, Sealed, Resealed, Current, Decrypted, Plaintext int64 }

func countsOf(c ColumnSummary) counts {
	return counts{c.Total, c.Null, c.Sealed, c.Resealed, c.Current, c.Decrypted, c.Plaintext}
}

func checkCounts(t testing.TB, sum *Summary, want counts) {
	t.Helper()
	if len(sum.Columns) != 2 {
		t.Fatalf("%d column summaries, want 2", len(sum.Columns))
	}
	for _, c := range sum.Columns {
		if got := countsOf(c); got != want {
			t.Errorf("%s: counts %+v, want %+v", c.Column, got, want)
		}
		if c.Conflicts != 0 || c.Skipped != 0 {
			t.Errorf("%s: %d conflicts, %d skipped", c.Column, c.Conflicts, c.Skipped)
		}
	}
}

func TestRotateToNewKey(t *testing.T) {
	forEachMode(t, func(t *testing.T, b backend, db *sql.DB, online bool) {
		f, table := loadFixture(t, db, b)
		before := readRows(t, db, table)
		sum := mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev),
			NewSecret: secretNew, Online: online, BatchSize: 3,
		})
		f.verify(t, db, table, mustKey(t, secretNew))
		checkCounts(t, sum, counts{Total: 8, Null: 1, Sealed: 3, Resealed: 3, Current: 1})
		after := readRows(t, db, table)
		if after[5].details != before[5].details || !bytes.Equal(after[5].payload.([]byte), before[5].payload.([]byte)) {
			t.Error("a value already under the new key was rewritten")
		}
		if sum.Mode != map[bool]string{false: "transaction", true: "online"}[online] || sum.DryRun || sum.Disable {
			t.Errorf("summary header %+v", sum)
		}

		// Again: nothing left to do, nothing written.
		sum = mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretNew, secretOld),
			NewSecret: secretNew, Online: online, BatchSize: 3,
		})
		checkCounts(t, sum, counts{Total: 8, Null: 1, Current: 7})
		if again := readRows(t, db, table); !sameRows(after, again) {
			t.Error("a second rotation to the same key rewrote values")
		}
	})
}

func sameRows(a, b map[int64]testRow) bool {
	return maps.EqualFunc(a, b, func(r, s testRow) bool {
		return fmt.Sprint(r.details) == fmt.Sprint(s.details) && fmt.Sprint(r.payload) == fmt.Sprint(s.payload)
	})
}

func TestRotateToSameKeySealsPlaintext(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		f, table := loadFixture(t, db, b)
		before := readRows(t, db, table)
		// Metabase: rotating to the key in use seals the rows saved before
		// a key was set. Row 5 is under a key known as a previous one.
		sum := mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev, secretNew), NewSecret: secretOld,
		})
		f.verify(t, db, table, mustKey(t, secretOld))
		checkCounts(t, sum, counts{Total: 8, Null: 1, Sealed: 3, Resealed: 3, Current: 1})
		after := readRows(t, db, table)
		if after[3].details != before[3].details {
			t.Error("a value under the current key was rewritten")
		}
	})
}

func TestRotateDisableAndBack(t *testing.T) {
	forEachMode(t, func(t *testing.T, b backend, db *sql.DB, online bool) {
		f, table := loadFixture(t, db, b)
		sum := mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev, secretNew),
			NewSecret: "", Online: online, BatchSize: 2,
		})
		if !sum.Disable {
			t.Error("summary does not say disable")
		}
		f.verify(t, db, table, nil)
		checkCounts(t, sum, counts{Total: 8, Null: 1, Decrypted: 4, Plaintext: 3})

		// Encryption back on, from a configuration with no key.
		sum = mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, ""), NewSecret: secretNew, Online: online, BatchSize: 2,
		})
		f.verify(t, db, table, mustKey(t, secretNew))
		checkCounts(t, sum, counts{Total: 8, Null: 1, Sealed: 7})
	})
}

func TestRotateWrongKeyChangesNothing(t *testing.T) {
	forEachMode(t, func(t *testing.T, b backend, db *sql.DB, online bool) {
		f, table := loadFixture(t, db, b)
		before := readRows(t, db, table)
		// The configuration lacks secretPrev (rows 4 and 8) and
		// secretNew is not the new key (row 5).
		sum, err := Rotate(bg, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld), NewSecret: secretOther, Online: online, BatchSize: 2,
		})
		if !errors.Is(err, ErrUnopenable) {
			t.Fatalf("error %v, want ErrUnopenable", err)
		}
		if !sameRows(before, readRows(t, db, table)) {
			t.Fatal("rows changed although the check failed")
		}
		var got []string
		for _, o := range sum.Offenders {
			got = append(got, o.String())
		}
		want := []string{
			table + ".details (id=4)", table + ".details (id=5)", table + ".details (id=8)",
			table + ".payload (id=4)", table + ".payload (id=5)", table + ".payload (id=8)",
		}
		if strings.Join(sortedCopy(got), "\n") != strings.Join(want, "\n") {
			t.Errorf("offenders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if sum.Unopenable != 6 {
			t.Errorf("Unopenable = %d, want 6", sum.Unopenable)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error does not name %s: %v", w, err)
			}
		}
		assertNoSecrets(t, err.Error(), f, before)
	})
}

// assertNoSecrets fails if msg contains a secret, a plaintext or a stored
// value of the fixture.
func assertNoSecrets(t testing.TB, msg string, f fixture, stored map[int64]testRow) {
	t.Helper()
	for _, s := range []string{secretOld, secretNew, secretPrev, secretOther} {
		if strings.Contains(msg, s) {
			t.Errorf("message contains a secret: %s", msg)
		}
	}
	for id, w := range f.want {
		for _, p := range w {
			if p != nil && len(*p) >= 8 && strings.Contains(msg, *p) {
				t.Errorf("message contains the plaintext of row %d", id)
			}
		}
		if d, ok := stored[id].details.(string); ok && len(d) >= 8 && strings.Contains(msg, d) {
			t.Errorf("message contains the stored value of row %d", id)
		}
	}
}

func sortedCopy(s []string) []string {
	return slices.Sorted(slices.Values(s))
}

func TestRotateDryRunWritesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		_, table := loadFixture(t, db, b)
		before := readRows(t, db, table)
		sum := mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev), NewSecret: secretNew, DryRun: true,
		})
		if !sum.DryRun {
			t.Error("summary does not say dry run")
		}
		checkCounts(t, sum, counts{Total: 8, Null: 1, Sealed: 3, Resealed: 3, Current: 1})
		if !sameRows(before, readRows(t, db, table)) {
			t.Fatal("a dry run changed rows")
		}
	})
}

func TestRotateShortNewKeyReadsNothing(t *testing.T) {
	// The handle points at no server: any read would fail with a
	// connection error instead of the key error.
	db, err := sql.Open("pgx", "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = Rotate(bg, db, Options{Family: Postgres, Config: cfgFor("t", secretOld), NewSecret: "short"})
	if !errors.Is(err, codec.ErrKeyTooShort) {
		t.Fatalf("error %v, want codec.ErrKeyTooShort", err)
	}
	if strings.Contains(err.Error(), "short\"") || strings.Contains(err.Error(), ": short") {
		t.Errorf("error shows the key: %v", err)
	}
	// A bad current key is refused the same way, naming its variable.
	cfg, err := config.FromLookup(func(name string) (string, bool) {
		if name == config.EnvSecretKey {
			return "too-short", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Rotate(bg, db, Options{Family: Postgres, Config: cfg, NewSecret: secretNew})
	if !errors.Is(err, codec.ErrKeyTooShort) || !strings.Contains(err.Error(), config.EnvSecretKey) {
		t.Fatalf("error %v, want codec.ErrKeyTooShort naming %s", err, config.EnvSecretKey)
	}
}

// goldenVector is the metabase-golden entry of the codec's
// testdata/metabase-vectors.json: a ciphertext produced by Metabase itself.
func goldenVector(t testing.TB) (secret, ciphertext, plaintext string) {
	data, err := os.ReadFile("../../codec/testdata/metabase-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Open []struct{ Name, Secret, Ciphertext, Plaintext string }
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	for _, e := range v.Open {
		if e.Name == "metabase-golden" {
			return e.Secret, e.Ciphertext, e.Plaintext
		}
	}
	t.Fatal("no metabase-golden vector")
	return
}

func TestRotateMetabaseGolden(t *testing.T) {
	secret, ciphertext, plaintext := goldenVector(t)
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		table := createTable(t, db, b, "golden", "")
		raw, err := mustKey(t, secret).Open(mustDecode(t, ciphertext))
		if err != nil || string(raw) != plaintext {
			t.Fatalf("the golden vector does not open: %v", err)
		}
		insertRows(t, db, b, table, []testRow{{id: 1, details: ciphertext, payload: mustDecode(t, ciphertext)}})
		mustRotate(t, db, Options{Family: b.dialect, Config: cfgFor(table, secret), NewSecret: secretNew})
		r := readRows(t, db, table)[1]
		if r.details == ciphertext {
			t.Fatal("the golden value was not rotated")
		}
		if got := openText(t, mustKey(t, secretNew), r.details, "details"); got != plaintext {
			t.Errorf("details opens to the wrong plaintext")
		}
		if got := openRaw(t, mustKey(t, secretNew), r.payload, "payload"); got != plaintext {
			t.Errorf("payload opens to the wrong plaintext")
		}
	})
}

func mustDecode(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A misspelled protected column must not pass for a successful rotation:
// without AllowMissing nothing is read or written, and the error names the
// column.
func TestRotateMissingColumnIsRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		_, table := loadFixture(t, db, b)
		before := readRows(t, db, table)
		for _, missing := range []string{"no_such_table_rotate.details", table + ".no_such_column"} {
			cfg := cfgFor(table, secretOld, secretPrev)
			cfg.Columns = append(cfg.Columns, missing)
			for _, online := range []bool{false, true} {
				sum, err := Rotate(bg, db, Options{Family: b.dialect, Config: cfg, NewSecret: secretNew, Online: online})
				if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), missing) {
					t.Fatalf("%s, online %v: error %v, want ErrMissingColumn naming it", missing, online, err)
				}
				if strings.Contains(err.Error(), table+".details") || sum == nil || !sum.Columns[2].Missing || sum.Changed() != 0 {
					t.Errorf("%s: error %q, summary %+v", missing, err, sum)
				}
			}
			if !sameRows(before, readRows(t, db, table)) {
				t.Fatalf("%s: rows changed", missing)
			}
		}
	})
}

func TestRotateMissingTableIsSkipped(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		f, table := loadFixture(t, db, b)
		cfg := cfgFor(table, secretOld, secretPrev)
		cfg.Columns = append([]string{"no_such_table_rotate.details"}, cfg.Columns...)
		sum := mustRotate(t, db, Options{Family: b.dialect, Config: cfg, NewSecret: secretNew, AllowMissing: true})
		if len(sum.Columns) != 3 || !sum.Columns[0].Missing || sum.Columns[0].Total != 0 {
			t.Fatalf("summary %+v", sum.Columns)
		}
		f.verify(t, db, table, mustKey(t, secretNew))
	})
}

func TestRotateWithoutPrimaryKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		cols := strings.Replace(b.columns, " PRIMARY KEY", " NOT NULL", 1)
		table := createTable(t, db, b, "nopk", cols)
		f := newFixture(t)
		insertRows(t, db, b, table, f.rows)
		before := readRows(t, db, table)
		_, err := Rotate(bg, db, Options{Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev), NewSecret: secretNew})
		if !errors.Is(err, ErrNoPrimaryKey) || !strings.Contains(err.Error(), "--key-column") || !strings.Contains(err.Error(), table) {
			t.Fatalf("error %v, want ErrNoPrimaryKey naming the table and --key-column", err)
		}
		if !sameRows(before, readRows(t, db, table)) {
			t.Fatal("rows changed")
		}
		mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev), NewSecret: secretNew, KeyColumn: "id", Online: true, BatchSize: 3,
		})
		f.verify(t, db, table, mustKey(t, secretNew))

		// A key column with duplicates cannot address rows: refused.
		insertRows(t, db, b, table, []testRow{{id: 2, details: "duplicate id"}})
		_, err = Rotate(bg, db, Options{Family: b.dialect, Config: cfgFor(table, secretNew), NewSecret: secretOld, KeyColumn: "id"})
		if err == nil || !strings.Contains(err.Error(), "1 duplicate values") {
			t.Fatalf("duplicate key column: error %v", err)
		}
	})
}

func TestRotateCompositeKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		table := createTable(t, db, b, "comp", "tenant varchar(20) NOT NULL, id bigint NOT NULL, details text, payload "+
			map[Family]string{Postgres: "bytea", MySQL: "longblob", SQLite: "blob"}[b.dialect]+", PRIMARY KEY (tenant, id)")
		old := mustKey(t, secretOld)
		var want []string
		for i := range 25 {
			tenant := []string{"acme", "globex", "initech"}[i%3]
			pt := fmt.Sprintf("tenant %s secret %d", tenant, i)
			want = append(want, pt)
			ph := placeholders(b, 1, 4)
			mustExec(t, db, "INSERT INTO "+table+" (tenant, id, details, payload) VALUES ("+strings.Join(ph, ", ")+")",
				tenant, i, old.SealText([]byte(pt)), []byte(pt))
		}
		pk, err := PrimaryKey(bg, db, b.dialect, Table{Name: table})
		if err != nil || strings.Join(pk, ",") != "tenant,id" {
			t.Fatalf("PrimaryKey = %q, %v; want tenant,id", pk, err)
		}
		sum := mustRotate(t, db, Options{Family: b.dialect, Config: cfgFor(table, secretOld), NewSecret: secretNew, Online: true, BatchSize: 4})
		if sum.Columns[0].Resealed != 25 || sum.Columns[1].Sealed != 25 {
			t.Errorf("summary %+v", sum.Columns)
		}
		rows, err := db.Query("SELECT id, details, payload FROM " + table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id int
			var d, p value
			if err := rows.Scan(&id, &d, &p); err != nil {
				t.Fatal(err)
			}
			if openText(t, mustKey(t, secretNew), d.text(), "details") != want[id] ||
				openRaw(t, mustKey(t, secretNew), p.bytes(), "payload") != want[id] {
				t.Errorf("row %d: wrong plaintext", id)
			}
			n++
		}
		if n != 25 {
			t.Errorf("%d rows", n)
		}
	})
}

func TestPrimaryKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		table := createTable(t, db, b, "pk", "")
		pk, err := PrimaryKey(bg, db, b.dialect, Table{Name: table})
		if err != nil || len(pk) != 1 || pk[0] != "id" {
			t.Errorf("PrimaryKey = %q, %v", pk, err)
		}
		pk, err = PrimaryKey(bg, db, b.dialect, Table{Name: "no_such_table_pk"})
		if err != nil || len(pk) != 0 {
			t.Errorf("PrimaryKey of a missing table = %q, %v", pk, err)
		}
	})
}

func TestStatus(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		f, table := loadFixture(t, db, b)
		// Primary secretNew (row 5); previous: secretOther (none),
		// secretOld (row 3), secretPrev (rows 4, 8).
		rep, err := Status(bg, db, StatusOptions{Family: b.dialect, Config: cfgFor(table, secretNew, secretOther, secretOld, secretPrev)})
		if err != nil {
			t.Fatal(err)
		}
		want := ColumnStatus{Total: 8, Null: 1, Plaintext: 3, Primary: 1, Previous: []int64{0, 1, 2}}
		for _, c := range rep.Columns {
			got := c
			got.Column, got.Kind = "", ""
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %+v, want %+v", c.Column, got, want)
			}
		}
		if rep.Columns[0].Kind != "text" || rep.Columns[1].Kind != "binary" {
			t.Errorf("kinds %s %s", rep.Columns[0].Kind, rep.Columns[1].Kind)
		}
		if rep.Unopenable != 0 || len(rep.Offenders) != 0 {
			t.Errorf("unopenable %d %v", rep.Unopenable, rep.Offenders)
		}

		// Without secretPrev: rows 4 and 8 are listed by key.
		rep, err = Status(bg, db, StatusOptions{Family: b.dialect, Config: cfgFor(table, secretNew, secretOld)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Unopenable != 4 || rep.Columns[0].Unopenable != 2 || len(rep.Offenders) != 4 {
			t.Fatalf("report %+v", rep)
		}
		var got []string
		for _, o := range rep.Offenders {
			got = append(got, o.String())
		}
		got = sortedCopy(got)
		want2 := []string{table + ".details (id=4)", table + ".details (id=8)", table + ".payload (id=4)", table + ".payload (id=8)"}
		if strings.Join(got, "|") != strings.Join(want2, "|") {
			t.Errorf("offenders %q, want %q", got, want2)
		}
		js, _ := json.Marshal(rep)
		assertNoSecrets(t, string(js), f, readRows(t, db, table))
	})
}

// Status counts the columns that exist and reports a missing one as an
// error wrapping ErrMissingColumn, unless AllowMissing.
func TestStatusMissingColumn(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		_, table := loadFixture(t, db, b)
		cfg := cfgFor(table, secretNew, secretOther, secretOld, secretPrev)
		cfg.Columns = append([]string{"no_such_table_status.details"}, cfg.Columns...)
		rep, err := Status(bg, db, StatusOptions{Family: b.dialect, Config: cfg})
		if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), "no_such_table_status.details") {
			t.Fatalf("error %v, want ErrMissingColumn naming the column", err)
		}
		if rep == nil || !rep.Columns[0].Missing || rep.Columns[1].Total != 8 {
			t.Fatalf("report %+v", rep)
		}
		rep, err = Status(bg, db, StatusOptions{Family: b.dialect, Config: cfg, AllowMissing: true})
		if err != nil || !rep.Columns[0].Missing || rep.Columns[2].Total != 8 {
			t.Fatalf("AllowMissing: %+v, %v", rep, err)
		}
	})
}

func TestSummaryJSONHasNoValues(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		f, table := loadFixture(t, db, b)
		before := readRows(t, db, table)
		sum := mustRotate(t, db, Options{Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev), NewSecret: secretNew})
		js, err := json.Marshal(sum)
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecrets(t, string(js), f, before)
		assertNoSecrets(t, string(js), f, readRows(t, db, table))
		for _, field := range []string{`"sealed":3`, `"resealed":3`, `"current":1`, `"null":1`, `"mode":"transaction"`} {
			if !strings.Contains(string(js), field) {
				t.Errorf("JSON lacks %s: %s", field, js)
			}
		}
	})
}
