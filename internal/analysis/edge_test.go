package analysis_test

import "testing"

// Statements people write in practice, at the edges of what is sealed and
// what is refused.
func TestEdgeWrites(t *testing.T) {
	checkSealed(t, analyze, []sealCase{
		{`insert into metabase_database(details) values($1)`, []int{1}},
		{`INSERT INTO metabase_database AS m (details) VALUES ($1) ON CONFLICT (id) DO UPDATE SET details = EXCLUDED.details`, []int{1}},
		{`INSERT INTO metabase_database (details) SELECT $1 UNION ALL SELECT $2`, []int{1, 2}},
		{`INSERT INTO metabase_database (details) VALUES (DEFAULT), ($1::varchar)`, []int{1}},
		{`UPDATE ONLY metabase_database SET details = $1 WHERE id = $2`, []int{1}},
		{`UPDATE metabase_database SET details = NULL WHERE id = $1`, nil},
	})
	checkRefused(t, analyze,
		`INSERT INTO metabase_database (details) VALUES ($1) ON CONFLICT (id) DO UPDATE SET details = metabase_database.details || EXCLUDED.details`,
		`UPDATE metabase_database SET details = NULLIF($1, '')`,
		`UPDATE metabase_database m SET details = s.details FROM staging s WHERE s.id = m.id`,
		`INSERT INTO metabase_database (details) VALUES ($1), (upper($2))`,
		`WITH v(d) AS (VALUES ($1)) INSERT INTO metabase_database (details) SELECT d FROM v`,
		`UPDATE metabase_database SET details = CASE WHEN $1 THEN $2 END`,
		`INSERT INTO metabase_database (details) VALUES ($1::text COLLATE "C")`,
		`INSERT INTO metabase_database (details) VALUES ($1::varchar(10))`,
		`INSERT INTO metabase_database (details) VALUES (format('%s', $1))`,
		`UPDATE metabase_database SET details = (SELECT details FROM other WHERE id = $1)`,
	)
}
