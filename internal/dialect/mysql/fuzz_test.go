package mysql

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

// FuzzParse checks that parsing never panics, and that what it returns is
// consistent with the text: string literals lie inside it and decode to
// their value, and placeholders are numbered 1 to n (see also
// dialecttest.FuzzParser).
func FuzzParse(f *testing.F) {
	seeds := []string{
		"INSERT INTO `metabase_database` (`name`,`details`) VALUES (?,?)",
		"INSERT INTO t (a, b) VALUES ('x', _utf8mb4'y'), (X'41', 0x42) ON DUPLICATE KEY UPDATE a = VALUES(a)",
		"UPDATE a JOIN b ON a.id = b.id SET a.x = 'it''s', b.y = ? WHERE a.z LIKE 'q' ESCAPE '!'",
		"WITH c AS (SELECT 'a' 'b' AS x) SELECT x, \"y\" 'alias' FROM c UNION SELECT ?, N'z'",
		"DELETE t1 FROM t1 JOIN t2 USING (id) WHERE t1.v = 'a\\'b'; LOAD DATA INFILE 'f' INTO TABLE t",
		"SELECT /*! 'a' */ /*+ HINT('x') */ 'b' -- 'c'\n# 'd'\n FROM t",
		"PREPARE s FROM 'SELECT ''x'' FROM t'",
		"SELECT CAST('a' AS CHAR), CONVERT('b' USING utf8mb4), @'v', DATE '2024-01-01'",
		"INSERT INTO t SET details = ?",
		"select 1 from t where a = 'unterminated",
		"INSERT INTO `t` (`name`,`details`) VALUES (?,?) RETURNING `id`; DELETE FROM t WHERE id = ? RETURNING details, 'x' y",
		"REPLACE t SET a = 'returning' ON DUPLICATE KEY UPDATE a = ? RETURNING t.*, ? -- c",
	}
	dialecttest.FuzzParser(f, unguarded{&Parser{}}, seeds, func(t *testing.T, sql string, stmts []query.Statement, err error) {
		if err != nil {
			return
		}
		n := scan(sql).params
		for _, e := range collect(stmts) {
			switch e := e.(type) {
			case *query.Literal:
				if !e.String {
					continue
				}
				// FuzzParser has checked that the span lies inside the text.
				dec := ""
				for _, tok := range scan(sql[e.Start:e.End]).tokens {
					dec += tok.Value
				}
				if dec != e.Value {
					t.Fatalf("literal %q at %d:%d decodes to %q", e.Value, e.Start, e.End, dec)
				}
			case *query.Param:
				if e.Ordinal < 1 || e.Ordinal > n {
					t.Fatalf("param ordinal %d out of 1..%d", e.Ordinal, n)
				}
			}
		}
	})
}

// unguarded is a Parser without the guard against a panicking parser, so
// that fuzzing finds the panics.
type unguarded struct{ *Parser }

func (unguarded) Parse(sql string) ([]query.Statement, error) { return parse(sql) }
