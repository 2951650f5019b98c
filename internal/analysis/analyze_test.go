package analysis_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
)

var details = analysis.Column{Table: "metabase_database", Name: "details"}

func protected() *analysis.Protected {
	return analysis.NewProtected([]analysis.Column{details, {Table: "tokens", Name: "secret"}})
}

func analyze(sql string) *analysis.Plan {
	return analysis.Analyze(postgres.Parser{}, protected(), sql)
}

// planCase is a statement and what its plan must say, one element per
// parameter sealed or result column.
type planCase[W comparable] struct {
	sql  string
	want []W
}

// checkPlans analyzes every case with analyze and compares what read
// reads off the plan, which must not refuse the statement.
func checkPlans[W comparable](t *testing.T, analyze func(string) *analysis.Plan, cases []planCase[W], read func(sql string, p *analysis.Plan) []W) {
	t.Helper()
	for _, c := range cases {
		p := analyze(c.sql)
		if p.Err != nil {
			t.Errorf("%s: refused: %v", c.sql, p.Err)
			continue
		}
		if got := read(c.sql, p); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.sql, got, c.want)
		}
	}
}

// sealCase is a write and the ordinals of the parameters it seals, all
// for details.
type sealCase = planCase[int]

// checkSealed checks the parameters the plan of every case seals.
func checkSealed(t *testing.T, analyze func(string) *analysis.Plan, cases []sealCase) {
	t.Helper()
	checkPlans(t, analyze, cases, func(sql string, p *analysis.Plan) []int {
		var got []int
		for _, pt := range p.Params {
			if pt.Column != details {
				t.Errorf("%s: param %d bound to %v", sql, pt.Ordinal, pt.Column)
			}
			got = append(got, pt.Ordinal)
		}
		return got
	})
}

// checkRefused checks that analyze refuses every one of sqls.
func checkRefused(t *testing.T, analyze func(string) *analysis.Plan, sqls ...string) {
	t.Helper()
	for _, sql := range sqls {
		if p := analyze(sql); !errors.Is(p.Err, analysis.ErrRefused) {
			t.Errorf("%s: not refused: %+v", sql, p)
		}
	}
}

func TestWritesFindParams(t *testing.T) {
	checkSealed(t, analyze, []sealCase{
		{`INSERT INTO "metabase_database" ("name","details") VALUES ($1,$2) RETURNING "id"`, []int{2}},
		{`INSERT INTO metabase_database (name, details) VALUES ($1, $2), ($3, $4)`, []int{2, 4}},
		{`INSERT INTO public.metabase_database (details) VALUES ($1)`, []int{1}},
		{`INSERT INTO Metabase_Database (Details) VALUES ($1)`, []int{1}},
		{`INSERT INTO metabase_database (name, details) VALUES ($1, $2::text)`, []int{2}},
		{`UPDATE metabase_database SET details = $1 WHERE id = $2`, []int{1}},
		{`UPDATE metabase_database SET (name, details) = ($1, $2) WHERE id = $3`, []int{2}},
		{`INSERT INTO metabase_database (id, details) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET details = EXCLUDED.details`, []int{2}},
		{`INSERT INTO metabase_database (id, details) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET details = $3`, []int{2, 3}},
		{`INSERT INTO metabase_database (name, details) SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM metabase_database WHERE name = $3)`, []int{2}},
		{`INSERT INTO metabase_database (details) VALUES (NULL)`, nil},
		{`INSERT INTO metabase_database (name, details) SELECT name, details FROM metabase_database WHERE id = $1`, nil},
		{`UPDATE metabase_database SET details = details WHERE id = $1`, nil},
		{`WITH x AS (INSERT INTO metabase_database (details) VALUES ($1) RETURNING id) SELECT id FROM x`, []int{1}},
	})
}

func TestLiteralsFound(t *testing.T) {
	sql := `INSERT INTO metabase_database (name, details) VALUES ('n', '{"host":"h"}'), ('m', E'{\"a\":1}')`
	p := analyze(sql)
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	if len(p.Literals) != 2 {
		t.Fatalf("literals %+v", p.Literals)
	}
	if got := sql[p.Literals[0].Start:p.Literals[0].End]; got != `'{"host":"h"}'` {
		t.Errorf("literal 0 = %q", got)
	}
	// The plan keeps positions only; the value is decoded from the text.
	if v, err := (postgres.Parser{}).LiteralValue(sql[p.Literals[1].Start:p.Literals[1].End]); err != nil || v != `{"a":1}` {
		t.Errorf("literal 1 value %q, %v", v, err)
	}
}

func TestRefusals(t *testing.T) {
	cases := []string{
		`INSERT INTO metabase_database (details) VALUES (upper($1))`,
		`UPDATE metabase_database SET details = details || $1`,
		`INSERT INTO metabase_database (details) SELECT name FROM metabase_database`,
		`INSERT INTO metabase_database (details) SELECT other FROM elsewhere`,
		`SELECT id FROM metabase_database WHERE details = $1`,
		`SELECT id FROM metabase_database m WHERE m.details LIKE $1`,
		`DELETE FROM metabase_database WHERE details = $1`,
		`UPDATE metabase_database SET name = $1 WHERE details = $2`,
		`INSERT INTO metabase_database VALUES ($1, $2)`,
		`INSERT INTO metabase_database (details) VALUES ($1::jsonb)`,
		`INSERT INTO metabase_database (id, details) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET details = EXCLUDED.name`,
		`INSERT INTO metabase_database (name, details) VALUES ($1, $1)`,
		`MERGE INTO metabase_database m USING src s ON m.id = s.id WHEN MATCHED THEN UPDATE SET details = s.details`,
		`COPY metabase_database (details) FROM STDIN`,
		`INSERT INTO metabase_database (details) VALUES ($1`,
		`SELECT details FROM metabase_database UNION SELECT name FROM metabase_database`,
		`SELECT id FROM metabase_database JOIN other USING (details)`,
		`INSERT INTO metabase_database (details) VALUES ((SELECT x FROM y))`,
		`INSERT INTO metabase_database (details) SELECT * FROM src`,
		`SELECT id FROM other WHERE $1 IN (SELECT details FROM metabase_database)`,
		`DO $$ BEGIN INSERT INTO metabase_database (details) VALUES ('x'); END $$`,
		`EXECUTE p('secret')`,
		`SELECT * FROM (SELECT details, x FROM metabase_database) s JOIN o USING (x)`,
		`SELECT * FROM metabase_database NATURAL JOIN o`,
	}
	for _, sql := range cases {
		p := analyze(sql)
		if !errors.Is(p.Err, analysis.ErrRefused) {
			t.Errorf("%s: not refused (plan %+v)", sql, p)
			continue
		}
		var re *analysis.RefusalError
		if !errors.As(p.Err, &re) || !strings.Contains(p.Err.Error(), "details") {
			t.Errorf("%s: error does not name the column: %v", sql, p.Err)
		}
	}
}

func TestRefusalNeverEchoesValues(t *testing.T) {
	p := analyze(`INSERT INTO metabase_database (details) VALUES (upper('s3cr3t-password'))`)
	if p.Err == nil || strings.Contains(p.Err.Error(), "s3cr3t") {
		t.Fatalf("err = %v", p.Err)
	}
}

func TestUnprotectedIsInert(t *testing.T) {
	for _, sql := range []string{
		`SELECT id, name FROM metabase_database WHERE id = $1`,
		`INSERT INTO other (details) VALUES ($1)`,
		`UPDATE other SET details = upper($1) WHERE details = $2`,
		`SELECT 1`,
		`CREATE TABLE metabase_database (id serial primary key, details text)`,
		`BEGIN`,
		`SELECT id FROM metabase_database WHERE details IS NOT NULL`,
		`DELETE FROM metabase_database WHERE id = $1`,
	} {
		p := analyze(sql)
		if !p.Inert() {
			t.Errorf("%s: plan %+v err %v, want inert", sql, p, p.Err)
		}
	}
	// Text the parser rejects touches no protected table that sqlseal can
	// see, but what it does is unknown: it may change the session.
	for _, sql := range []string{`this is not sql`, `SET search_path = public`} {
		p := analyze(sql)
		if p.Err != nil || len(p.Params) > 0 || len(p.Literals) > 0 || p.Results != nil || !p.Session {
			t.Errorf("%s: plan %+v, want a session plan", sql, p)
		}
	}
}

func TestResultsOpened(t *testing.T) {
	// want: per result column, whether it is opened.
	checkPlans(t, analyze, []planCase[bool]{
		{`SELECT id, details FROM metabase_database WHERE id = $1`, []bool{false, true}},
		{`SELECT details AS d, name FROM metabase_database`, []bool{true, false}},
		{`SELECT m.details FROM metabase_database m`, []bool{true}},
		{`SELECT o.details, m.details FROM other o JOIN metabase_database m ON m.id = o.id`, []bool{false, true}},
		{`WITH c AS (SELECT details FROM metabase_database) SELECT details FROM c`, []bool{true}},
		{`SELECT s.x FROM (SELECT details AS x FROM metabase_database) s`, []bool{true}},
		{`INSERT INTO metabase_database (details) VALUES ($1) RETURNING id, details`, []bool{false, true}},
		{`SELECT upper(details) FROM metabase_database`, nil},
		{`SELECT details FROM other`, nil},
		{`SELECT details::text FROM metabase_database`, []bool{true}},
		{`SELECT details FROM metabase_database UNION ALL SELECT NULL`, []bool{true}},
		{`SELECT (SELECT details FROM metabase_database WHERE id = $1) AS d`, []bool{true}},
		{`SELECT (SELECT name FROM metabase_database WHERE id = $1) AS d, details FROM metabase_database`, []bool{false, true}},
	}, func(_ string, p *analysis.Plan) []bool {
		var got []bool
		for _, r := range p.Results {
			got = append(got, r.Column != nil)
		}
		return got
	})
}

func TestStarResults(t *testing.T) {
	p := analyze(`SELECT * FROM metabase_database WHERE id = $1`)
	if p.Err != nil || len(p.Results) != 1 || p.Results[0].Star == nil || len(p.Results[0].Star.Protected) != 1 {
		t.Fatalf("plan %+v err %v", p, p.Err)
	}
	p = analyze(`SELECT o.*, m.* FROM other o JOIN metabase_database m ON m.id = o.db_id`)
	if p.Err != nil || len(p.Results) != 2 || p.Results[1].Star.Table.Name != "metabase_database" {
		t.Fatalf("plan %+v err %v", p, p.Err)
	}
	if p := analyze(`SELECT * FROM other`); !p.Inert() {
		t.Fatalf("star over unprotected table: %+v", p)
	}
}

func TestSchemaQualifiedConfigNeedsCheck(t *testing.T) {
	prot := analysis.NewProtected([]analysis.Column{{Schema: "public", Table: "t", Name: "details"}})
	p := analysis.Analyze(postgres.Parser{}, prot, `SELECT details FROM t`)
	if p.Err != nil || len(p.Results) != 1 || p.Results[0].Check != "t" {
		t.Fatalf("unqualified: %+v", p.Results)
	}
	p = analysis.Analyze(postgres.Parser{}, prot, `SELECT details FROM public.t`)
	if p.Err != nil || len(p.Results) != 1 || p.Results[0].Column == nil || p.Results[0].Check != "" {
		t.Fatalf("qualified: %+v", p.Results)
	}
	if p := analysis.Analyze(postgres.Parser{}, prot, `SELECT details FROM other.t`); !p.Inert() {
		t.Fatalf("other schema: %+v", p.Results)
	}
}

func TestConformingStringsMustStayOn(t *testing.T) {
	checkRefused(t, analyze,
		"SET standard_conforming_strings = off",
		"SET standard_conforming_strings TO false",
		"SET LOCAL standard_conforming_strings = 'off'",
		"SET client_encoding = 'SJIS'",
		"SET NAMES 'BIG5'",
	)
	// DEFAULT and RESET return to the value the session started with,
	// which was checked at connect.
	for _, sql := range []string{"SET standard_conforming_strings = on", "SET search_path = public", "RESET ALL",
		"SET standard_conforming_strings TO DEFAULT", "SET client_encoding = 'UTF8'", "SET NAMES 'utf-8'"} {
		if p := analyze(sql); p.Err != nil {
			t.Errorf("%s: %v", sql, p.Err)
		}
	}
}
