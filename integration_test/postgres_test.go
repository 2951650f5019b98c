package integration_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// The tests of this file are PostgreSQL's: concurrent clients, goose
// migrations, schemas.

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

// TestGooseMigrationsThroughSealedDB runs an application's migrations
// through the sealed *sql.DB: the protected table does not exist when
// sqlseal connects, migration 1 creates it, migration 2 seeds it with a
// literal that must be sealed.
func TestPGGooseMigrationsThroughSealedDB(t *testing.T) {
	e := conformance.NewEnv(t, conformance.Postgres(t), "")
	versions := e.Name("goose_versions")
	tb := e.Table
	fsys := fstest.MapFS{
		"00001_create.sql": {Data: []byte(`-- +goose Up
CREATE TABLE ` + tb + ` (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    details text
);

-- +goose Down
DROP TABLE ` + tb + `;
`)},
		"00002_seed.sql": {Data: []byte(`-- +goose Up
INSERT INTO ` + tb + ` (name, details) VALUES ('seed', '{"host":"seed"}');

-- +goose Down
DELETE FROM ` + tb + ` WHERE name = 'seed';
`)},
		"00003_more.sql": {Data: []byte(`-- +goose Up
-- A block is sent as one text of several statements.
-- +goose StatementBegin
INSERT INTO ` + tb + ` (name, details)
VALUES ('second', '{"host":"it''s quoted"}'),
       ('empty', '');
UPDATE ` + tb + ` SET details = '{"host":"seed","port":1}' WHERE name = 'seed';
-- +goose StatementEnd

-- +goose Down
DELETE FROM ` + tb + ` WHERE name IN ('second', 'empty');
`)},
	}
	db := e.Sealed
	provider, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithTableName(versions))
	require.NoError(t, err)

	results, err := provider.UpTo(e.Ctx, 2)
	require.NoError(t, err)
	require.Len(t, results, 2)
	e.RequireSealed(1, `{"host":"seed"}`)
	require.Equal(t, `{"host":"seed"}`, e.ReadDetails(1))

	results, err = provider.Up(e.Ctx)
	require.NoError(t, err)
	require.Len(t, results, 1)
	e.RequireSealed(1, `{"host":"seed","port":1}`)
	e.RequireSealed(2, `{"host":"it's quoted"}`)
	e.RequireSealed(3, ``)
	for id, want := range map[int64]string{1: `{"host":"seed","port":1}`, 2: `{"host":"it's quoted"}`, 3: ``} {
		require.Equal(t, want, e.ReadDetails(id))
	}

	// Down to 1 and up again: the re-seeded row is sealed too.
	_, err = provider.DownTo(e.Ctx, 1)
	require.NoError(t, err)
	require.Zero(t, e.Count(tb))
	_, err = provider.Up(e.Ctx)
	require.NoError(t, err)
	var id int64
	require.NoError(t, e.Raw.QueryRow(`SELECT id FROM `+tb+` WHERE name = 'second'`).Scan(&id))
	e.RequireSealed(id, `{"host":"it's quoted"}`)
	require.Equal(t, `{"host":"it's quoted"}`, e.ReadDetails(id))

	current, err := provider.GetDBVersion(e.Ctx)
	require.NoError(t, err)
	require.Equal(t, int64(3), current)
}

// TestPGSameNamedTableInAnotherSchemaIsNotOpened: with public.<t>.details
// protected, a table of the same name in another schema is ordinary, and
// a ciphertext copied there is not opened, whether the query names its
// schema or the session's search_path leads the server to it.
func TestPGSameNamedTableInAnotherSchemaIsNotOpened(t *testing.T) {
	e := conformance.NewEnv(t, conformance.Postgres(t), "name text, details text")
	schema := testdb.Name(t, "s")
	e.RawExec(`CREATE SCHEMA ` + schema)
	t.Cleanup(func() { e.Raw.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	other := schema + `.` + e.Table
	e.RawExec(`CREATE TABLE ` + other + ` (id serial PRIMARY KEY, name text, details text)`)
	db := e.Open(e.ConfigFor("public." + e.Table + ".details"))

	_, err := db.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES ($1, $2)`, "public", conformance.Details)
	require.NoError(t, err)
	e.RequireSealed(1, conformance.Details)
	e.RawExec(`INSERT INTO ` + other + ` (name, details) SELECT 'copy', details FROM public.` + e.Table)
	stolen := e.RawValue(other, "details", 1)

	var s string
	require.NoError(t, db.QueryRow(`SELECT details FROM `+other).Scan(&s))
	require.Equal(t, stolen, s, "schema-qualified")

	conn, err := db.Conn(e.Ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(e.Ctx, `SET search_path = `+schema+`, public`)
	require.NoError(t, err)
	require.NoError(t, conn.QueryRowContext(e.Ctx, `SELECT name, details FROM `+e.Table).Scan(new(string), &s))
	require.Equal(t, stolen, s, "the server read %s through search_path; sqlseal opened it as public.%s", other, e.Table)
}
