package conformance

import (
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	gormsqlite "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	msqlite "modernc.org/sqlite"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver/sqlite"
)

// probeCalls counts calls of the SQL function sqlseal_probe(), which
// returns 1, in every SQLite database of the process.
var probeCalls atomic.Int64

func init() {
	msqlite.MustRegisterScalarFunction("sqlseal_probe", 0, func(*msqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		probeCalls.Add(1)
		return int64(1), nil
	})
}

// SQLite is the SQLite backend: sqlseal's driver over modernc.org/sqlite,
// on a database file of t's own.
func SQLite(t testing.TB, opts ...Option) *Backend {
	t.Helper()
	o := optionsOf(opts)
	dsn := "file:" + filepath.Join(t.TempDir(), "test.db") + "?_pragma=busy_timeout(5000)"
	raw, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	quote := quoteWith(`"`)
	return o.finish(t, &Backend{
		Name:       "sqlite",
		DriverName: sqlite.DriverName,
		DSN:        dsn,
		Open: func(t testing.TB, cfg config.Config) (*sql.DB, error) {
			c, err := sqlite.NewConnector(cfg, dsn)
			return OpenPool(t, c, err)
		},
		Raw:        raw,
		Schema:     "main",
		TempSchema: "temp",
		Probe: func(testing.TB) (string, func() int64) {
			start := probeCalls.Load()
			return "sqlseal_probe()", func() int64 { return probeCalls.Load() - start }
		},
		ID:                 "id INTEGER PRIMARY KEY",
		TermType:           "BLOB",
		BlindIndexRewrites: true,
		TextTypes:          []string{"TEXT", "VARCHAR(1000)", "CLOB", ""},
		BinaryTypes:        []string{"BLOB"},
		RefusedTypes:       []string{"JSON", "INTEGER", "NUMERIC", "REAL"},
		Quote:              quote,
		Concat:             func(a, b string) string { return a + " || " + b },
		CastText:           func(x string) string { return "CAST(" + x + " AS TEXT)" },
		Upsert:             func(set string) string { return " ON CONFLICT(id) DO UPDATE SET " + set },
		Proposed:           func(col string) string { return "excluded." + col },
		CTE:                AlwaysSeesLater,

		LastInsertID:    true,
		InsertReturning: true,
		UpdateReturning: true,
		Literals: []Literal{
			// A blob literal is an expression to the analysis: refused
			// (see internal/dialect/sqlite).
			{SQL: "X'6865782076616c7565'", Refused: true},
			{SQL: "0x10", Refused: true},
		},
		Extras: Extras{
			Shapes: func(tb string) []Shape {
				return []Shape{
					{`INSERT INTO [` + tb + `] ([name], [details]) VALUES (?, ?)`, []any{"n", "one"}, 1, "one", ""},
					{"INSERT INTO `" + tb + "` (`details`) VALUES (?)", []any{"two"}, 2, "two", ""},
					{`INSERT INTO ` + tb + ` (name, details) VALUES (?2, ?1)`, []any{"three", "name-3"}, 3, "three", "name-3"},
					{`INSERT INTO ` + tb + ` (name, details) VALUES (:name, :details)`, []any{sql.Named("name", "n"), sql.Named("details", "four")}, 4, "four", "n"},
					{`INSERT INTO ` + tb + ` (name, details) VALUES (@name, @details)`, []any{sql.Named("details", "five"), sql.Named("name", "n")}, 5, "five", "n"},
					{`INSERT INTO ` + tb + ` (name, details) VALUES ($name, $details)`, []any{sql.Named("name", "n"), sql.Named("details", "six")}, 6, "six", "n"},
					{`UPDATE ` + tb + ` SET name = ?2, details = ?1 WHERE id = ?3`, []any{"one-b", "n", 1}, 1, "one-b", "n"},
					{`UPDATE ` + tb + ` SET details = :d WHERE id = :id`, []any{sql.Named("id", 2), sql.Named("d", "two-b")}, 2, "two-b", ""},
					{`UPDATE ` + tb + ` SET (name, details) = (?, ?) WHERE id = ?`, []any{"m", "one-c", 1}, 1, "one-c", "m"},
					{`INSERT OR REPLACE INTO ` + tb + ` (id, name, details) VALUES (?, ?, ?)`, []any{3, "r", "three-b"}, 3, "three-b", "r"},
					{`REPLACE INTO ` + tb + ` (id, details) VALUES (?, ?)`, []any{4, "four-b"}, 4, "four-b", ""},
					{`INSERT OR IGNORE INTO ` + tb + ` (id, details) VALUES (?, ?)`, []any{10, "ten"}, 10, "ten", ""},
					{`INSERT OR IGNORE INTO ` + tb + ` (id, details) VALUES (?, ?)`, []any{10, "ignored"}, 10, "ten", ""},
					{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET details = ?`, []any{6, "unused", "six-b"}, 6, "six-b", ""},
					{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?) ON CONFLICT DO NOTHING`, []any{12, "twelve"}, 12, "twelve", ""},
					{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?) ON CONFLICT DO NOTHING`, []any{12, "nothing"}, 12, "twelve", ""},
					{`INSERT INTO ` + tb + ` (id, name, details) VALUES (?2, ?, ?1)`, []any{"mixed numbering", 25, "name-25"}, 25, "mixed numbering", "name-25"},
					{`INSERT INTO ` + tb + ` (id, name, details) VALUES (?, ?, :d)`, []any{26, "n", sql.Named("d", "positional and named")}, 26, "positional and named", "n"},
				}
			},
			Reads: func(f ReadNames) []Read {
				tb := f.Table
				return []Read{
					{"numbered parameter", `SELECT "details" AS d, name AS "n" FROM "` + tb + `" WHERE id = ?1`, []any{1}, [][]string{{f.One, "one"}}},
					{"named parameter", `SELECT c.details, c.note FROM ` + tb + ` AS c WHERE c.id = :id`, []any{sql.Named("id", 2)}, [][]string{{f.Two, f.Stolen}}},
					{"star between columns", `SELECT id AS n, *, details AS d FROM ` + tb + ` WHERE id = 2`, nil,
						[][]string{{"2", "2", "two", f.Two, f.Stolen, f.Two}}},
				}
			},
			Refused: func(tb, other, p, v string) []Stmt {
				return []Stmt{
					{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, :d || '')`, []any{sql.Named("d", v)}},
					{`UPDATE ` + tb + ` SET details = o.note FROM ` + other + ` o WHERE o.id = ` + tb + `.id AND ` + p + ` = 1`, nil},
					{`INSERT OR REPLACE INTO ` + tb + ` (id, details) SELECT id, note FROM ` + other + ` WHERE ` + p + ` = 1`, nil},
					// Valid SQLite that the front-end cannot translate.
					{`INSERT INTO ` + tb + ` (id, details) VALUES (` + p + `, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.details ON CONFLICT DO NOTHING`, []any{v}},
				}
			},
			MovingDDL: func(tb, _, fresh string) []string {
				return []string{
					`ALTER TABLE ` + tb + ` RENAME name TO "DETAILS"`,
					`ALTER TABLE ` + tb + ` ADD extra TEXT GENERATED ALWAYS AS (name) VIRTUAL`,
					`CREATE TABLE ` + fresh + ` (id INTEGER, name TEXT, details TEXT AS (name))`,
				}
			},
		},

		SqlxDriver: "sqlite3",
		Gorm: map[string]func(*sql.DB) gorm.Dialector{
			"default": func(conn *sql.DB) gorm.Dialector { return gormsqlite.New(gormsqlite.Config{Conn: conn}) },
		},
		GormByName: func(driverName, dsn string) gorm.Dialector {
			return gormsqlite.New(gormsqlite.Config{DriverName: driverName, DSN: dsn})
		},
	}, "sqlite")
}
