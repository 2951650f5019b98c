package rotate

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// benchTable is kept between benchmark runs: filling it costs more than a
// rotation. fillBenchTable recreates it when its row count is wrong.
const benchTable = "sqlseal_bench_rotate"

const (
	benchRows  = 100000
	benchBatch = 1000
)

// fillBenchTable makes table hold n rows (id, details) whose details are
// plaintexts of size bytes sealed with key, unless it already has n rows.
// It loads with COPY, through pgx's own connection.
func fillBenchTable(tb testing.TB, db *sql.DB, table string, n, size int, key *codec.Key) {
	tb.Helper()
	var have int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&have); err == nil && have == n {
		return
	}
	mustExec(tb, db, "DROP TABLE IF EXISTS "+table)
	mustExec(tb, db, "CREATE TABLE "+table+" (id bigint PRIMARY KEY, details text)")
	conn, err := db.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		buf := make([]byte, size/2)
		i := 0
		_, err := pc.CopyFrom(context.Background(), pgx.Identifier{table}, []string{"id", "details"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				i++
				rand.Read(buf)
				pt := []byte(hex.EncodeToString(buf))
				return []any{int64(i), key.SealText(pt)}, nil
			}))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	mustExec(tb, db, "VACUUM ANALYZE "+table)
}

// rewriteLoop is the baseline: the online rotation's reads and writes
// without the crypto. It reads the same keyset-paginated batches and
// writes every value back (unchanged) with the same compare-and-swap
// update, one transaction per batch.
func rewriteLoop(ctx context.Context, db *sql.DB, table string, batch int) (int, error) {
	first := fmt.Sprintf("SELECT id, details FROM %s ORDER BY id LIMIT %d", table, batch)
	next := fmt.Sprintf("SELECT id, details FROM %s WHERE id > $1 ORDER BY id LIMIT %d", table, batch)
	update := "UPDATE " + table + " SET details = $1 WHERE id = $2 AND details IS NOT DISTINCT FROM $3"
	type rw struct {
		id  int64
		val string
	}
	var after *int64
	total := 0
	for {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return total, err
		}
		var rows *sql.Rows
		if after == nil {
			rows, err = tx.QueryContext(ctx, first)
		} else {
			rows, err = tx.QueryContext(ctx, next, *after)
		}
		if err != nil {
			tx.Rollback()
			return total, err
		}
		got := make([]rw, 0, batch)
		for rows.Next() {
			var r rw
			if err := rows.Scan(&r.id, &r.val); err != nil {
				rows.Close()
				tx.Rollback()
				return total, err
			}
			got = append(got, r)
		}
		rows.Close()
		stmt, err := tx.PrepareContext(ctx, update)
		if err != nil {
			tx.Rollback()
			return total, err
		}
		for _, r := range got {
			res, err := stmt.ExecContext(ctx, r.val, r.id, r.val)
			if err != nil {
				tx.Rollback()
				return total, err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				tx.Rollback()
				return total, fmt.Errorf("row %d: %d rows affected", r.id, n)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return total, err
		}
		total += len(got)
		if len(got) < batch {
			return total, nil
		}
		after = &got[len(got)-1].id
	}
}

// BenchmarkRotate compares an online rotation of 100,000 rows of 1 KiB
// plaintext on PostgreSQL with the same reads and writes without crypto,
// in the same run, and reports rows/s of each and their ratio. Run it with
// -benchtime=1x or 2x: one iteration is a full pass over the table.
//
//	go test -run '^$' -bench BenchmarkRotate -benchtime 2x ./internal/rotate
func BenchmarkRotate(b *testing.B) {
	db, err := sql.Open("pgx", testdb.Postgres(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	fillBenchTable(b, db, benchTable, benchRows, 1024, mustKey(b, secretOld))

	// Which key do the rows hold now (the table outlives runs)?
	rep, err := Status(bg, db, StatusOptions{Family: Postgres, Config: config1(benchTable, secretOld, secretNew)})
	if err != nil {
		b.Fatal(err)
	}
	to, from := secretNew, secretOld
	if rep.Columns[0].Previous[0] > rep.Columns[0].Primary {
		to, from = secretOld, secretNew
	}

	var rotateRate, loopRate float64
	b.Run("online-rotation", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			sum, err := Rotate(bg, db, Options{
				Family: Postgres, Config: config1(benchTable, from, to), NewSecret: to, Online: true, BatchSize: benchBatch,
			})
			if err != nil {
				b.Fatal(err)
			}
			if got := sum.Columns[0].Resealed; got != benchRows {
				b.Fatalf("resealed %d rows, want %d", got, benchRows)
			}
			rows += benchRows
			from, to = to, from
		}
		rotateRate = float64(rows) / b.Elapsed().Seconds()
		b.ReportMetric(rotateRate, "rows/s")
	})
	b.Run("plain-rewrite", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			n, err := rewriteLoop(bg, db, benchTable, benchBatch)
			if err != nil {
				b.Fatal(err)
			}
			rows += n
		}
		loopRate = float64(rows) / b.Elapsed().Seconds()
		b.ReportMetric(loopRate, "rows/s")
	})
	if rotateRate > 0 && loopRate > 0 {
		b.Logf("online rotation %.0f rows/s, plain rewrite %.0f rows/s, ratio %.2f (target >= 0.70)", rotateRate, loopRate, rotateRate/loopRate)
	}
}

// config1 protects table.details with current and previous secrets.
func config1(table, current string, previous ...string) config.Config {
	c := cfgFor(table, current, previous...)
	c.Columns = c.Columns[:1]
	return c
}
