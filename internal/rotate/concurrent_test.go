package rotate

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sqlseal/sqlseal/codec"
)

// keyID returns the int64 id of a key value as the driver returned it.
func keyID(key []any) int64 {
	switch x := key[0].(type) {
	case int64:
		return x
	case []byte:
		var n int64
		fmt.Sscan(string(x), &n)
		return n
	}
	return -1
}

// TestConcurrentChangeIsNotLost changes rows between the rotation's read
// and its compare-and-swap update: a row rewritten by an application is
// re-read and rotated with its new value, a deleted row is skipped.
func TestConcurrentChangeIsNotLost(t *testing.T) {
	forEachMode(t, func(t *testing.T, b backend, db *sql.DB, online bool) {
		if b.dialect == SQLite {
			t.Skip("SQLite: each transaction takes the write lock before reading, so no other connection can change a row between the read and the update")
		}
		_, table := loadFixture(t, db, b)
		old, nw := mustKey(t, secretOld), mustKey(t, secretNew)
		// A separate handle: the application.
		app := openDB(t, b)
		if b.dialect == SQLite {
			app.Close()
			app, _ = sql.Open("sqlite", dsnOf(t, db))
		}
		ph := placeholders(b, 1, 3)
		var fired atomic.Int32
		testHookBeforeWrite = func(column string, key []any) {
			if column != table+".details" {
				return
			}
			switch keyID(key) {
			case 3: // first row of the second batch
				fired.Add(1)
				if _, err := app.Exec("UPDATE "+table+" SET details = "+ph[0]+", payload = "+ph[1]+" WHERE id = "+ph[2],
					old.SealText([]byte("changed by the application")), []byte("changed bytes"), 3); err != nil {
					t.Errorf("application update: %v", err)
				}
			case 7: // first row of the fourth batch
				fired.Add(1)
				if _, err := app.Exec("DELETE FROM "+table+" WHERE id = "+ph[0], 7); err != nil {
					t.Errorf("application delete: %v", err)
				}
			}
		}
		defer func() { testHookBeforeWrite = nil }()
		sum := mustRotate(t, db, Options{
			Family: b.dialect, Config: cfgFor(table, secretOld, secretPrev, secretNew),
			NewSecret: secretNew, Online: online, BatchSize: 2,
		})
		if fired.Load() != 2 {
			t.Fatalf("hook fired %d times", fired.Load())
		}
		rows := readRows(t, db, table)
		if _, ok := rows[7]; ok {
			t.Error("deleted row is back")
		}
		if got := openText(t, nw, rows[3].details, "row 3"); got != "changed by the application" {
			t.Errorf("row 3 details: the application's write was lost")
		}
		if got := openRaw(t, nw, rows[3].payload, "row 3 payload"); got != "changed bytes" {
			t.Errorf("row 3 payload: the application's write was lost")
		}
		d := sum.Columns[0]
		if d.Retried != 1 || d.Skipped != 1 {
			t.Errorf("details: retried %d, skipped %d; want 1 and 1", d.Retried, d.Skipped)
		}
	})
}

// dsnOf returns the DSN a SQLite test handle was opened with.
func dsnOf(t testing.TB, db *sql.DB) string {
	var file string
	if err := db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
		t.Fatal(err)
	}
	return "file:" + file + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"
}

// rotationTarget is what a rotation rewrites values to: a new secret in
// the Metabase format, or a data key in the envelope format.
type rotationTarget struct {
	name string
	// set puts the target into the options.
	set func(o *Options)
	// sealText and seal seal like the target, for column label.
	sealText func(pt []byte, label string) string
	seal     func(pt []byte, label string) []byte
	// open opens a value under the target, reporting whether it is one.
	open func(stored any, label string) (string, bool)
}

// rotationTargets returns the Metabase target (secretNew) and the envelope
// target (data key 7).
func rotationTargets(t testing.TB) []rotationTarget {
	nw := mustKey(t, secretNew)
	dk, err := codec.NewDataKey(7, bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	set, err := codec.NewDataKeySet(dk)
	if err != nil {
		t.Fatal(err)
	}
	return []rotationTarget{{
		name:     "metabase",
		set:      func(o *Options) { o.NewSecret = secretNew },
		sealText: func(pt []byte, _ string) string { return nw.SealText(pt) },
		seal:     func(pt []byte, _ string) []byte { return nw.Seal(pt) },
		open: func(stored any, _ string) (string, bool) {
			pt, err := openWith(nw, stored)
			return pt, err == nil
		},
	}, {
		name:     "envelope",
		set:      func(o *Options) { o.DataKeys = set },
		sealText: func(pt []byte, label string) string { return dk.SealText(pt, label) },
		seal:     func(pt []byte, label string) []byte { return dk.Seal(pt, label) },
		open: func(stored any, label string) (string, bool) {
			var pt []byte
			var err error
			switch v := stored.(type) {
			case string:
				pt, err = dk.OpenText(v, label)
			case []byte:
				pt, err = dk.Open(v, label)
			}
			return string(pt), err == nil
		},
	}}
}

// openWith opens a stored Metabase value (string: base64, []byte: raw).
func openWith(k *codec.Key, stored any) (string, error) {
	switch v := stored.(type) {
	case string:
		pt, err := k.OpenText(v)
		return string(pt), err
	case []byte:
		pt, err := k.Open(v)
		return string(pt), err
	}
	return "", fmt.Errorf("stored %T", stored)
}

// TestOnlineRotationLosesNoWrites runs writers that keep updating rows,
// sealing with the old key or like the rotation's target, while an online
// rotation runs; every row must end with its writer's last value. The
// target is a new secret, or a data key of the envelope format.
func TestOnlineRotationLosesNoWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		for _, target := range rotationTargets(t) {
			t.Run(target.name, func(t *testing.T) { onlineRotationLosesNoWrites(t, b, db, target, 1) })
		}
		// Several workers write batches at once.
		t.Run("metabase-4-workers", func(t *testing.T) { onlineRotationLosesNoWrites(t, b, db, rotationTargets(t)[0], 4) })
	})
}

func onlineRotationLosesNoWrites(t *testing.T, b backend, db *sql.DB, target rotationTarget, workers int) {
	const n, writers = 3000, 4
	old := mustKey(t, secretOld)
	table := createTable(t, db, b, "lost", "")
	labels := [2]string{strings.ToLower(table + ".details"), strings.ToLower(table + ".payload")}
	rows := make([]testRow, n)
	last := make([]string, n) // the plaintext each row must end with
	for i := range rows {
		last[i] = fmt.Sprintf("row %d original", i)
		rows[i] = testRow{id: int64(i), details: old.SealText([]byte(last[i])), payload: old.Seal([]byte(last[i]))}
	}
	insertRows(t, db, b, table, rows)

	app := openDB(t, b)
	if b.dialect == SQLite {
		app.Close()
		var err error
		if app, err = sql.Open("sqlite", dsnOf(t, db)); err != nil {
			t.Fatal(err)
		}
		defer app.Close()
	}
	ph := placeholders(b, 1, 3)
	update := "UPDATE " + table + " SET details = " + ph[0] + ", payload = " + ph[1] + " WHERE id = " + ph[2]
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writes atomic.Int64
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for seq := 0; ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				// Writer w owns rows i with i % writers == w.
				i := rng.IntN(n/writers)*writers + w
				pt := []byte(fmt.Sprintf("row %d writer %d seq %d", i, w, seq))
				details, payload := any(old.SealText(pt)), any(old.Seal(pt))
				if rng.IntN(2) == 0 {
					details, payload = target.sealText(pt, labels[0]), target.seal(pt, labels[1])
				}
				if _, err := app.Exec(update, details, payload, i); err != nil {
					if retryable(err) {
						continue // the write did not happen
					}
					t.Errorf("writer %d: %v", w, err)
					return
				}
				last[i] = string(pt) // only this writer touches row i
				writes.Add(1)
			}
		}()
	}
	opts := Options{Family: b.dialect, Config: cfgFor(table, secretOld, secretNew), Online: true, BatchSize: 50, Workers: workers}
	target.set(&opts)
	time.Sleep(50 * time.Millisecond)
	sum, err := Rotate(bg, db, opts)
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d application writes during the rotation; rotation retried %d rows", b.dialect, writes.Load(), sum.Columns[0].Retried+sum.Columns[1].Retried)
	if writes.Load() == 0 {
		t.Fatal("no application write happened during the rotation")
	}
	check := func(final bool) {
		got := readRows(t, db, table)
		for i := range n {
			r := got[int64(i)]
			for c, v := range []any{r.details, r.payload} {
				pt, ok := target.open(v, labels[c])
				if !ok {
					if final {
						t.Fatalf("row %d column %d: not under the target after the final run", i, c)
					}
					var err error
					if pt, err = openWith(old, v); err != nil {
						t.Fatalf("row %d column %d: opens under no key", i, c)
					}
				}
				if pt != last[i] {
					t.Fatalf("row %d column %d: holds %q, want the last write %q", i, c, pt, last[i])
				}
			}
		}
	}
	check(false)
	// Writers stopped: a rerun puts everything under the target.
	opts.BatchSize = 0
	mustRotate(t, db, opts)
	check(true)
}

// openEither opens a stored value (string: base64, []byte: raw) with one
// of keys and returns the plaintext and the index of the key.
func openEither(t testing.TB, stored any, keys ...*codec.Key) (string, int) {
	t.Helper()
	for i, k := range keys {
		var pt []byte
		var err error
		switch v := stored.(type) {
		case string:
			pt, err = k.OpenText(v)
		case []byte:
			pt, err = k.Open(v)
		default:
			t.Fatalf("stored %T", stored)
		}
		if err == nil {
			return string(pt), i
		}
	}
	t.Fatalf("a stored value opens under none of the keys")
	return "", -1
}
