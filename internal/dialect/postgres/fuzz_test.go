package postgres

import (
	"testing"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

// FuzzParse checks that Parse never panics and that every literal span it
// reports lies inside the text, string literals starting and ending on a
// quote character and decoding to the parser's value (see
// dialecttest.FuzzParser).
func FuzzParse(f *testing.F) {
	seeds := []string{
		`INSERT INTO "metabase_database" ("name","details") VALUES ($1,$2) RETURNING "id"`,
		`INSERT INTO t (a) VALUES (E'it''s\n'), ($$a$b$$), (U&'d\0061ta' UESCAPE '!'), ('a'` + "\n" + `'b')`,
		`UPDATE t SET (a, b) = (SELECT x, y FROM u WHERE z = $1) WHERE id = $2`,
		`INSERT INTO t (id, d) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET d = EXCLUDED.d WHERE t.x > 0`,
		`WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x JOIN y USING (id) NATURAL JOIN z`,
		`MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET d = s.d`,
		`COPY (SELECT * FROM t) TO STDOUT; EXPLAIN ANALYZE SELECT 1`,
		`SELECT -1.5, B'101', N'x', xmlelement(name a, $1) FETCH FIRST ROW ONLY`,
		`SELECT 'unterminated`,
	}
	FuzzParser(f, Parser{}, seeds, func(t *testing.T, sql string, stmts []query.Statement, err error) {
		if err != nil {
			return
		}
		forEachLiteral(stmts, func(l *query.Literal) {
			if l.Start < 0 || l.Start > l.End || l.End > len(sql) {
				t.Fatalf("literal span [%d:%d] outside text of %d bytes", l.Start, l.End, len(sql))
			}
			if !l.String {
				return
			}
			last := sql[l.End-1]
			if l.End-l.Start < 2 || (last != '\'' && last != '$') {
				t.Fatalf("string literal span %q is not a quoted token", sql[l.Start:l.End])
			}
		})
	})
}
