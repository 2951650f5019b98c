package analysis_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/mysql"
	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/dialect/sqlite"
	"github.com/sqlseal/sqlseal/internal/query"
)

// FuzzAnalyze checks that no SQL text makes the analysis panic, and that
// the literal spans it reports can be rewritten safely.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		`INSERT INTO metabase_database (name, details) VALUES ($1, $2) RETURNING id`,
		`INSERT INTO metabase_database (details) VALUES ('{"host":"h"}')`,
		`UPDATE metabase_database SET (name, details) = ($1, $2) WHERE id = $3`,
		`WITH c AS (SELECT * FROM metabase_database) SELECT c.* FROM c JOIN other o ON o.id = c.id`,
		`SELECT details FROM metabase_database UNION SELECT NULL`,
		`INSERT INTO metabase_database (id, details) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET details = EXCLUDED.details`,
		`SELECT (SELECT details FROM metabase_database LIMIT 1), * FROM (SELECT * FROM metabase_database) s`,
		`WITH RECURSIVE r(n, d) AS (SELECT 1, details FROM metabase_database UNION ALL SELECT n+1, d FROM r) SELECT d FROM r`,
		"INSERT INTO `metabase_database` SET details = ? ON DUPLICATE KEY UPDATE details = VALUES(details)",
		"INSERT OR REPLACE INTO metabase_database (id, details) VALUES (?1, :d) RETURNING *",
		"INSERT INTO metabase_database (name, details) VALUES ('n', 'x') RETURNING id",
	} {
		f.Add(s)
	}
	prot := analysis.NewProtected([]analysis.Column{{Table: "metabase_database", Name: "details"}})
	parsers := []query.Parser{postgres.Parser{}, &mysql.Parser{}, sqlite.Parser{}}
	f.Fuzz(func(t *testing.T, sql string) {
		for _, parser := range parsers {
			p := analysis.Analyze(parser, prot, sql)
			end := 0
			for _, l := range p.Literals {
				if l.Start < end || l.End <= l.Start || l.End > len(sql) {
					t.Fatalf("%T: bad literal span %d:%d in %q", parser, l.Start, l.End, sql)
				}
				end = l.End
			}
		}
	})
}
