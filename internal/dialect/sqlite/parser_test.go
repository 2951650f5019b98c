package sqlite

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

func TestParseInsert(t *testing.T) {
	const litSQL = `INSERT INTO metabase_database (name, details) VALUES ('it''s', '{"p":"a\b"}')`
	runCases(t, []stmtCase{
		{
			name: "positional parameters",
			sql:  `INSERT INTO metabase_database (name, details) VALUES (?, ?)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows:    [][]query.Expr{{param(1), param(2)}},
			}),
		},
		{
			name: "numbered parameters",
			sql:  `INSERT INTO metabase_database (details, name) VALUES (?2, ?1)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"details", "name"},
				Rows:    [][]query.Expr{{named(2, "?2"), named(1, "?1")}},
			}),
		},
		{
			name: "named parameters",
			sql:  `INSERT INTO metabase_database (name, details, engine, id) VALUES (:name, :details, @e, $i)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"name", "details", "engine", "id"},
				Rows:    [][]query.Expr{{named(1, ":name"), named(2, ":details"), named(3, "@e"), named(4, "$i")}},
			}),
		},
		{
			name: "$N is a name (modernc binds it to argument N)",
			sql:  `INSERT INTO metabase_database (details, name) VALUES ($2, $1)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"details", "name"},
				Rows:    [][]query.Expr{{named(1, "$2"), named(2, "$1")}},
			}),
		},
		{
			name: "multi-row VALUES",
			sql:  `INSERT INTO metabase_database (name, details) VALUES (?, ?), (?, NULL), (?5, DEFAULT)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{
					{param(1), param(2)},
					{param(3), &query.Null{}},
					{named(5, "?5"), &query.Default{}},
				},
			}),
		},
		{
			name: "INSERT OR REPLACE",
			sql:  `INSERT OR REPLACE INTO metabase_database (id, details) VALUES (?, ?)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"id", "details"},
				Rows:    [][]query.Expr{{param(1), param(2)}},
			}),
		},
		{
			name: "REPLACE",
			sql:  `REPLACE INTO metabase_database (id, details) VALUES (?, ?)`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"id", "details"},
				Rows:    [][]query.Expr{{param(1), param(2)}},
			}),
		},
		{
			name: "upsert",
			sql:  `INSERT INTO metabase_database (id, details) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.details`,
			want: one(&query.Insert{
				Table:      tbl("metabase_database"),
				Columns:    []string{"id", "details"},
				Rows:       [][]query.Expr{{param(1), param(2)}},
				OnConflict: []query.Assign{{Column: "details", Value: &query.Excluded{Column: "details"}}},
			}),
		},
		{
			name: "RETURNING *",
			sql:  `INSERT INTO metabase_database (details) VALUES (?) RETURNING *`,
			want: one(&query.Insert{
				Table:     tbl("metabase_database"),
				Columns:   []string{"details"},
				Rows:      [][]query.Expr{{param(1)}},
				Returning: star(),
			}),
		},
		{
			name: "quoted, bracketed and backticked names fold to lower case",
			sql:  "INSERT INTO \"Metabase_Database\" ([Name], `DETAILS`) VALUES (?, ?) RETURNING `Id`",
			want: one(&query.Insert{
				Table:     tbl("metabase_database"),
				Columns:   []string{"name", "details"},
				Rows:      [][]query.Expr{{param(1), param(2)}},
				Returning: items(col("id")),
			}),
		},
		{
			name: "string literals keep SQLite's value and original offsets",
			sql:  litSQL,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"name", "details"},
				Rows: [][]query.Expr{{
					strLit(litSQL, `'it''s'`, "it's"),
					strLit(litSQL, `'{"p":"a\b"}'`, `{"p":"a\b"}`),
				}},
			}),
		},
		{
			name: "a function over a parameter stays an operation",
			sql:  `INSERT INTO metabase_database (details) VALUES (upper(?))`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"details"},
				Rows:    [][]query.Expr{{op("function upper", param(1))}},
			}),
		},
		{
			name: "INSERT ... SELECT",
			sql:  `INSERT INTO metabase_database (details) SELECT details FROM old`,
			want: one(&query.Insert{
				Table:   tbl("metabase_database"),
				Columns: []string{"details"},
				Query:   &query.Select{From: []query.From{tref("old", "")}, Items: items(col("details"))},
			}),
		},
	})
}

func TestParseSelect(t *testing.T) {
	const limitSQL = `SELECT details FROM metabase_database LIMIT 5, 10`
	runCases(t, []stmtCase{
		{
			name: "SELECT *",
			sql:  `SELECT * FROM metabase_database`,
			want: one(&query.Select{From: []query.From{tref("metabase_database", "")}, Items: star()}),
		},
		{
			name: "aliases",
			sql:  `SELECT m.details AS d, m.name n FROM metabase_database AS m`,
			want: one(&query.Select{
				From: []query.From{tref("metabase_database", "m")},
				Items: []query.Item{
					{Expr: col("m", "details"), Alias: "d"},
					{Expr: col("m", "name"), Alias: "n"},
				},
			}),
		},
		{
			name: "join",
			sql:  `SELECT d.details, t.name FROM metabase_database d JOIN metabase_table t ON t.db_id = d.id`,
			want: one(&query.Select{
				From:    []query.From{tref("metabase_database", "d"), tref("metabase_table", "t")},
				Items:   items(col("d", "details"), col("t", "name")),
				Filters: []query.Expr{op("operator =", col("t", "db_id"), col("d", "id"))},
			}),
		},
		{
			name: "CTE",
			sql:  `WITH c AS (SELECT details FROM metabase_database) SELECT details FROM c`,
			want: one(&query.Select{
				With: []query.CTE{{Name: "c", Scope: query.ScopeAll, Query: &query.Select{
					From:  []query.From{tref("metabase_database", "")},
					Items: items(col("details")),
				}}},
				From:  []query.From{tref("c", "")},
				Items: items(col("details")),
			}),
		},
		{
			name: "comparison with a protected column",
			sql:  `SELECT id FROM metabase_database WHERE details = ?`,
			want: one(&query.Select{
				From:    []query.From{tref("metabase_database", "")},
				Items:   items(col("id")),
				Filters: []query.Expr{op("operator =", col("details"), param(1))},
			}),
		},
		{
			name: "null-safe comparison",
			sql:  `SELECT id FROM metabase_database WHERE details IS ?`,
			want: one(&query.Select{
				From:    []query.From{tref("metabase_database", "")},
				Items:   items(col("id")),
				Filters: []query.Expr{op("operator IS NOT DISTINCT FROM", col("details"), param(1))},
			}),
		},
		{
			name: "function over a parameter",
			sql:  `SELECT upper(?)`,
			want: one(&query.Select{Items: items(op("function upper", param(1)))}),
		},
		{
			name: "LIMIT offset, count",
			sql:  limitSQL,
			want: one(&query.Select{
				From:   []query.From{tref("metabase_database", "")},
				Items:  items(col("details")),
				Others: []query.Expr{numLit(limitSQL, "LIMIT ", "5", "5"), numLit(limitSQL, "5, ", "10", "10")},
			}),
		},
	})
}

func TestParseUpdateDelete(t *testing.T) {
	runCases(t, []stmtCase{
		{
			name: "UPDATE OR IGNORE with a named parameter",
			sql:  `UPDATE OR IGNORE metabase_database SET details = :d WHERE id = :id`,
			want: one(&query.Update{
				Table:   tbl("metabase_database"),
				Set:     []query.Assign{{Column: "details", Value: named(1, ":d")}},
				Filters: []query.Expr{op("operator =", col("id"), named(2, ":id"))},
			}),
		},
		{
			// SQLite reads "x" as a string only if no column x is in scope:
			// the column reference is left for the analysis to resolve.
			name: "double-quoted name in SET",
			sql:  `UPDATE metabase_database SET details = "details", name = "other"`,
			want: one(&query.Update{
				Table: tbl("metabase_database"),
				Set: []query.Assign{
					{Column: "details", Value: col("details")},
					{Column: "name", Value: col("other")},
				},
			}),
		},
		{
			name: "DELETE ... RETURNING",
			sql:  `DELETE FROM metabase_database WHERE id = ? RETURNING details`,
			want: one(&query.Delete{
				Table:     tbl("metabase_database"),
				Filters:   []query.Expr{op("operator =", col("id"), param(1))},
				Returning: items(col("details")),
			}),
		},
	})
}

func TestParseUtilityAndTriggers(t *testing.T) {
	runCases(t, []stmtCase{
		{name: "PRAGMA", sql: `PRAGMA journal_mode = WAL`, want: one(&query.Utility{})},
		{name: "CREATE TABLE", sql: `CREATE TABLE IF NOT EXISTS metabase_database (id INTEGER PRIMARY KEY AUTOINCREMENT, details TEXT) WITHOUT ROWID`, want: one(&query.Utility{})},
		{name: "CREATE INDEX", sql: `CREATE UNIQUE INDEX i ON t (a)`, want: one(&query.Utility{})},
		{name: "CREATE VIEW", sql: `CREATE VIEW v AS SELECT details FROM metabase_database`, want: one(&query.Utility{})},
		{name: "transactions", sql: `BEGIN IMMEDIATE; SAVEPOINT s; RELEASE s; ROLLBACK TO s; COMMIT; END`, want: []query.Statement{
			&query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{},
		}},
		{name: "others", sql: `ATTACH 'x.db' AS x; DETACH x; VACUUM; REINDEX; ANALYZE; DROP TABLE t; ALTER TABLE t ADD COLUMN c; EXPLAIN QUERY PLAN SELECT 1`,
			want: []query.Statement{
				&query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{},
				&query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{},
			}},
		{
			name: "CREATE TRIGGER",
			sql: `CREATE TEMP TRIGGER IF NOT EXISTS copy AFTER UPDATE OF name ON metabase_table FOR EACH ROW WHEN new.x IS NOT NULL BEGIN
				INSERT OR REPLACE INTO metabase_database (details) SELECT new.x FROM main.src JOIN other ON 1;
				UPDATE OR IGNORE "Audit" SET n = n + 1;
				DELETE FROM [gone] WHERE id IN (SELECT id FROM (SELECT 1));
				REPLACE INTO log VALUES (1) ON CONFLICT DO UPDATE SET a = 1;
			END`,
			want: one(&query.Opaque{
				Kind: query.OpaqueCreateTrigger,
				Writes: []query.Table{
					tbl("metabase_database"), tbl("audit"), tbl("gone"), tbl("log"),
				},
				Reads: []query.Table{
					tbl("metabase_table"), {Schema: "main", Name: "src"}, tbl("other"),
				},
			}),
		},
		{
			name: "statements after a trigger",
			sql:  `CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END; INSERT INTO c VALUES (?)`,
			want: []query.Statement{
				&query.Opaque{Kind: query.OpaqueCreateTrigger, Writes: []query.Table{tbl("b")}, Reads: []query.Table{tbl("a")}},
				&query.Insert{Table: tbl("c"), Rows: [][]query.Expr{{param(1)}}},
			},
		},
		{
			name: "CREATE TABLE AS is lowered by the PostgreSQL front-end",
			sql:  `CREATE TABLE copy AS SELECT details FROM metabase_database`,
			want: one(&query.Opaque{
				Kind:   query.OpaqueCreateTableAs,
				Writes: []query.Table{tbl("copy")},
				Reads:  []query.Table{tbl("metabase_database")},
			}),
		},
	})
}

func TestParseSeveralStatements(t *testing.T) {
	const sql = "SELECT 'a'; -- one\nINSERT INTO metabase_database (name, details) VALUES (?, 'b');\n UPDATE t SET x = ?2"
	got, err := Parser{}.Parse(sql)
	require.NoError(t, err)
	require.Equal(t, []query.Statement{
		&query.Select{Items: items(strLit(sql, "'a'", "a"))},
		&query.Insert{
			Table:   tbl("metabase_database"),
			Columns: []string{"name", "details"},
			// Numbering starts again in each statement, as in SQLite.
			Rows: [][]query.Expr{{param(1), strLit(sql, "'b'", "b")}},
		},
		&query.Update{Table: tbl("t"), Set: []query.Assign{{Column: "x", Value: named(2, "?2")}}},
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
