package analysis_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/mysql"
	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/dialect/sqlite"
	"github.com/sqlseal/sqlseal/internal/query"
)

// parsers are the three front-ends, each with the same protected columns.
var parsers = map[string]query.Parser{"postgres": postgres.Parser{}, "mysql": &mysql.Parser{}, "sqlite": sqlite.Parser{}}

// reason returns the refusal reason of a plan, 0 when it is not refused.
func reason(t *testing.T, p *analysis.Plan) sqlseal.Reason {
	t.Helper()
	if p.Err == nil {
		return 0
	}
	var re *sqlseal.RefusalError
	if !errors.As(p.Err, &re) {
		t.Fatalf("refused without a RefusalError: %v", p.Err)
	}
	return re.Reason
}

// A name that a WITH entry may shadow resolves as each server resolves it:
// later entries are visible with PostgreSQL's RECURSIVE and always in
// SQLite; with MySQL's RECURSIVE, MariaDB sees them and MySQL does not, so
// such a reference is refused when either reading is protected.
func TestCTEScopes(t *testing.T) {
	const fwdWrite = `WITH RECURSIVE x AS (SELECT id, details FROM metabase_database), metabase_database AS (SELECT id, name AS details FROM other)
		INSERT INTO public.metabase_database (id, details) SELECT id, details FROM x`
	const fwdRead = `WITH RECURSIVE x AS (SELECT details FROM metabase_database), metabase_database AS (SELECT name AS details FROM other)
		SELECT details FROM x`
	const plainRead = `WITH x AS (SELECT details FROM metabase_database), metabase_database AS (SELECT name AS details FROM other)
		SELECT details FROM x`
	for name, parser := range parsers {
		p := analysis.Analyze(parser, protected(), fwdWrite)
		if name == "sqlite" {
			p = analysis.Analyze(parser, protected(), strings.Replace(fwdWrite, "public.", "main.", 1))
		}
		if name == "mysql" {
			// MySQL's text is INSERT ... WITH ... SELECT.
			p = analysis.Analyze(parser, protected(), `INSERT INTO test.metabase_database (id, details) WITH RECURSIVE x AS (SELECT id, details FROM metabase_database), metabase_database AS (SELECT id, name AS details FROM other) SELECT id, details FROM x`)
		}
		if !errors.Is(p.Err, analysis.ErrRefused) {
			t.Errorf("%s: forward reference copies an unprotected column: %+v", name, p)
		}
		p = analysis.Analyze(parser, protected(), fwdRead)
		switch name {
		case "mysql":
			if reason(t, p) != sqlseal.ReasonAmbiguousName {
				t.Errorf("%s: ambiguous read not refused: %+v", name, p)
			}
		default:
			if p.Err != nil || p.Results != nil {
				t.Errorf("%s: forward reference read opens an unprotected column: %+v", name, p)
			}
		}
		p = analysis.Analyze(parser, protected(), plainRead)
		wantOpened := name != "sqlite" // SQLite sees the later entry even without RECURSIVE
		if p.Err != nil || (p.Results != nil) != wantOpened {
			t.Errorf("%s: plain WITH read: %+v", name, p)
		}
	}
	// A recursive entry refers to itself through its first arm.
	p := analyze(`WITH RECURSIVE r(d) AS (SELECT details FROM metabase_database UNION ALL SELECT d FROM r) SELECT d FROM r`)
	if p.Err != nil || len(p.Results) != 1 || p.Results[0].Column == nil {
		t.Errorf("recursive entry: %+v", p)
	}
	// Entries that refer to each other in a cycle never yield a protected
	// column, and copying from them is refused.
	p = analyze(`WITH RECURSIVE a AS (SELECT d FROM b), b AS (SELECT d FROM a) INSERT INTO metabase_database (details) SELECT d FROM a`)
	if !errors.Is(p.Err, analysis.ErrRefused) {
		t.Errorf("cycle: %+v", p)
	}
}

// DDL that gives a protected column values that were never sealed is
// refused; other DDL is not.
func TestDDLThatMovesValues(t *testing.T) {
	refused := map[string][]string{
		"postgres": {
			`ALTER TABLE metabase_database ALTER COLUMN details TYPE text USING name`,
			`ALTER TABLE metabase_database RENAME COLUMN name TO details`,
			`ALTER TABLE other RENAME TO metabase_database`,
			`ALTER TABLE other.metabase_database SET SCHEMA public`,
			`ALTER TABLE metabase_database ADD COLUMN details text DEFAULT 'x'`,
			`ALTER TABLE metabase_database ALTER COLUMN details SET DEFAULT 'x'`,
			`ALTER TABLE metabase_database ALTER COLUMN details SET EXPRESSION AS (name)`,
			`CREATE TABLE metabase_database (id int, details text DEFAULT 'x')`,
			`CREATE TABLE metabase_database (id int, name text, details text GENERATED ALWAYS AS (name) STORED)`,
			`CREATE TABLE metabase_database (LIKE other INCLUDING ALL)`,
		},
		"mysql": {
			"ALTER TABLE metabase_database CHANGE name details TEXT",
			"ALTER TABLE metabase_database RENAME COLUMN name TO details",
			"RENAME TABLE other TO metabase_database",
			"ALTER TABLE other RENAME TO metabase_database",
			"ALTER TABLE metabase_database ADD COLUMN details TEXT DEFAULT 'x'",
			"ALTER TABLE metabase_database ALTER COLUMN details SET DEFAULT 'x'",
			"ALTER TABLE metabase_database MODIFY details TEXT AS (name) VIRTUAL",
			"CREATE TABLE metabase_database LIKE other",
		},
		"sqlite": {
			`ALTER TABLE metabase_database RENAME COLUMN name TO details`,
			`ALTER TABLE metabase_database RENAME name TO "Details"`,
			`ALTER TABLE other RENAME TO metabase_database`,
			`ALTER TABLE metabase_database ADD COLUMN details TEXT DEFAULT ('x')`,
			`CREATE TABLE metabase_database (id INTEGER, details TEXT AS (upper(id)))`,
		},
	}
	allowed := map[string][]string{
		"postgres": {
			`CREATE TABLE metabase_database (id serial, details text DEFAULT NULL)`,
			`ALTER TABLE metabase_database RENAME COLUMN details TO details_old`,
			`ALTER TABLE metabase_database ALTER COLUMN details TYPE varchar`,
			`ALTER TABLE metabase_database ADD COLUMN note text DEFAULT 'x'`,
			`ALTER TABLE other RENAME TO other2`,
		},
		"mysql": {
			"CREATE TABLE metabase_database (id INT AUTO_INCREMENT PRIMARY KEY, details TEXT)",
			"ALTER TABLE metabase_database MODIFY details MEDIUMTEXT",
			"ALTER TABLE metabase_database ALTER COLUMN details DROP DEFAULT",
			"RENAME TABLE other TO other2",
		},
		"sqlite": {
			`CREATE TABLE metabase_database (id INTEGER PRIMARY KEY, details TEXT DEFAULT NULL, note TEXT DEFAULT 'x')`,
			`ALTER TABLE metabase_database DROP COLUMN name`,
			`ALTER TABLE metabase_database ADD COLUMN note TEXT DEFAULT 'x'`,
		},
	}
	for name, parser := range parsers {
		for _, sql := range refused[name] {
			if r := reason(t, analysis.Analyze(parser, protected(), sql)); r != sqlseal.ReasonRenamed && r != sqlseal.ReasonFilled {
				t.Errorf("%s: %s: reason %v", name, sql, r)
			}
		}
		for _, sql := range allowed[name] {
			if p := analysis.Analyze(parser, protected(), sql); p.Err != nil {
				t.Errorf("%s: %s: %v", name, sql, p.Err)
			}
		}
	}
	// A schema renamed to a protected column's schema.
	prot := analysis.NewProtected([]analysis.Column{{Schema: "public", Table: "t", Name: "details"}})
	if r := reason(t, analysis.Analyze(postgres.Parser{}, prot, `ALTER SCHEMA evil RENAME TO public`)); r != sqlseal.ReasonRenamed {
		t.Errorf("schema rename: %v", r)
	}
}

// Statements whose writes are computed on the server are refused whenever
// a column is protected, whatever their text names.
func TestServerSideDynamicSQL(t *testing.T) {
	for name, sql := range map[string]string{
		"postgres": `DO $$ BEGIN EXECUTE 'INSERT INTO a' || 'b VALUES (1)'; END $$`,
		"mysql":    `EXECUTE IMMEDIATE CONCAT('INSERT INTO a', 'b VALUES (1)')`,
	} {
		if r := reason(t, analysis.Analyze(parsers[name], protected(), sql)); r != sqlseal.ReasonBlind {
			t.Errorf("%s: %s: reason %v", name, sql, r)
		}
	}
}

// schema.table.column resolves to the FROM item of that table, qualified
// or not, as each server resolves it.
func TestThreePartNames(t *testing.T) {
	for name, sql := range map[string]string{
		"postgres": `SELECT public.metabase_database.details FROM metabase_database`,
		"mysql":    "SELECT test.metabase_database.details FROM metabase_database",
		"sqlite":   `SELECT main.metabase_database.details FROM metabase_database`,
	} {
		p := analysis.Analyze(parsers[name], protected(), sql)
		if p.Err != nil || len(p.Results) != 1 || p.Results[0].Column == nil {
			t.Errorf("%s: %s: %+v", name, sql, p)
		}
	}
	// Not through an alias, and not for another schema's table.
	for _, sql := range []string{
		`SELECT public.metabase_database.details FROM metabase_database m`,
		`SELECT other.metabase_database.details FROM public.metabase_database`,
	} {
		if p := analyze(sql); p.Results != nil {
			t.Errorf("%s: %+v", sql, p.Results)
		}
	}
}

// Numbers and booleans are refused wherever a value would be sealed.
func TestNonStringConstants(t *testing.T) {
	for name, parser := range parsers {
		for _, v := range []string{"1", "-2.5", "1e3", "TRUE"} {
			p := analysis.Analyze(parser, protected(), `INSERT INTO metabase_database (details) VALUES (`+v+`)`)
			if r := reason(t, p); r != sqlseal.ReasonConstant && r != sqlseal.ReasonComputed {
				t.Errorf("%s: %s: reason %v", name, v, r)
			}
		}
	}
}

// A parameter used for a protected column and elsewhere is refused; so is
// one bound to two protected columns.
func TestSharedParameters(t *testing.T) {
	for _, sql := range []string{
		`INSERT INTO metabase_database (name, details) VALUES ($1, $1)`,
		`INSERT INTO metabase_database (details) SELECT $1 WHERE $1 IS NOT NULL`,
		`UPDATE metabase_database SET details = $1 WHERE name = $1`,
		`WITH a AS (UPDATE tokens SET secret = $1) UPDATE metabase_database SET details = $1`,
	} {
		if r := reason(t, analyze(sql)); r != sqlseal.ReasonSharedParam {
			t.Errorf("%s: reason %v", sql, r)
		}
	}
	if p := analysis.Analyze(sqlite.Parser{}, protected(), `INSERT INTO metabase_database (details, name) VALUES (:a, ?1)`); reason(t, p) != sqlseal.ReasonSharedParam {
		t.Errorf("?1 after :a is the same SQLite parameter: %+v", p)
	}
}

// Under a configuration that names a schema, copying from the table named
// without it is refused: the name may resolve to another schema's table
// (found by the invariant fuzzer: SET search_path, then a WITH entry that
// reads the unqualified table and copies into the qualified one). The row
// being updated may still be copied onto itself.
func TestCopyFromUnqualifiedTableUnderSchemaConfig(t *testing.T) {
	prot := analysis.NewProtected([]analysis.Column{{Schema: "public", Table: "t", Name: "details"}})
	for _, sql := range []string{
		`WITH x AS (SELECT id, details FROM t) INSERT INTO public.t (id, details) SELECT id + 800, details FROM x`,
		`INSERT INTO public.t (details) SELECT details FROM t`,
		`UPDATE public.t SET details = s.details FROM t s WHERE s.id = public.t.id`,
	} {
		if r := reason(t, analysis.Analyze(postgres.Parser{}, prot, sql)); r != sqlseal.ReasonCopied {
			t.Errorf("%s: reason %v", sql, r)
		}
	}
	for _, sql := range []string{
		`UPDATE t SET details = details WHERE id = $1`,
		`UPDATE t SET details = t.details`,
		`INSERT INTO public.t (details) SELECT details FROM public.t`,
		`INSERT INTO t (id, details) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET details = t.details`,
	} {
		if p := analysis.Analyze(postgres.Parser{}, prot, sql); p.Err != nil {
			t.Errorf("%s: %v", sql, p.Err)
		}
	}
}
