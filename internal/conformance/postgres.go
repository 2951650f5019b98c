package conformance

import (
	"database/sql"
	sqldriver "database/sql/driver"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// Postgres is the PostgreSQL backend: sqlseal's driver over pgx, on the
// test server (testdb.Postgres).
func Postgres(t testing.TB, opts ...Option) *Backend {
	t.Helper()
	o := optionsOf(opts)
	dsn := o.database(t, testdb.Postgres, testdb.IsolatedPostgres)
	connConfig, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	raw := stdlib.OpenDB(*connConfig.Copy())
	t.Cleanup(func() { raw.Close() })
	quote := quoteWith(`"`)
	return o.finish(t, &Backend{
		Name:       "postgres",
		DriverName: driver.DriverName,
		DSN:        dsn,
		Open: func(t testing.TB, cfg config.Config) (*sql.DB, error) {
			return openParsed(t, dsn, pgx.ParseConfig, nil, func(c *pgx.ConnConfig) (sqldriver.Connector, error) {
				return driver.NewConnector(cfg, c)
			})
		},
		Raw:        raw,
		Schema:     "public",
		TempSchema: "pg_temp",
		Probe: func(t testing.TB) (string, func() int64) {
			seq := testdb.Name(t, "probe")
			_, err := raw.Exec(`CREATE SEQUENCE ` + seq)
			require.NoError(t, err)
			t.Cleanup(func() { raw.Exec(`DROP SEQUENCE IF EXISTS ` + seq) })
			return `(0 * nextval('` + seq + `') + 1)`, func() int64 {
				var n int64
				require.NoError(t, raw.QueryRow(`SELECT last_value - CASE WHEN is_called THEN 0 ELSE 1 END FROM `+seq).Scan(&n))
				return n
			}
		},
		ID:                 "id serial PRIMARY KEY",
		TermType:           "bytea",
		BlindIndexRewrites: true,
		TextTypes:          []string{"text", "varchar(1000)", "character varying"},
		BinaryTypes:        []string{"bytea"},
		RefusedTypes:       []string{"jsonb", "json", "integer", "name", "char(200)", "character(10)"},
		Placeholder:        func(n int) string { return fmt.Sprintf("$%d", n) },
		Quote:              quote,
		Concat:             func(a, b string) string { return a + " || " + b },
		CastText:           func(x string) string { return x + "::text" },
		Upsert:             func(set string) string { return " ON CONFLICT (id) DO UPDATE SET " + set },
		Proposed:           func(col string) string { return "EXCLUDED." + col },
		CTE:                RecursiveSeesLater,

		InsertReturning: true,
		UpdateReturning: true,

		PreparedResultFixed: true,
		Literals: []Literal{
			{SQL: "0x10", Refused: true},
			{SQL: "X'6865782076616c7565'", Refused: true}, // a bit string
		},
		Extras: Extras{
			Shapes: func(tb string) []Shape {
				return []Shape{
					{`INSERT INTO public.` + tb + ` (details) VALUES ($1::text)`, []any{"one"}, 1, "one", ""},
					{`INSERT INTO ` + tb + ` (name, details) VALUES ($2, $1)`, []any{"two", "name-2"}, 2, "two", ""},
					{`UPDATE ` + tb + ` SET (name, details) = ($1, $2) WHERE id = $3`, []any{"n", "one-b", 1}, 1, "one-b", ""},
					{`INSERT INTO ` + tb + ` (id, details) VALUES (3, E'it\'s \\escaped')`, nil, 3, `it's \escaped`, ""},
					{`INSERT INTO ` + tb + ` (id, details) VALUES (4, $q$dollar 'quoted'$q$)`, nil, 4, `dollar 'quoted'`, ""},
					{`INSERT INTO ` + tb + ` (id, details) VALUES (5, 'adjacent ' ` + "\n" + `'literals')`, nil, 5, "adjacent literals", ""},
				}
			},
			Reads: func(f ReadNames) []Read {
				tb, ow := f.Table, f.Owners
				return []Read{
					{"star between columns", `SELECT id AS n, *, details AS d FROM ` + tb + ` WHERE id = 2`, nil,
						[][]string{{"2", "2", "two", f.Two, f.Stolen, f.Two}}},
					{"cast to varchar", `SELECT CAST(details AS varchar) FROM ` + tb + ` WHERE id = 1`, nil, [][]string{{f.One}}},
					{"lateral", `SELECT o.owner, l.d FROM ` + ow + ` o, LATERAL (SELECT details AS d FROM ` + tb + ` c WHERE c.id = o.conn_id) l ORDER BY o.id`, nil,
						[][]string{{"alice", f.One}, {"bob", f.Two}, {"carol", f.Two}}},
				}
			},
			Refused: func(tb, other, p, _ string) []Stmt {
				return []Stmt{
					{`UPDATE ` + tb + ` SET details = o.note FROM ` + other + ` o WHERE o.id = ` + tb + `.id AND ` + p + ` = 1`, nil},
				}
			},
			MovingDDL: func(tb, _, _ string) []string {
				return []string{
					`ALTER TABLE ` + tb + ` ALTER COLUMN details TYPE text USING name`,
					`ALTER TABLE ` + tb + ` ADD COLUMN extra text GENERATED ALWAYS AS (name) STORED`,
					`ALTER TABLE ` + tb + ` ALTER COLUMN details SET DEFAULT 'plain'`,
				}
			},
			HarmlessDDL: func(tb, _, _ string) []string {
				return []string{`ALTER TABLE ` + tb + ` ALTER COLUMN details SET DEFAULT NULL`}
			},
			DynamicSQL: func(head, tail string) []string {
				return []string{`DO $$ BEGIN EXECUTE 'INSERT INTO ` + head + `' || '` + tail + ` (details) VALUES (''plain'')'; END $$`}
			},
		},

		SqlxDriver: "pgx",
		Gorm: map[string]func(*sql.DB) gorm.Dialector{
			"default": func(conn *sql.DB) gorm.Dialector { return postgres.New(postgres.Config{Conn: conn}) },
		},
		GormByName: func(driverName, dsn string) gorm.Dialector {
			return postgres.New(postgres.Config{DriverName: driverName, DSN: dsn})
		},
	}, "postgres")
}
