package integration_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestConcurrentClientsShareOneSealedDB runs 8 goroutines over one sealed
// *sql.DB with fewer connections than goroutines. Each goroutine owns a few
// rows and mixes inserts, updates (plain, prepared, in transactions) and
// reads of its own rows, which must return the value it last wrote, and of
// the others' rows, which must return a value written for that row. Run it
// with -race.
func TestPGConcurrentClientsShareOneSealedDB(t *testing.T) {
	e := conformance.NewEnv(t, conformance.Postgres(t), "name text UNIQUE NOT NULL, details text")
	db := e.Sealed
	db.SetMaxOpenConns(4)
	tb := e.Table

	const workers, ops, rowsEach = 8, 60, 3
	type row struct {
		id   int64
		name string
		last string
	}
	var (
		mu  sync.Mutex
		ids []int64 // every row inserted so far, for cross reads
	)
	owned := make([][]*row, workers)
	start := make(chan struct{})
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start // every worker analyses its first statements at once
			errs <- func() error {
				ctx := context.Background()
				rnd := rand.New(rand.NewPCG(uint64(w), 7))
				upd, err := db.PrepareContext(ctx, `UPDATE `+tb+` SET details = $1 WHERE id = $2`)
				if err != nil {
					return err
				}
				defer upd.Close()
				version := 0
				value := func(r *row) string {
					version++
					return fmt.Sprintf(`{"row":%q,"v":%d,"pad":%q}`, r.name, version, strings.Repeat("x", rnd.IntN(200)))
				}
				check := func(r *row, got string) error {
					if got != r.last {
						return fmt.Errorf("row %d: read %q, last wrote %q", r.id, got, r.last)
					}
					return nil
				}
				for i := range ops {
					mine := owned[w]
					switch op := rnd.IntN(6); {
					case len(mine) < rowsEach && (op == 0 || i >= ops-rowsEach):
						r := &row{name: fmt.Sprintf("w%d-r%d", w, len(mine))}
						r.last = value(r)
						if err := db.QueryRowContext(ctx, `INSERT INTO `+tb+` (name, details) VALUES ($1, $2) RETURNING id`, r.name, r.last).Scan(&r.id); err != nil {
							return err
						}
						owned[w] = append(mine, r)
						mu.Lock()
						ids = append(ids, r.id)
						mu.Unlock()
					case len(mine) == 0:
						continue
					case op == 1:
						r := mine[rnd.IntN(len(mine))]
						r.last = value(r)
						if _, err := db.ExecContext(ctx, `UPDATE `+tb+` SET details = $1 WHERE id = $2`, r.last, r.id); err != nil {
							return err
						}
					case op == 2:
						r := mine[rnd.IntN(len(mine))]
						r.last = value(r)
						if _, err := upd.ExecContext(ctx, r.last, r.id); err != nil {
							return err
						}
					case op == 3:
						r := mine[rnd.IntN(len(mine))]
						next := value(r)
						tx, err := db.BeginTx(ctx, nil)
						if err != nil {
							return err
						}
						var got string
						if err := tx.QueryRowContext(ctx, `UPDATE `+tb+` SET details = $1 WHERE id = $2 RETURNING details`, next, r.id).Scan(&got); err != nil {
							tx.Rollback()
							return err
						}
						if got != next {
							tx.Rollback()
							return fmt.Errorf("row %d: RETURNING gave %q, wrote %q", r.id, got, next)
						}
						if err := tx.Commit(); err != nil {
							return err
						}
						r.last = next
					case op == 4:
						r := mine[rnd.IntN(len(mine))]
						var got string
						if err := db.QueryRowContext(ctx, `SELECT c.details FROM `+tb+` c WHERE c.id = $1`, r.id).Scan(&got); err != nil {
							return err
						}
						if err := check(r, got); err != nil {
							return err
						}
					default:
						mu.Lock()
						id := ids[rnd.IntN(len(ids))]
						mu.Unlock()
						var name, got string
						if err := db.QueryRowContext(ctx, `SELECT * FROM (SELECT name, details FROM `+tb+` WHERE id = $1) s`, id).Scan(&name, &got); err != nil {
							return err
						}
						if !strings.HasPrefix(got, fmt.Sprintf(`{"row":%q,`, name)) {
							return fmt.Errorf("row %d (%s): read %q", id, name, got)
						}
					}
				}
				return nil
			}()
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	// At rest every row is the last value its owner wrote, sealed, and
	// reads back through sqlseal.
	n := 0
	for _, rows := range owned {
		for _, r := range rows {
			e.RequireSealed(r.id, r.last)
			require.Equal(t, r.last, e.ReadDetails(r.id))
			n++
		}
	}
	require.Equal(t, workers*rowsEach, n)
	require.Equal(t, n, e.Count(tb))
}
