package sqlite

import (
	"errors"
	"testing"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

// FuzzParse checks that Parse never panics, that every error wraps
// ErrSyntax, and that what it returns points into the text it was given:
// literal spans lie inside it and string literals start with a quote,
// parameters have an ordinal (see also dialecttest.FuzzParser).
func FuzzParse(f *testing.F) {
	seeds := []string{
		`INSERT INTO metabase_database (name, details) VALUES (?, ?)`,
		`INSERT OR REPLACE INTO t VALUES (?3, :a, @b, $c, #d, $1, "dq", 'it''s', X'4142', 0x1F)`,
		`REPLACE INTO [t] (` + "`a`" + `) VALUES ('a\b') ON CONFLICT(id) DO UPDATE SET a = excluded.a RETURNING *`,
		`SELECT d.details AS x FROM metabase_database d JOIN t ON t.id == d.id WHERE a IS NOT ? AND b NOT NULL LIMIT 1, 2`,
		`WITH c AS (SELECT CAST(x AS VARCHAR(3)) FROM t INDEXED BY i) SELECT * FROM c WHERE y GLOB 'a*'`,
		`UPDATE OR IGNORE 't' SET 'a' = 'b', (c, 'd') = (1, 2) WHERE 't'.'id' = ?`,
		"CREATE TRIGGER x AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x); END; PRAGMA y; SELECT 1",
		"SELECT 1 -- c\n; /* open",
		"CREATE TABLE c AS SELECT * FROM t",
		"SELECT $a::b, $x(y), ?32766, 'a'\n'b'",
	}
	FuzzParser(f, Parser{}, seeds, func(t *testing.T, sql string, stmts []query.Statement, err error) {
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error does not wrap ErrSyntax: %v", err)
			}
			return
		}
		query.Walk(stmts, func(e query.Expr) {
			switch e := e.(type) {
			case *query.Param:
				if e.Ordinal < 1 {
					t.Fatalf("parameter without ordinal: %+v", *e)
				}
			case *query.Literal:
				if e.Start < 0 || e.Start > e.End || e.End > len(sql) {
					t.Fatalf("literal span %d:%d outside the text", e.Start, e.End)
				}
				if e.String && sql[e.Start] != '\'' && sql[e.Start] != '"' {
					t.Fatalf("string literal span %q does not start with a quote", sql[e.Start:e.End])
				}
			}
		})
	})
}
