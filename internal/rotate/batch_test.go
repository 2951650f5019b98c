package rotate

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestBatchedUpdateKeyTypes rotates tables keyed by each key type the
// batched compare-and-swap statement passes (PostgreSQL casts keys from
// text), in both modes: every row must be written by the batch statement
// itself (no row retried one by one, which is what a key the statement
// failed to match would cause) and hold the new key's ciphertext at rest.
func TestBatchedUpdateKeyTypes(t *testing.T) {
	keyTypes := map[Family][]struct{ typ, value string }{
		Postgres: {
			{"bigint", "%d"}, {"integer", "%d"}, {"text", "key-%d"}, {"varchar(40)", "Key %d é"},
			{"uuid", "00000000-0000-4000-8000-%012d"}, {"timestamptz", "2024-01-02 03:04:%02d.123456+02"},
			{"date", "2024-01-%02d"}, {"numeric(10,2)", "%d.25"}, {"bytea", "key %d"},
		},
		MySQL:  {{"bigint", "%d"}, {"varchar(40)", "Key %d é"}, {"varbinary(40)", "key %d"}, {"datetime(6)", "2024-01-02 03:04:%02d.123456"}},
		SQLite: {{"integer", "%d"}, {"text", "Key %d é"}},
	}
	forEachMode(t, func(t *testing.T, b backend, db *sql.DB, online bool) {
		for _, kt := range keyTypes[b.dialect] {
			t.Run(strings.Fields(kt.typ)[0], func(t *testing.T) {
				payload := map[Family]string{Postgres: "bytea", MySQL: "longblob", SQLite: "blob"}[b.dialect]
				table := createTable(t, db, b, "keys", "k "+kt.typ+" PRIMARY KEY, details text, payload "+payload)
				old, nw := mustKey(t, secretOld), mustKey(t, secretNew)
				const n = 23
				ph := placeholders(b, 1, 3)
				want := map[string]string{}
				for i := range n {
					k := fmt.Sprintf(kt.value, i+1)
					pt := fmt.Sprintf("secret of %s", k)
					want[pt] = k
					mustExec(t, db, "INSERT INTO "+table+" (k, details, payload) VALUES ("+strings.Join(ph, ", ")+")",
						k, old.SealText([]byte(pt)), old.Seal([]byte(pt)))
				}
				sum := mustRotate(t, db, Options{Family: b.dialect, Config: cfgFor(table, secretOld), NewSecret: secretNew, Online: online, BatchSize: 10})
				for _, c := range sum.Columns {
					if c.Resealed != n || c.Retried != 0 || c.Conflicts != 0 {
						t.Errorf("%s: %+v; want %d resealed by the batch statement", c.Column, c, n)
					}
				}
				// At rest: the new key's ciphertext, each row its own value.
				rows, err := db.Query("SELECT details, payload FROM " + table)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				seen := 0
				for rows.Next() {
					var d, p value
					if err := rows.Scan(&d, &p); err != nil {
						t.Fatal(err)
					}
					ptd := openText(t, nw, d.text(), "details")
					if _, ok := want[ptd]; !ok || openRaw(t, nw, p.bytes(), "payload") != ptd {
						t.Errorf("a row holds the wrong plaintext")
					}
					seen++
				}
				if seen != n {
					t.Errorf("%d rows, want %d", seen, n)
				}
			})
		}
	})
}

// TestCASBatchChunks splits batches by placeholders and, for MySQL, by
// bytes, keeping every row once and in order.
func TestCASBatchChunks(t *testing.T) {
	rows := make([]pending, 25000)
	for i := range rows {
		rows[i] = pending{key: []any{int64(i)}, old: value{str: true, s: strings.Repeat("o", 300)}, out: strings.Repeat("n", 300)}
	}
	for _, tc := range []struct {
		d    Family
		keys int
		max  int // rows per chunk
	}{
		{Postgres, 1, len(rows)},
		{SQLite, 1, maxPlaceholders / 3},
		{SQLite, 2, maxPlaceholders / 4},
		{MySQL, 1, maxStatementBytes / 600},
	} {
		b := &casBatch{family: tc.d, keys: make([]string, tc.keys)}
		chunks := b.chunks(rows)
		next := 0
		for _, c := range chunks {
			if len(c) > tc.max || len(c) == 0 {
				t.Errorf("%s/%d keys: chunk of %d rows, want 1..%d", tc.d, tc.keys, len(c), tc.max)
			}
			for _, p := range c {
				if p.key[0].(int64) != int64(next) {
					t.Fatalf("%s: row %d out of order", tc.d, next)
				}
				next++
			}
		}
		if next != len(rows) {
			t.Errorf("%s: %d rows in chunks, want %d", tc.d, next, len(rows))
		}
	}
}

// TestNothingWrittenWhenLastValueDoesNotOpen puts the only value no key
// opens in the last row of the last column, after many batches: in
// one-transaction mode the rewrite has written every batch before it
// finds it and must roll them all back; online (with one and with four
// workers, whose pre-flight pass checks in parallel) the pre-flight pass
// must find it before anything is written.
func TestNothingWrittenWhenLastValueDoesNotOpen(t *testing.T) {
	forEachMode(t, func(t *testing.T, b backend, db *sql.DB, online bool) {
		for _, workers := range []int{1, 4} {
			if !online && workers > 1 {
				continue
			}
			t.Run(fmt.Sprintf("workers-%d", workers), func(t *testing.T) {
				table := createTable(t, db, b, "last", "")
				old, other := mustKey(t, secretOld), mustKey(t, secretOther)
				const n = 1200
				rows := make([]testRow, n)
				for i := range rows {
					pt := []byte(fmt.Sprintf("row %d", i))
					rows[i] = testRow{id: int64(i), details: old.SealText(pt), payload: old.Seal(pt)}
				}
				rows[n-1].payload = other.Seal([]byte("sealed with a key the rotation does not know"))
				insertRows(t, db, b, table, rows)
				before := readRows(t, db, table)
				sum, err := Rotate(bg, db, Options{
					Family: b.dialect, Config: cfgFor(table, secretOld), NewSecret: secretNew,
					Online: online, Workers: workers, BatchSize: 100,
				})
				if !errors.Is(err, ErrUnopenable) {
					t.Fatalf("error %v, want ErrUnopenable", err)
				}
				if !sameRows(before, readRows(t, db, table)) {
					t.Fatal("rows were written although a value does not open")
				}
				want := fmt.Sprintf("%s.payload (id=%d)", table, n-1)
				if sum.Unopenable != 1 || len(sum.Offenders) != 1 || sum.Offenders[0].String() != want {
					t.Errorf("unopenable %d, offenders %v; want 1: %s", sum.Unopenable, sum.Offenders, want)
				}
			})
		}
	})
}

// TestCASBatchStatement pins the batched compare-and-swap statements of
// MySQL and SQLite (PostgreSQL's needs the key types from the database;
// TestBatchedUpdateKeyTypes runs it) and their argument order.
func TestCASBatchStatement(t *testing.T) {
	rows := []pending{
		{key: []any{"a", int64(1)}, old: value{str: true, s: "o1"}, out: "n1"},
		{key: []any{"b", int64(2)}, old: value{str: true, s: "o2"}, out: "n2"},
	}
	for _, tc := range []struct {
		d      Family
		binary bool
		want   string
	}{
		{MySQL, false, "UPDATE `s`.`t` AS t JOIN (SELECT ? AS k1, ? AS k2, ? AS o, ? AS n UNION ALL SELECT ?, ?, ?, ?) AS v" +
			" ON t.`a` = v.k1 AND t.`b` = v.k2 SET t.`c` = v.n WHERE CAST(t.`c` AS BINARY) = CAST(v.o AS BINARY)"},
		{MySQL, true, "UPDATE `s`.`t` AS t JOIN (SELECT ? AS k1, ? AS k2, CAST(? AS BINARY) AS o, CAST(? AS BINARY) AS n" +
			" UNION ALL SELECT ?, ?, CAST(? AS BINARY), CAST(? AS BINARY)) AS v" +
			" ON t.`a` = v.k1 AND t.`b` = v.k2 SET t.`c` = v.n WHERE CAST(t.`c` AS BINARY) = CAST(v.o AS BINARY)"},
		{SQLite, false, `UPDATE "s"."t" AS t SET "c" = v.column4 FROM (VALUES (?, ?, ?, ?), (?, ?, ?, ?)) AS v` +
			` WHERE t."a" = v.column1 AND t."b" = v.column2 AND t."c" COLLATE BINARY IS v.column3`},
	} {
		cat, _ := catalogFor(tc.d)
		b := &casBatch{family: tc.d, cat: cat, table: cat.Quote("s") + "." + cat.Quote("t"), col: cat.Quote("c"),
			keys: []string{cat.Quote("a"), cat.Quote("b")}, binary: tc.binary}
		got, args, err := b.statement(rows)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.d, got, tc.want)
		}
		if fmt.Sprint(args) != "[a 1 o1 n1 b 2 o2 n2]" {
			t.Errorf("%s: arguments %v", tc.d, args)
		}
	}
}
