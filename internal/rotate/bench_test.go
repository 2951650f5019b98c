package rotate

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// benchTable is kept between benchmark runs on PostgreSQL and MariaDB:
// filling it costs more than a rotation. fillBenchTable recreates it when
// its row count is wrong.
const benchTable = "sqlseal_bench_rotate"

// benchBatch is the batch size: 1000, or SQLSEAL_BENCH_BATCH.
var benchBatch = func() int {
	if n, err := strconv.Atoi(os.Getenv("SQLSEAL_BENCH_BATCH")); err == nil && n > 0 {
		return n
	}
	return 1000
}()

// benchRows is the table size: 100,000 rows (the measurement), or
// SQLSEAL_BENCH_ROWS for quicker iterations.
func benchRows(tb testing.TB) int {
	if s := os.Getenv("SQLSEAL_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			tb.Fatalf("SQLSEAL_BENCH_ROWS=%q: want a positive number", s)
		}
		return n
	}
	return 100000
}

// fillBenchTable makes table hold n rows (id, details) whose details are
// plaintexts of size bytes sealed with key, unless it already has n rows.
// PostgreSQL loads with COPY, through pgx's own connection; the others
// with multi-row INSERTs.
func fillBenchTable(tb testing.TB, d Family, db *sql.DB, table string, n, size int, key *codec.Key) {
	tb.Helper()
	var have int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&have); err == nil && have == n {
		return
	}
	mustExec(tb, db, "DROP TABLE IF EXISTS "+table)
	mustExec(tb, db, "CREATE TABLE "+table+" (id bigint PRIMARY KEY, details "+
		map[Family]string{Postgres: "text", MySQL: "longtext", SQLite: "text"}[d]+")")
	buf := make([]byte, size/2)
	value := func() string {
		rand.Read(buf)
		return key.SealText([]byte(hex.EncodeToString(buf)))
	}
	if d != Postgres {
		tx, err := db.Begin()
		if err != nil {
			tb.Fatal(err)
		}
		const per = 500
		for start := 0; start < n; start += per {
			var tuples []string
			var args []any
			for i := start; i < min(start+per, n); i++ {
				tuples = append(tuples, "(?, ?)")
				args = append(args, int64(i+1), value())
			}
			if _, err := tx.Exec("INSERT INTO "+table+" (id, details) VALUES "+strings.Join(tuples, ", "), args...); err != nil {
				tb.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			tb.Fatal(err)
		}
		return
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		i := 0
		_, err := pc.CopyFrom(context.Background(), pgx.Identifier{table}, []string{"id", "details"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				i++
				return []any{int64(i), value()}, nil
			}))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	mustExec(tb, db, "VACUUM ANALYZE "+table)
}

// referenceSQL returns the fastest plain rewrite of a batch of n rows of
// table in dialect d, one statement with compare-and-swap, and the order
// its arguments take (PostgreSQL: three arrays; the others: id, old, new
// per row).
func referenceSQL(d Family, table string, n int) string {
	switch d {
	case Postgres:
		return "UPDATE " + table + " AS t SET details = v.new FROM unnest($1::int8[], $2::text[], $3::text[]) AS v(id, old, new) WHERE t.id = v.id AND t.details = v.old"
	case MySQL:
		var sb strings.Builder
		sb.WriteString("UPDATE " + table + " AS t JOIN (SELECT ? AS id, ? AS old, ? AS new")
		for range n - 1 {
			sb.WriteString(" UNION ALL SELECT ?, ?, ?")
		}
		sb.WriteString(") AS v ON t.id = v.id SET t.details = v.new WHERE t.details = v.old")
		return sb.String()
	}
	var sb strings.Builder
	sb.WriteString("UPDATE " + table + " AS t SET details = v.column3 FROM (VALUES (?, ?, ?)")
	for range n - 1 {
		sb.WriteString(", (?, ?, ?)")
	}
	sb.WriteString(") AS v WHERE t.id = v.column1 AND t.details = v.column2")
	return sb.String()
}

// referenceRewrite is the reference a rotation is measured against: the
// same work done by the fastest plain loop. One transaction per batch: read
// the batch by key range, open each value with from, seal it with to, then
// write the batch back with one compare-and-swap statement
// (referenceSQL).
func referenceRewrite(ctx context.Context, d Family, db *sql.DB, table string, batch int, from, to *codec.Key) (int, error) {
	ph := "$1"
	if d != Postgres {
		ph = "?"
	}
	first := fmt.Sprintf("SELECT id, details FROM %s ORDER BY id LIMIT %d", table, batch)
	next := fmt.Sprintf("SELECT id, details FROM %s WHERE id > %s ORDER BY id LIMIT %d", table, ph, batch)
	var after int64
	total := 0
	ids := make([]int64, 0, batch)
	olds := make([]string, 0, batch)
	news := make([]string, 0, batch)
	for {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return total, err
		}
		var rows *sql.Rows
		if total == 0 {
			rows, err = tx.QueryContext(ctx, first)
		} else {
			rows, err = tx.QueryContext(ctx, next, after)
		}
		if err != nil {
			tx.Rollback()
			return total, err
		}
		ids, olds, news = ids[:0], olds[:0], news[:0]
		for rows.Next() {
			var id int64
			var old string
			if err := rows.Scan(&id, &old); err != nil {
				rows.Close()
				tx.Rollback()
				return total, err
			}
			pt, err := from.OpenText(old)
			if err != nil {
				rows.Close()
				tx.Rollback()
				return total, fmt.Errorf("row %d: %w", id, err)
			}
			ids, olds, news = append(ids, id), append(olds, old), append(news, to.SealText(pt))
		}
		rows.Close()
		if len(ids) > 0 {
			var args []any
			if d == Postgres {
				args = []any{ids, olds, news}
			} else {
				args = make([]any, 0, 3*len(ids))
				for i := range ids {
					args = append(args, ids[i], olds[i], news[i])
				}
			}
			res, err := tx.ExecContext(ctx, referenceSQL(d, table, len(ids)), args...)
			if err != nil {
				tx.Rollback()
				return total, err
			}
			if n, _ := res.RowsAffected(); n != int64(len(ids)) {
				tx.Rollback()
				return total, fmt.Errorf("%d of %d rows updated", n, len(ids))
			}
		}
		if err := tx.Commit(); err != nil {
			return total, err
		}
		total += len(ids)
		if len(ids) < batch {
			return total, nil
		}
		after = ids[len(ids)-1]
	}
}

// benchDB opens the benchmark table of backend be, filled.
func benchDB(b *testing.B, be backend) *sql.DB {
	dsn := ""
	switch be.dialect {
	case Postgres:
		dsn = testdb.Postgres(b)
	case MySQL:
		dsn = testdb.MySQL(b)
	case SQLite:
		dsn = "file:" + filepath.Join(b.TempDir(), "bench.db") + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"
	}
	db, err := sql.Open(be.driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	fillBenchTable(b, be.dialect, db, benchTable, benchRows(b), 1024, mustKey(b, secretOld))
	return db
}

// benchKeys returns the secret the benchmark table's rows are under now
// (the table outlives runs) and the other one.
func benchKeys(b *testing.B, d Family, db *sql.DB) (from, to string) {
	rep, err := Status(bg, db, StatusOptions{Family: d, Config: config1(benchTable, secretOld, secretNew)})
	if err != nil {
		b.Fatal(err)
	}
	if rep.Columns[0].Previous[0] > rep.Columns[0].Primary {
		return secretNew, secretOld
	}
	return secretOld, secretNew
}

// BenchmarkRotate compares rotations of a table of 100,000 rows of 1 KiB
// plaintext (SQLSEAL_BENCH_ROWS to change) with the fastest plain rewrite
// of the same rows in the same run (referenceRewrite: one compare-and-swap
// statement per batch), on each database. Each iteration runs the
// reference, an online rotation and a one-transaction rotation, one after
// the other in an order that turns every iteration, so that load from
// elsewhere on the machine hits all three (PostgreSQL is vacuumed before
// each, untimed: every pass starts without the dead rows of the last);
// each rotation includes its pre-flight pass. It reports rows/s of each
// and the ratios rotation/reference. Run it with -benchtime=Nx: one
// iteration rewrites the table three times.
//
//	go test -run '^$' -bench 'BenchmarkRotate$/postgres' -benchtime 3x ./internal/rotate
func BenchmarkRotate(b *testing.B) {
	for _, be := range backends {
		b.Run(string(be.dialect), func(b *testing.B) {
			db := benchDB(b, be)
			n := benchRows(b)
			from, to := benchKeys(b, be.dialect, db)
			var ref, online, tx, check time.Duration
			rotate := func(isOnline bool) time.Duration {
				start := time.Now()
				var rotating time.Time
				sum, err := Rotate(bg, db, Options{
					Family: be.dialect, Config: config1(benchTable, from, to), NewSecret: to, Online: isOnline, BatchSize: benchBatch,
					Progress: func(p Progress) {
						if p.Phase == PhaseRotate && rotating.IsZero() {
							rotating = time.Now()
						}
					},
				})
				if isOnline {
					check += rotating.Sub(start)
				}
				if err != nil {
					b.Fatal(err)
				}
				if got := sum.Columns[0].Resealed; got != int64(n) {
					b.Fatalf("resealed %d rows, want %d", got, n)
				}
				from, to = to, from
				return time.Since(start)
			}
			reference := func() time.Duration {
				start := time.Now()
				got, err := referenceRewrite(bg, be.dialect, db, benchTable, benchBatch, mustKey(b, from), mustKey(b, to))
				if err != nil {
					b.Fatal(err)
				}
				if got != n {
					b.Fatalf("reference rewrote %d rows, want %d", got, n)
				}
				from, to = to, from
				return time.Since(start)
			}
			passes := []func(){
				func() { ref += reference() },
				func() { online += rotate(true) },
				func() { tx += rotate(false) },
			}
			iter := 0
			for b.Loop() {
				// Each pass starts from the same state: PostgreSQL's
				// dead row versions of the pass before are vacuumed
				// (untimed), and the order turns every iteration.
				for k := range passes {
					if be.dialect == Postgres {
						b.StopTimer()
						mustExec(b, db, "VACUUM "+benchTable)
						b.StartTimer()
					}
					passes[(iter+k)%len(passes)]()
				}
				iter++
			}
			rate := func(d time.Duration) float64 { return float64(n*b.N) / d.Seconds() }
			b.ReportMetric(rate(ref), "ref-rows/s")
			b.ReportMetric(rate(online), "online-rows/s")
			b.ReportMetric(rate(tx), "tx-rows/s")
			b.ReportMetric(rate(online)/rate(ref), "online/ref")
			b.ReportMetric(rate(tx)/rate(ref), "tx/ref")
			b.ReportMetric(0, "ns/op")
			b.Logf("%s, %d rows: reference %.0f rows/s, online rotation %.0f rows/s (%.2f; pre-flight pass %.0f%% of its time), one-transaction rotation %.0f rows/s (%.2f); target >= 0.90",
				be.dialect, n, rate(ref), rate(online), rate(online)/rate(ref), 100*check.Seconds()/online.Seconds(), rate(tx), rate(tx)/rate(ref))
		})
	}
}

// config1 protects table.details with current and previous secrets.
func config1(table, current string, previous ...string) config.Config {
	c := cfgFor(table, current, previous...)
	c.Columns = c.Columns[:1]
	return c
}

// BenchmarkRotateWorkers measures online rotations of the benchmark table
// with 1, 2 and 4 workers, in turn within each iteration (PostgreSQL
// vacuumed before each, untimed), and reports rows/s of each and the
// speedup over one worker. Each rotation includes its pre-flight pass.
//
//	go test -run '^$' -bench 'BenchmarkRotateWorkers/postgres' -benchtime 2x ./internal/rotate
func BenchmarkRotateWorkers(b *testing.B) {
	counts := []int{1, 2, 4}
	for _, be := range backends {
		b.Run(string(be.dialect), func(b *testing.B) {
			db := benchDB(b, be)
			n := benchRows(b)
			from, to := benchKeys(b, be.dialect, db)
			took := make([]time.Duration, len(counts))
			iter := 0
			for b.Loop() {
				for k := range counts {
					w := (iter + k) % len(counts)
					if be.dialect == Postgres {
						b.StopTimer()
						mustExec(b, db, "VACUUM "+benchTable)
						b.StartTimer()
					}
					start := time.Now()
					sum, err := Rotate(bg, db, Options{
						Family: be.dialect, Config: config1(benchTable, from, to), NewSecret: to,
						Online: true, BatchSize: benchBatch, Workers: counts[w],
					})
					if err != nil {
						b.Fatal(err)
					}
					if got := sum.Columns[0].Resealed; got != int64(n) {
						b.Fatalf("resealed %d rows, want %d", got, n)
					}
					took[w] += time.Since(start)
					from, to = to, from
				}
				iter++
			}
			var line []string
			for w, c := range counts {
				rate := float64(n*b.N) / took[w].Seconds()
				b.ReportMetric(rate, fmt.Sprintf("w%d-rows/s", c))
				line = append(line, fmt.Sprintf("%d workers %.0f rows/s (x%.2f)", c, rate, took[0].Seconds()/took[w].Seconds()))
			}
			b.ReportMetric(0, "ns/op")
			b.Logf("%s, %d rows: %s", be.dialect, n, strings.Join(line, ", "))
		})
	}
}
