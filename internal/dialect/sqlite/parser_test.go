package sqlite

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestParseInsert(t *testing.T) {
	const litSQL = `INSERT INTO metabase_database (name, details) VALUES ('it''s', '{"p":"a\b"}')`
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "positional parameters",
			SQL:  `INSERT INTO metabase_database (name, details) VALUES (?, ?)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows:    [][]query.Expr{{Param(1), Param(2)}},
			}),
		},
		{
			Name: "numbered parameters",
			SQL:  `INSERT INTO metabase_database (details, name) VALUES (?2, ?1)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"details", "name"},
				Rows:    [][]query.Expr{{Named(2, "?2"), Named(1, "?1")}},
			}),
		},
		{
			Name: "named parameters",
			SQL:  `INSERT INTO metabase_database (name, details, engine, id) VALUES (:name, :details, @e, $i)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"name", "details", "engine", "id"},
				Rows:    [][]query.Expr{{Named(1, ":name"), Named(2, ":details"), Named(3, "@e"), Named(4, "$i")}},
			}),
		},
		{
			Name: "$N is a name (modernc binds it to argument N)",
			SQL:  `INSERT INTO metabase_database (details, name) VALUES ($2, $1)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"details", "name"},
				Rows:    [][]query.Expr{{Named(1, "$2"), Named(2, "$1")}},
			}),
		},
		{
			Name: "multi-row VALUES",
			SQL:  `INSERT INTO metabase_database (name, details) VALUES (?, ?), (?, NULL), (?5, DEFAULT)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{
					{Param(1), Param(2)},
					{Param(3), &query.Null{}},
					{Named(5, "?5"), &query.Default{}},
				},
			}),
		},
		{
			Name: "INSERT OR REPLACE",
			SQL:  `INSERT OR REPLACE INTO metabase_database (id, details) VALUES (?, ?)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"id", "details"},
				Rows:    [][]query.Expr{{Param(1), Param(2)}},
			}),
		},
		{
			Name: "REPLACE",
			SQL:  `REPLACE INTO metabase_database (id, details) VALUES (?, ?)`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"id", "details"},
				Rows:    [][]query.Expr{{Param(1), Param(2)}},
			}),
		},
		{
			Name: "upsert",
			SQL:  `INSERT INTO metabase_database (id, details) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.details`,
			Want: One(&query.Insert{
				Table:      Tbl("metabase_database"),
				Columns:    []string{"id", "details"},
				Rows:       [][]query.Expr{{Param(1), Param(2)}},
				OnConflict: []query.Assign{{Column: "details", Value: &query.Excluded{Column: "details"}}},
			}),
		},
		{
			Name: "RETURNING *",
			SQL:  `INSERT INTO metabase_database (details) VALUES (?) RETURNING *`,
			Want: One(&query.Insert{
				Table:     Tbl("metabase_database"),
				Columns:   []string{"details"},
				Rows:      [][]query.Expr{{Param(1)}},
				Returning: Star(),
			}),
		},
		{
			Name: "quoted, bracketed and backticked names fold to lower case",
			SQL:  "INSERT INTO \"Metabase_Database\" ([Name], `DETAILS`) VALUES (?, ?) RETURNING `Id`",
			Want: One(&query.Insert{
				Table:     Tbl("metabase_database"),
				Columns:   []string{"name", "details"},
				Rows:      [][]query.Expr{{Param(1), Param(2)}},
				Returning: Items(Col("id")),
			}),
		},
		{
			Name: "string literals keep SQLite's value and original offsets",
			SQL:  litSQL,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{{
					StrLit(litSQL, `'it''s'`, "it's"),
					StrLit(litSQL, `'{"p":"a\b"}'`, `{"p":"a\b"}`),
				}},
			}),
		},
		{
			Name: "a function over a parameter stays an operation",
			SQL:  `INSERT INTO metabase_database (details) VALUES (upper(?))`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"details"},
				Rows:    [][]query.Expr{{Op("function upper", Param(1))}},
			}),
		},
		{
			Name: "INSERT ... SELECT",
			SQL:  `INSERT INTO metabase_database (details) SELECT details FROM old`,
			Want: One(&query.Insert{
				Table:   Tbl("metabase_database"),
				Columns: []string{"details"},
				Query:   &query.Select{From: []query.From{Tref("old", "")}, Items: Items(Col("details"))},
			}),
		},
	})
}

func TestParseSelect(t *testing.T) {
	const limitSQL = `SELECT details FROM metabase_database LIMIT 5, 10`
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "SELECT *",
			SQL:  `SELECT * FROM metabase_database`,
			Want: One(&query.Select{From: []query.From{Tref("metabase_database", "")}, Items: Star()}),
		},
		{
			Name: "aliases",
			SQL:  `SELECT m.details AS d, m.name n FROM metabase_database AS m`,
			Want: One(&query.Select{
				From: []query.From{Tref("metabase_database", "m")},
				Items: []query.Item{
					{Expr: Col("m", "details"), Alias: "d"},
					{Expr: Col("m", "name"), Alias: "n"},
				},
			}),
		},
		{
			Name: "join",
			SQL:  `SELECT d.details, t.name FROM metabase_database d JOIN metabase_table t ON t.db_id = d.id`,
			Want: One(&query.Select{
				From:    []query.From{Tref("metabase_database", "d"), Tref("metabase_table", "t")},
				Items:   Items(Col("d", "details"), Col("t", "name")),
				Filters: []query.Expr{Op("operator =", Col("t", "db_id"), Col("d", "id"))},
			}),
		},
		{
			Name: "CTE",
			SQL:  `WITH c AS (SELECT details FROM metabase_database) SELECT details FROM c`,
			Want: One(&query.Select{
				With: []query.CTE{{Name: "c", Scope: query.ScopeAll, Query: &query.Select{
					From:  []query.From{Tref("metabase_database", "")},
					Items: Items(Col("details")),
				}}},
				From:  []query.From{Tref("c", "")},
				Items: Items(Col("details")),
			}),
		},
		{
			Name: "comparison with a protected column",
			SQL:  `SELECT id FROM metabase_database WHERE details = ?`,
			Want: One(&query.Select{
				From:    []query.From{Tref("metabase_database", "")},
				Items:   Items(Col("id")),
				Filters: []query.Expr{Op("operator =", Col("details"), Param(1))},
			}),
		},
		{
			Name: "null-safe comparison",
			SQL:  `SELECT id FROM metabase_database WHERE details IS ?`,
			Want: One(&query.Select{
				From:    []query.From{Tref("metabase_database", "")},
				Items:   Items(Col("id")),
				Filters: []query.Expr{Op("operator IS NOT DISTINCT FROM", Col("details"), Param(1))},
			}),
		},
		{
			Name: "function over a parameter",
			SQL:  `SELECT upper(?)`,
			Want: One(&query.Select{Items: Items(Op("function upper", Param(1)))}),
		},
		{
			Name: "LIMIT offset, count",
			SQL:  limitSQL,
			Want: One(&query.Select{
				From:   []query.From{Tref("metabase_database", "")},
				Items:  Items(Col("details")),
				Others: []query.Expr{NumLit(limitSQL, "LIMIT ", "5"), NumLit(limitSQL, "5, ", "10")},
			}),
		},
	})
}

func TestParseUpdateDelete(t *testing.T) {
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "UPDATE OR IGNORE with a named parameter",
			SQL:  `UPDATE OR IGNORE metabase_database SET details = :d WHERE id = :id`,
			Want: One(&query.Update{
				Table:   Tbl("metabase_database"),
				Set:     []query.Assign{{Column: "details", Value: Named(1, ":d")}},
				Filters: []query.Expr{Op("operator =", Col("id"), Named(2, ":id"))},
			}),
		},
		{
			// SQLite reads "x" as a string only if no column x is in scope:
			// the column reference is left for the analysis to resolve.
			Name: "double-quoted name in SET",
			SQL:  `UPDATE metabase_database SET details = "details", name = "other"`,
			Want: One(&query.Update{
				Table: Tbl("metabase_database"),
				Set: []query.Assign{
					{Column: "details", Value: Col("details")},
					{Column: "name", Value: Col("other")},
				},
			}),
		},
		{
			Name: "DELETE ... RETURNING",
			SQL:  `DELETE FROM metabase_database WHERE id = ? RETURNING details`,
			Want: One(&query.Delete{
				Table:     Tbl("metabase_database"),
				Filters:   []query.Expr{Op("operator =", Col("id"), Param(1))},
				Returning: Items(Col("details")),
			}),
		},
	})
}

func TestParseUtilityAndTriggers(t *testing.T) {
	RunCases(t, Parser{}, []StmtCase{
		{Name: "PRAGMA", SQL: `PRAGMA journal_mode = WAL`, Want: One(&query.Utility{})},
		{Name: "CREATE TABLE", SQL: `CREATE TABLE IF NOT EXISTS metabase_database (id INTEGER PRIMARY KEY AUTOINCREMENT, details TEXT) WITHOUT ROWID`, Want: One(&query.Utility{})},
		{Name: "CREATE INDEX", SQL: `CREATE UNIQUE INDEX i ON t (a)`, Want: One(&query.Utility{})},
		{Name: "CREATE VIEW", SQL: `CREATE VIEW v AS SELECT details FROM metabase_database`, Want: One(&query.Utility{})},
		{Name: "transactions", SQL: `BEGIN IMMEDIATE; SAVEPOINT s; RELEASE s; ROLLBACK TO s; COMMIT; END`, Want: []query.Statement{
			&query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{},
		}},
		{Name: "others", SQL: `ATTACH 'x.db' AS x; DETACH x; VACUUM; REINDEX; ANALYZE; DROP TABLE t; ALTER TABLE t ADD COLUMN c; EXPLAIN QUERY PLAN SELECT 1`,
			Want: []query.Statement{
				&query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{},
				&query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{},
			}},
		{
			Name: "CREATE TRIGGER",
			SQL: `CREATE TEMP TRIGGER IF NOT EXISTS copy AFTER UPDATE OF name ON metabase_table FOR EACH ROW WHEN new.x IS NOT NULL BEGIN
				INSERT OR REPLACE INTO metabase_database (details) SELECT new.x FROM main.src JOIN other ON 1;
				UPDATE OR IGNORE "Audit" SET n = n + 1;
				DELETE FROM [gone] WHERE id IN (SELECT id FROM (SELECT 1));
				REPLACE INTO log VALUES (1) ON CONFLICT DO UPDATE SET a = 1;
			END`,
			Want: One(&query.Opaque{
				Kind: query.OpaqueCreateTrigger,
				Writes: []query.Table{
					Tbl("metabase_database"), Tbl("audit"), Tbl("gone"), Tbl("log"),
				},
				Reads: []query.Table{
					Tbl("metabase_table"), {Schema: "main", Name: "src"}, Tbl("other"),
				},
			}),
		},
		{
			Name: "statements after a trigger",
			SQL:  `CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END; INSERT INTO c VALUES (?)`,
			Want: []query.Statement{
				&query.Opaque{Kind: query.OpaqueCreateTrigger, Writes: []query.Table{Tbl("b")}, Reads: []query.Table{Tbl("a")}},
				&query.Insert{Table: Tbl("c"), Rows: [][]query.Expr{{Param(1)}}},
			},
		},
		{
			Name: "CREATE TABLE AS is lowered by the PostgreSQL front-end",
			SQL:  `CREATE TABLE copy AS SELECT details FROM metabase_database`,
			Want: One(&query.Opaque{
				Kind:   query.OpaqueCreateTableAs,
				Writes: []query.Table{Tbl("copy")},
				Reads:  []query.Table{Tbl("metabase_database")},
			}),
		},
	})
}

func TestParseSeveralStatements(t *testing.T) {
	const sql = "SELECT 'a'; -- one\nINSERT INTO metabase_database (name, details) VALUES (?, 'b');\n UPDATE t SET x = ?2"
	got, err := Parser{}.Parse(sql)
	require.NoError(t, err)
	query.ClearPositions(got)
	require.Equal(t, []query.Statement{
		&query.Select{Items: Items(StrLit(sql, "'a'", "a"))},
		&query.Insert{
			Table:   Tbl("metabase_database"),
			Columns: []string{"name", "details"},
			// Numbering starts again in each statement, as in SQLite.
			Rows: [][]query.Expr{{Param(1), StrLit(sql, "'b'", "b")}},
		},
		&query.Update{Table: Tbl("t"), Set: []query.Assign{{Column: "x", Value: Named(2, "?2")}}},
	}, got)
}

func TestParseLiteralOffsets(t *testing.T) {
	sql := "/* é */ INSERT INTO t VALUES (- 1, 'x''y', -2.5, 'z')"
	got, err := Parser{}.Parse(sql)
	require.NoError(t, err)
	row := got[0].(*query.Insert).Rows[0]
	var spans []string
	for _, e := range row {
		l := e.(*query.Literal)
		spans = append(spans, sql[l.Start:l.End])
	}
	require.Equal(t, []string{"- 1", "'x''y'", "-2.5", "'z'"}, spans)
}

func TestParseErrors(t *testing.T) {
	for _, sql := range []string{
		`INSERT INTO metabase_database (details) VALUES ('secret`, // unterminated
		`SELECT 1; INSERT INTO metabase_database VALUES (?) garbage 'secret'`,
		`SELECT * FROM t WHERE a IN t2`,    // SQLite-only syntax PostgreSQL rejects
		`SELECT ?0`,                        // parameter out of range
		`CREATE TRIGGER x AFTER INSERT ON`, // no table
		`CREATE TRIGGER x AFTER INSERT ON t BEGIN INSERT INTO (SELECT 1); END`,
	} {
		t.Run(sql, func(t *testing.T) {
			_, err := Parser{}.Parse(sql)
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrSyntax))
			require.NotContains(t, err.Error(), "secret")
		})
	}
}

func TestParseEmpty(t *testing.T) {
	got, err := Parser{}.Parse(" ; -- nothing\n")
	require.NoError(t, err)
	require.Empty(t, got)
}

// TestParseClientStatements checks statements that GORM, sqlx and goose
// send to SQLite.
func TestParseClientStatements(t *testing.T) {
	for _, sql := range []string{
		"INSERT INTO `metabase_database` (`name`,`details`) VALUES (?,?) RETURNING `id`",
		"SELECT * FROM `metabase_database` WHERE `metabase_database`.`id` = ? ORDER BY `metabase_database`.`id` LIMIT ?",
		"UPDATE `metabase_database` SET `details`=?,`updated_at`=? WHERE `id` = ?",
		"DELETE FROM `metabase_database` WHERE `metabase_database`.`id` = ?",
		"SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?",
		`SELECT sql FROM sqlite_master WHERE type IN ("table","index") AND tbl_name = ? AND sql IS NOT NULL order by type = "table" desc`,
		"CREATE TABLE `metabase_database` (`id` integer PRIMARY KEY AUTOINCREMENT,`name` text,`details` text)",
		"CREATE TABLE IF NOT EXISTS goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))",
		"INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)",
		"SELECT version_id, is_applied from goose_db_version ORDER BY id DESC",
		"SELECT tstamp, is_applied FROM goose_db_version WHERE version_id=? ORDER BY tstamp DESC LIMIT 1",
		"INSERT INTO metabase_database (name, details) VALUES (:name, :details)",
	} {
		t.Run(sql, func(t *testing.T) {
			stmts, err := Parser{}.Parse(sql)
			require.NoError(t, err)
			require.Len(t, stmts, 1)
		})
	}
}
