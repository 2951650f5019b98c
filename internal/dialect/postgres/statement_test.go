package postgres

import (
	"errors"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestOpaqueAndUtility(t *testing.T) {
	mdb := Tbl("metabase_database")
	tables := func(ts ...query.Table) []query.Table { return ts }
	RunCases(t, Parser{}, []StmtCase{
		{
			Name: "MERGE",
			SQL: `MERGE INTO metabase_database m USING staging s ON m.id = s.id
				WHEN MATCHED THEN UPDATE SET details = s.details
				WHEN NOT MATCHED THEN INSERT (details) VALUES ($1)`,
			Want: One(&query.Opaque{Kind: query.OpaqueMerge, Writes: tables(mdb), Reads: tables(Tbl("staging"))}),
		},
		{
			Name: "MERGE in WITH makes the statement opaque",
			SQL: `WITH m AS (MERGE INTO metabase_database USING staging s ON true
				WHEN MATCHED THEN DELETE RETURNING id) SELECT * FROM m`,
			Want: One(&query.Opaque{Kind: query.OpaqueOther, Writes: tables(mdb), Reads: tables(Tbl("m"), Tbl("staging"))}),
		},
		{
			Name: "COPY FROM writes",
			SQL:  `COPY public.metabase_database (details) FROM STDIN`,
			Want: One(&query.Opaque{Kind: query.OpaqueCopy, Writes: tables(query.Table{Schema: "public", Name: "metabase_database"})}),
		},
		{
			Name: "COPY TO reads",
			SQL:  `COPY metabase_database TO STDOUT`,
			Want: One(&query.Opaque{Kind: query.OpaqueCopy, Reads: tables(mdb)}),
		},
		{
			Name: "COPY query TO reads its tables",
			SQL:  `COPY (SELECT details FROM metabase_database m JOIN other o USING (id)) TO STDOUT`,
			Want: One(&query.Opaque{Kind: query.OpaqueCopy, Reads: tables(mdb, Tbl("other"))}),
		},
		{
			Name: "COPY of a data-modifying query writes",
			SQL:  `COPY (INSERT INTO metabase_database (details) VALUES ('x') RETURNING id) TO STDOUT`,
			Want: One(&query.Opaque{Kind: query.OpaqueCopy, Writes: tables(mdb)}),
		},
		{
			Name: "CREATE TABLE AS",
			SQL:  `CREATE TABLE copy AS SELECT details FROM metabase_database`,
			Want: One(&query.Opaque{Kind: query.OpaqueCreateTableAs, Writes: tables(Tbl("copy")), Reads: tables(mdb)}),
		},
		{
			Name: "CREATE MATERIALIZED VIEW",
			SQL:  `CREATE MATERIALIZED VIEW mv AS SELECT details FROM metabase_database`,
			Want: One(&query.Opaque{Kind: query.OpaqueCreateTableAs, Writes: tables(Tbl("mv")), Reads: tables(mdb)}),
		},
		{
			Name: "SELECT INTO",
			SQL:  `SELECT details INTO TEMP copy FROM metabase_database`,
			Want: One(&query.Opaque{Kind: query.OpaqueSelectInto, Writes: tables(Tbl("copy")), Reads: tables(mdb)}),
		},
		{
			Name: "SELECT INTO in a set operation",
			SQL:  `SELECT details INTO copy FROM metabase_database UNION SELECT details FROM other`,
			Want: One(&query.Opaque{Kind: query.OpaqueSelectInto, Writes: tables(Tbl("copy")), Reads: tables(mdb, Tbl("other"))}),
		},
		{
			Name: "CREATE VIEW",
			SQL:  `CREATE VIEW v AS SELECT details FROM metabase_database`,
			Want: One(&query.Opaque{Kind: query.OpaqueCreateView, Writes: tables(Tbl("v")), Reads: tables(mdb)}),
		},
		{
			Name: "DECLARE CURSOR",
			SQL:  `DECLARE c CURSOR FOR SELECT details FROM metabase_database`,
			Want: One(&query.Opaque{Kind: query.OpaqueDeclareCursor, Reads: tables(mdb)}),
		},
		{
			Name: "ROWS FROM and a subquery in UPDATE FROM",
			SQL:  `UPDATE metabase_database SET details = $1 FROM ROWS FROM (f()) AS x, (SELECT 1) s`,
			Want: One(&query.Update{
				Table: mdb,
				Set:   []query.Assign{{Column: "details", Value: Param(1)}},
				From: []query.From{
					&query.FuncRef{Alias: "x", Args: Exprs(Op("function f"))},
					&query.SubqueryRef{Alias: "s", Query: &query.Select{Items: Items(NumLit(
						`UPDATE metabase_database SET details = $1 FROM ROWS FROM (f()) AS x, (SELECT 1) s`, "(SELECT ", "1"))}},
				},
			}),
		},
		{Name: "EXECUTE", SQL: `EXECUTE p ($1)`, Want: One(&query.Opaque{Kind: query.OpaqueExecute})},
		{Name: "CALL", SQL: `CALL p($1)`, Want: One(&query.Opaque{Kind: query.OpaqueCall})},
		{Name: "DO", SQL: `DO $$BEGIN NULL; END$$`, Want: One(&query.Opaque{Kind: query.OpaqueCode})},
		{
			Name: "utility statements",
			SQL: `BEGIN; SET search_path = public; CREATE TABLE t (details text); ALTER TABLE t ADD c int;
				SHOW search_path; COMMIT; TRUNCATE metabase_database; VACUUM`,
			Want: []query.Statement{
				&query.Utility{}, &query.Utility{Session: true}, &query.Utility{}, &query.Utility{},
				&query.Utility{}, &query.Utility{}, &query.Utility{}, &query.Utility{},
			},
		},
		{
			Name: "multi-statement text",
			SQL:  `BEGIN; INSERT INTO metabase_database (details) VALUES ($1); COMMIT;`,
			Want: []query.Statement{
				&query.Utility{},
				&query.Insert{Table: mdb, Columns: []string{"details"}, Rows: [][]query.Expr{{Param(1)}}},
				&query.Utility{},
			},
		},
		{Name: "empty text", SQL: ` ; -- nothing`, Want: []query.Statement{}},
	})
}

func TestExplainAndPrepare(t *testing.T) {
	mdb := Tbl("metabase_database")
	insert := func() *query.Insert {
		return &query.Insert{Table: mdb, Columns: []string{"details"}, Rows: [][]query.Expr{{Param(1)}}}
	}
	RunCases(t, Parser{}, []StmtCase{
		{Name: "EXPLAIN only plans", SQL: `EXPLAIN INSERT INTO metabase_database (details) VALUES ($1)`, Want: One(&query.Utility{})},
		{Name: "EXPLAIN ANALYZE false", SQL: `EXPLAIN (ANALYZE false) INSERT INTO metabase_database (details) VALUES ($1)`, Want: One(&query.Utility{})},
		{Name: "EXPLAIN ANALYZE off", SQL: `EXPLAIN (ANALYZE off, VERBOSE) INSERT INTO metabase_database (details) VALUES ($1)`, Want: One(&query.Utility{})},
		{
			Name: "EXPLAIN ANALYZE executes and drops RETURNING",
			SQL:  `EXPLAIN ANALYZE INSERT INTO metabase_database (details) VALUES ($1) RETURNING details`,
			Want: One(insert()),
		},
		{
			Name: "EXPLAIN (ANALYZE) with an option list",
			SQL:  `EXPLAIN (FORMAT JSON, ANALYZE) INSERT INTO metabase_database (details) VALUES ($1)`,
			Want: One(insert()),
		},
		{
			Name: "EXPLAIN ANALYZE SELECT has no result columns of its own",
			SQL:  `EXPLAIN ANALYZE WITH u AS (UPDATE metabase_database SET details = $1 RETURNING id) SELECT details FROM metabase_database`,
			Want: One(&query.Select{
				With: []query.CTE{{Name: "u", Query: &query.Update{
					Table: mdb, Set: []query.Assign{{Column: "details", Value: Param(1)}}, Returning: Items(Col("id")),
				}}},
				From: []query.From{&query.SubqueryRef{Alias: "explain", Query: &query.Select{
					From: []query.From{Tref("metabase_database", "")}, Items: Items(Col("details")),
				}}},
			}),
		},
		{
			Name: "EXPLAIN ANALYZE MERGE is opaque",
			SQL:  `EXPLAIN ANALYZE MERGE INTO metabase_database m USING s ON true WHEN MATCHED THEN DELETE`,
			Want: One(&query.Opaque{Kind: query.OpaqueMerge, Writes: []query.Table{mdb}, Reads: []query.Table{Tbl("s")}}),
		},
		{
			Name: "PREPARE lowers its statement",
			SQL:  `PREPARE p (text) AS INSERT INTO metabase_database (details) VALUES ($1)`,
			Want: One(insert()),
		},
	})
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, sql, secret string
	}{
		{"syntax error", `INSERT INTO metabase_database (details) VALUES ('s3cr3t' 'more')`, "s3cr3t"},
		{"unterminated string", `INSERT INTO metabase_database (details) VALUES ('s3cr3t`, "s3cr3t"},
		{"unterminated dollar quote", `SELECT $tag$s3cr3t`, "s3cr3t"},
		{"bad unicode escape", `SELECT U&'s3cr3t\zzzz'`, "s3cr3t"},
		{"trailing junk", `SELECT 123s3cr3t`, "s3cr3t"},
		{"NUL byte", "INSERT INTO t (a) VALUES ('s3cr3t')\x00; DROP TABLE t", "s3cr3t"},
		{"garbage", `s3cr3t`, "s3cr3t"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stmts, err := Parser{}.Parse(tc.sql)
			require.Error(t, err)
			assert.Nil(t, stmts)
			assert.True(t, errors.Is(err, ErrSyntax), "%v", err)
			assert.NotContains(t, err.Error(), tc.secret)
		})
	}
}

func TestSyntaxErrorDetails(t *testing.T) {
	_, err := Parser{}.Parse(`SELECT 1 FROM WHERE 'secret'`)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "syntax error", se.Reason)
	assert.Equal(t, 15, se.Position)
	assert.Equal(t, "postgres: cannot parse SQL: syntax error (at character 15)", err.Error())
}

func TestRedactReason(t *testing.T) {
	cases := map[string]string{
		`syntax error at or near "'secret'"`:           "syntax error",
		`syntax error at end of input`:                 "syntax error at end of input",
		`unterminated quoted string at or near "'sec"`: "unterminated quoted string",
		`invalid value "secret" for option`:            "invalid value",
		`"secret"`:                                     "syntax error",
	}
	for in, want := range cases {
		assert.Equal(t, want, redactReason(in), in)
	}
}

func TestUnknownFromItemIsOpaque(t *testing.T) {
	// The grammar yields no such FROM item today; a future one must not be
	// dropped.
	odd := &pg_query.Node{Node: &pg_query.Node_ParamRef{ParamRef: &pg_query.ParamRef{Number: 1}}}
	stmt := &pg_query.Node{Node: &pg_query.Node_UpdateStmt{UpdateStmt: &pg_query.UpdateStmt{
		Relation:   &pg_query.RangeVar{Relname: "metabase_database"},
		FromClause: []*pg_query.Node{odd, pg_query.MakeSimpleRangeVarNode("other", 0)},
	}}}
	got := (&lowerer{}).topStatement(stmt)
	assert.Equal(t, &query.Opaque{
		Kind:   query.OpaqueOther,
		Writes: []query.Table{Tbl("metabase_database")},
		Reads:  []query.Table{Tbl("other")},
	}, got)
}

func TestParseConcurrent(t *testing.T) {
	const sql = `INSERT INTO metabase_database (details) VALUES ('x'), ($1)`
	want, err := Parser{}.Parse(sql)
	require.NoError(t, err)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 50 {
				got, err := Parser{}.Parse(sql)
				if err == nil && !assert.ObjectsAreEqual(want, got) {
					err = errors.New("different result")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
}

// The token where the parser stopped is described by its kind; only
// operators, punctuation and keywords are shown, never a name or a
// constant, which may be a secret.
func TestSyntaxErrorNear(t *testing.T) {
	cases := map[string]string{
		`SELECT 1 FROM WHERE 'secret'`:            `syntax error at character 15, at the keyword "WHERE"`,
		`INSERT INTO t (a) VALUES ('x' 'secret')`: "syntax error at character 31, at a string constant",
		`INSERT INTO t (a) VALUES ($1) secret`:    "syntax error at character 31, at a name",
		`INSERT INTO t (a) VALUES ($1) 4242`:      "syntax error at character 31, at a number",
		`UPDATE t SET a = ? WHERE id = 1`:         `syntax error at character 20, at the keyword "WHERE"`,
		`INSERT INTO t (a, b) VALUES (?, ?)`:      `syntax error at character 31, at the punctuation ","`,
		`SELECT a FROM t WHERE b = ?`:             "syntax error at end of input at character 28, at the end of the text",
		`SELECT 'éééé' FROM t WHERE a = 1 secret`: "syntax error at character 34, at a name", // characters, not bytes
	}
	for sql, want := range cases {
		_, err := Parser{}.Parse(sql)
		var se *SyntaxError
		require.ErrorAs(t, err, &se, sql)
		assert.Equal(t, want, se.Cause(), sql)
		assert.NotContains(t, err.Error(), "secret", sql)
		assert.NotContains(t, se.Cause(), "secret", sql)
	}
}

// A text with ? placeholders that the parser rejects gets advice on
// PostgreSQL's placeholders; a text that parses (? is a jsonb operator)
// or has none gets none.
func TestAdvice(t *testing.T) {
	assert.Contains(t, Parser{}.Advice(`INSERT INTO t (a) VALUES (?)`, false), `sqlx.BindDriver("sqlseal", sqlx.DOLLAR)`)
	assert.Contains(t, Parser{}.Advice(`SELECT a FROM t WHERE id=?`, false), "$1, $2")
	assert.Empty(t, Parser{}.Advice(`SELECT a FROM t WHERE d ? 'k'`, true))
	assert.Empty(t, Parser{}.Advice(`INSERT INTO t (a) VALUES ('?' 'x')`, false))
	assert.Empty(t, Parser{}.Advice(`INSERT INTO t (a) VALUES ($1) x`, false))
}
