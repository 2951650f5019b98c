package mysql

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

func TestParseGormInsert(t *testing.T) {
	got := mustParse(t, "INSERT INTO `metabase_database` (`name`,`details`) VALUES (?,?)")
	want := []query.Statement{&query.Insert{
		Table:   query.Table{Name: "metabase_database"},
		Columns: []string{"name", "details"},
		Rows:    [][]query.Expr{{&query.Param{Ordinal: 1}, &query.Param{Ordinal: 2}}},
	}}
	assert.Equal(t, want, got)
}

func TestParseStatements(t *testing.T) {
	runRenderCases(t, []renderCase{
		// INSERT and REPLACE.
		{"multi-row values", "INSERT INTO metabase_database (name, details) VALUES (?, ?), (?, NULL), (DEFAULT, ?)",
			"insert{metabase_database cols=[name details] rows=[[$1, $2] [$3, NULL] [DEFAULT, $4]]}"},
		{"VALUE keyword", "INSERT metabase_database (details) VALUE (?)",
			"insert{metabase_database cols=[details] rows=[[$1]]}"},
		{"no column list", "INSERT INTO metabase_database VALUES (?, ?)",
			"insert{metabase_database rows=[[$1, $2]]}"},
		{"insert set", "INSERT INTO metabase_database SET name = ?, details = ?",
			"insert{metabase_database cols=[name details] rows=[[$1, $2]]}"},
		{"upsert with VALUES()", "INSERT INTO metabase_database (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details)",
			"insert{metabase_database cols=[id details] rows=[[$1, $2]] upsert=[details=excluded(details)]}"},
		{"upsert with param", "INSERT INTO metabase_database (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = ?, metabase_database.name = 'x'",
			`insert{metabase_database cols=[id details] rows=[[$1, $2]] upsert=[details=$3, metabase_database.name="x"@120:123]}`},
		{"upsert with function", "INSERT INTO t (details) VALUES (?) ON DUPLICATE KEY UPDATE details = CONCAT(details, VALUES(details))",
			"insert{t cols=[details] rows=[[$1]] upsert=[details=op[function concat](details, excluded(details))]}"},
		{"replace", "REPLACE INTO metabase_database (id, details) VALUES (?, ?)",
			"insert{metabase_database cols=[id details] rows=[[$1, $2]]}"},
		{"replace set", "REPLACE metabase_database SET details = ?",
			"insert{metabase_database cols=[details] rows=[[$1]]}"},
		{"insert ignore", "INSERT IGNORE INTO metabase_database (details) VALUES (?)",
			"insert{metabase_database cols=[details] rows=[[$1]]}"},
		{"insert select", "INSERT INTO copy (details) SELECT details FROM metabase_database",
			"insert{copy cols=[details] query=select{from=[metabase_database] items=[details]}}"},
		{"insert select with param and function", "INSERT INTO copy (a, b) SELECT ?, UPPER(details) FROM metabase_database WHERE id = ?",
			"insert{copy cols=[a b] query=select{from=[metabase_database] items=[$1, op[function upper](details)] filters=[op[operator =](id, $2)]}}"},
		{"insert values row", "INSERT INTO metabase_database (name, details) VALUES ROW(?, ?), ROW('x', NULL)",
			`insert{metabase_database cols=[name details] rows=[[$1, $2] ["x"@68:71, NULL]]}`},
		{"insert values row ordered", "INSERT INTO metabase_database (details) VALUES ROW(?) ORDER BY 1",
			"insert{metabase_database cols=[details] query=select{others=[op[position reference]()] values=[[$1]]}}"},
		{"insert table", "INSERT INTO copy TABLE metabase_database",
			"insert{copy query=select{from=[metabase_database] items=[*]}}"},
		{"insert function", "INSERT INTO metabase_database (details) VALUES (UPPER(?))",
			"insert{metabase_database cols=[details] rows=[[op[function upper]($1)]]}"},
		{"insert concat", "INSERT INTO metabase_database (details) VALUES (CONCAT(details, ?))",
			"insert{metabase_database cols=[details] rows=[[op[function concat](details, $1)]]}"},
		{"insert operator", "INSERT INTO metabase_database (details) VALUES (? || 'x')",
			`insert{metabase_database cols=[details] rows=[[op[operator OR]($1, "x"@53:56)]]}`},
		{"insert cast", "INSERT INTO metabase_database (details) VALUES (CAST(? AS CHAR)), (CONVERT(?, CHAR)), (CAST(? AS CHAR(5))), (CAST(? AS JSON))",
			"insert{metabase_database cols=[details] rows=[[cast($1 as char text)] [cast($2 as char text)] [cast($3 as char(5))] [cast($4 as json)]]}"},
		{"insert subquery", "INSERT INTO metabase_database (details) VALUES ((SELECT details FROM other LIMIT 1))",
			"insert{metabase_database cols=[details] rows=[[subquery(select{from=[other] items=[details] others=[1]})]]}"},
		{"insert user variable", "INSERT INTO metabase_database (details) VALUES (@secret)",
			"insert{metabase_database cols=[details] rows=[[op[variable]()]]}"},
		{"insert DEFAULT(col)", "INSERT INTO metabase_database (details) VALUES (DEFAULT(details))",
			"insert{metabase_database cols=[details] rows=[[op[function DEFAULT](details)]]}"},

		// Identifiers fold to lower case.
		{"mixed case", "INSERT INTO MyDb.`Metabase_Database` (`NAME`, Details) VALUES (?, ?)",
			"insert{mydb.metabase_database cols=[name details] rows=[[$1, $2]]}"},
		{"mixed case select", "SELECT T.Details AS D FROM MyDb.Metabase_DATABASE AS T",
			"select{from=[mydb.metabase_database AS t] items=[t.details AS d]}"},

		// UPDATE.
		{"update", "UPDATE metabase_database SET details = ?, name = NULL WHERE id = ?",
			"update{metabase_database set=[details=$1, name=NULL] filters=[op[operator =](id, $2)]}"},
		{"update order limit", "UPDATE metabase_database SET details = ? ORDER BY id LIMIT ?",
			"update{metabase_database set=[details=$1] others=[id, $2]}"},
		{"update alias", "UPDATE metabase_database AS m SET m.details = ?",
			"update{metabase_database AS m set=[m.details=$1]}"},
		{"update self reference", "UPDATE metabase_database SET details = details, name = DEFAULT",
			"update{metabase_database set=[details=details, name=DEFAULT]}"},
		{"update concat", "UPDATE metabase_database SET details = CONCAT(details, ?)",
			"update{metabase_database set=[details=op[function concat](details, $1)]}"},
		{"multi-table update", "UPDATE metabase_database a JOIN other b ON a.id = b.id SET a.details = ?, b.y = ? WHERE a.id = ?",
			"update{metabase_database AS a from=[other AS b] set=[a.details=$1, b.y=$2] filters=[op[operator =](a.id, b.id), op[operator =](a.id, $3)]}"},
		{"multi-table update comma", "UPDATE other, metabase_database SET metabase_database.details = other.details",
			"update{other from=[metabase_database] set=[metabase_database.details=other.details]}"},
		{"update with CTE", "WITH c AS (SELECT id FROM other) UPDATE metabase_database SET details = ? WHERE id IN (SELECT id FROM c)",
			"update{metabase_database set=[details=$1] filters=[op[IN subquery](id, subquery(select{from=[c] items=[id]}))]}"},

		// DELETE.
		{"delete", "DELETE FROM metabase_database WHERE id = ? ORDER BY id LIMIT 1",
			"delete{metabase_database filters=[op[operator =](id, $1)] others=[id, 1]}"},
		{"delete filter on protected", "DELETE FROM metabase_database WHERE details LIKE ?",
			"delete{metabase_database filters=[op[operator LIKE](details, $1)]}"},
		{"multi-table delete", "DELETE m FROM other o JOIN metabase_database m ON o.id = m.id WHERE o.x = ?",
			"delete{metabase_database AS m using=[other AS o] filters=[op[operator =](o.id, m.id), op[operator =](o.x, $1)]}"},
		{"multi-table delete using", "DELETE FROM a, b USING a JOIN b USING (id) JOIN c",
			"delete{a using=[b, c] filters=[op[join using](id)]}"},

		// SELECT.
		{"select where param", "SELECT id FROM metabase_database WHERE details = ?",
			"select{from=[metabase_database] items=[id] filters=[op[operator =](details, $1)]}"},
		{"select is null", "SELECT id FROM metabase_database WHERE details IS NOT NULL",
			"select{from=[metabase_database] items=[id] filters=[nulltest(details)]}"},
		{"select alias", "SELECT details AS d, name n, id 'i' FROM metabase_database",
			"select{from=[metabase_database] items=[details AS d, name AS n, id AS i]}"},
		{"select table alias", "SELECT m.details FROM metabase_database m",
			"select{from=[metabase_database AS m] items=[m.details]}"},
		{"select star", "SELECT * FROM metabase_database",
			"select{from=[metabase_database] items=[*]}"},
		{"select qualified star", "SELECT m.*, o.id FROM metabase_database m, db.other o",
			"select{from=[metabase_database AS m, db.other AS o] items=[m.*, o.id]}"},
		{"select schema qualified column", "SELECT db.m.details FROM db.metabase_database m",
			"select{from=[db.metabase_database AS m] items=[db.m.details]}"},
		{"select join", "SELECT m.details, o.x FROM metabase_database m LEFT JOIN other o ON o.id = m.id AND o.y = ? JOIN third USING (id, z) NATURAL JOIN fourth",
			"select{from=[metabase_database AS m, other AS o, third, fourth] items=[m.details, o.x] filters=[op[operator AND](op[operator =](o.id, m.id), op[operator =](o.y, $1)), op[join using](id, z), op[natural join]()]}"},
		{"select nested join", "SELECT * FROM a LEFT JOIN (b JOIN c ON b.x = c.x) ON a.y = b.y",
			"select{from=[a, b, c] items=[*] filters=[op[operator =](b.x, c.x), op[operator =](a.y, b.y)]}"},
		{"select subquery in from", "SELECT s.d FROM (SELECT details AS d FROM metabase_database) AS s",
			"select{from=[(select{from=[metabase_database] items=[details AS d]}) AS s] items=[s.d]}"},
		{"select lateral", "SELECT * FROM metabase_database m, LATERAL (SELECT m.details) AS l(d)",
			"select{from=[metabase_database AS m, lateral (select{items=[m.details]}) AS l(d)] items=[*]}"},
		{"select CTE", "WITH c (d) AS (SELECT details FROM metabase_database) SELECT d FROM c",
			"select{with=[c(d) AS select{from=[metabase_database] items=[details]}] from=[c] items=[d]}"},
		{"select recursive CTE", "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < ?) SELECT n FROM r",
			"select{with=[recursive r AS select{arms=[select{items=[1 AS n]} select{from=[r] items=[op[operator +](n, 1)] filters=[op[operator <](n, $1)]}]}] from=[r] items=[n]}"},
		{"select union", "SELECT details FROM metabase_database UNION SELECT ? UNION ALL (SELECT x FROM y ORDER BY x LIMIT 1) ORDER BY 1",
			"select{others=[op[position reference]()] arms=[select{from=[metabase_database] items=[details]} select{items=[$1]} select{from=[y] items=[x] others=[x, 1]}]}"},
		{"select except", "SELECT a FROM x EXCEPT SELECT a FROM y",
			"select{arms=[select{from=[x] items=[a]} select{from=[y] items=[a]}]}"},
		{"select scalar subquery", "SELECT (SELECT details FROM metabase_database LIMIT 1) AS d",
			"select{items=[subquery(select{from=[metabase_database] items=[details] others=[1]}) AS d]}"},
		{"select upper", "SELECT UPPER(?)",
			"select{items=[op[function upper]($1)]}"},
		{"select concat", "SELECT CONCAT(details, ?) FROM metabase_database",
			"select{from=[metabase_database] items=[op[function concat](details, $1)]}"},
		{"select casts", "SELECT CAST(details AS CHAR), CONVERT(details USING utf8mb4), BINARY details, CAST(details AS UNSIGNED) FROM metabase_database",
			"select{from=[metabase_database] items=[cast(details as char text), cast(details as char character set utf8mb4 text), cast(details as binary text), cast(details as bigint)]}"},
		{"select group having", "SELECT name, COUNT(*) FROM metabase_database GROUP BY name HAVING COUNT(*) > ?",
			"select{from=[metabase_database] items=[name, op[function count](1)] filters=[op[operator >](op[function count](1), $1)] others=[name]}"},
		{"select operators", "SELECT a BETWEEN ? AND 2, NOT a, -a, a IN (1, ?), a = ANY (SELECT b FROM c), EXISTS (SELECT 1), a IS TRUE, a REGEXP 'x'",
			`select{items=[op[operator BETWEEN](a, $1, 2), op[operator NOT](a), op[operator -](a), op[operator IN](a, 1, $2), op[operator = ANY](a, subquery(select{from=[c] items=[b]})), op[EXISTS](subquery(select{items=[1]})), op[operator IS TRUE](a), op[operator REGEXP](a, "x"@116:119)]}`},
		{"select case", "SELECT CASE WHEN a = ? THEN details ELSE NULL END FROM t",
			"select{from=[t] items=[op[CASE](op[operator =](a, $1), details, NULL)]}"},
		{"select json arrow", "SELECT details->>'$.host' FROM metabase_database",
			`select{from=[metabase_database] items=[op[function json_unquote](op[function json_extract](details, "$.host"@17:25))]}`},
		{"select window", "SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY ? ROWS ? PRECEDING) FROM t",
			"select{from=[t] items=[op[function row_number](a, $1, $2)]}"},
		{"select for update", "SELECT details FROM metabase_database WHERE id = ? FOR UPDATE",
			"select{from=[metabase_database] items=[details] filters=[op[operator =](id, $1)]}"},
		{"table statement", "TABLE metabase_database",
			"select{from=[metabase_database] items=[*]}"},
		{"values statement", "VALUES ROW(1, ?), ROW(?, NULL)",
			"select{values=[[1, $1] [$2, NULL]]}"},
		{"row constructor", "SELECT * FROM t WHERE (a, b) = (?, ?)",
			"select{from=[t] items=[*] filters=[op[operator =](row(a, b), row($1, $2))]}"},
		{"DATE literal", "SELECT DATE '2024-01-02'",
			`select{items=[op[DATE literal]("2024-01-02"@12:24)]}`},

		// Statements that are not modelled.
		{"load data", "LOAD DATA LOCAL INFILE '/tmp/x.csv' INTO TABLE Metabase_Database",
			"opaque{LOAD DATA writes=[metabase_database] reads=[]}"},
		{"create table select", "CREATE TABLE copy AS SELECT * FROM metabase_database",
			"opaque{CREATE TABLE AS writes=[copy] reads=[metabase_database]}"},
		{"create view", "CREATE VIEW v AS SELECT details FROM metabase_database",
			"opaque{CREATE VIEW writes=[] reads=[metabase_database]}"},
		{"explain analyze", "EXPLAIN ANALYZE SELECT * FROM metabase_database",
			"opaque{EXPLAIN ANALYZE writes=[] reads=[metabase_database]}"},
		{"prepare", "PREPARE s FROM 'UPDATE metabase_database SET details = ? WHERE id IN (SELECT id FROM other)'",
			"opaque{SQL-level PREPARE writes=[metabase_database other] reads=[metabase_database other]}"},
		{"prepare from variable", "PREPARE s FROM @sql",
			"opaque{SQL-level PREPARE writes=[] reads=[]}"},
		{"call execute", "CALL p(?); EXECUTE s USING @a",
			"opaque{CALL writes=[] reads=[]}; opaque{SQL-level EXECUTE writes=[] reads=[]}"},
		{"utility", "BEGIN; SET NAMES 'utf8mb4'; SET autocommit = ?; SHOW TABLES; CREATE TABLE t (details TEXT); ALTER TABLE t ADD x INT; DROP TABLE t; COMMIT; EXPLAIN SELECT * FROM t; USE db; DEALLOCATE PREPARE s; DO 1; CREATE TABLE t2 LIKE t",
			"utility; session; session; utility; utility; utility; utility; utility; utility; utility; utility; utility; ddl{fill t2.:1}"},
		{"DDL that moves values", "ALTER TABLE acc CHANGE tok tok_old TEXT, CHANGE name tok TEXT; RENAME TABLE a TO acc, b TO db2.c; " +
			"ALTER TABLE acc RENAME COLUMN name TO tok, RENAME TO acc2; ALTER TABLE acc ADD COLUMN tok TEXT DEFAULT 'x', MODIFY tok TEXT AS (name) STORED; " +
			"ALTER TABLE acc ALTER COLUMN tok SET DEFAULT 'x'; CREATE TABLE acc (id INT, tok TEXT DEFAULT NULL, n TEXT DEFAULT 'y'); ALTER TABLE acc ALTER COLUMN tok DROP DEFAULT",
			"ddl{rename acc.tok->tok_old rename acc.name->tok}; ddl{rename a->acc rename b->db2.c}; " +
				"ddl{rename acc->acc2 rename acc.name->tok}; ddl{fill acc.tok:1 fill acc.tok:2}; " +
				"ddl{fill acc.tok:1}; ddl{fill acc.n:1}; utility"},
		{"session changes", "SET sql_mode = 'ANSI'; SET SESSION sql_mode = 'TRADITIONAL'; SET NAMES gbk; SET NAMES utf8mb4; SET GLOBAL sql_mode = 'ANSI_QUOTES'; SET sql_mode = @m; SET character_set_client = 'big5'",
			"opaque{a setting that changes how SQL text is read writes=[] reads=[]}; session; opaque{a setting that changes how SQL text is read writes=[] reads=[]}; session; session; session; opaque{a setting that changes how SQL text is read writes=[] reads=[]}"},
		{"dynamic SQL the parser rejects", "EXECUTE IMMEDIATE CONCAT('INSERT INTO a', 'cc VALUES (1)')",
			"opaque{an anonymous code block writes=[] reads=[]}"},

		// Several statements in one text.
		{"multi-statement", "SELECT ?; INSERT INTO metabase_database (details) VALUES (?); UPDATE metabase_database SET details = ?",
			"select{items=[$1]}; insert{metabase_database cols=[details] rows=[[$2]]}; update{metabase_database set=[details=$3]}"},
		{"empty text", "  -- nothing\n", ""},
	})
}

func TestParseErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"syntax error", "SELECT * FROM metabase_database WHERE details = 'hunter2' AND", ErrSyntax},
		{"unterminated string", "INSERT INTO metabase_database (details) VALUES ('hunter2)", ErrSyntax},
		{"UPDATE ... RETURNING", "UPDATE metabase_database SET details = 'hunter2' RETURNING id", ErrSyntax},
		{"row alias", "INSERT INTO t (details) VALUES ('hunter2') AS new ON DUPLICATE KEY UPDATE details = new.details", ErrSyntax},
		{"second statement", "SELECT 1; SELEC 'hunter2'", ErrSyntax},
		{"versioned comment", "INSERT INTO metabase_database (details /*!99999 , name */) VALUES ('hunter2')", ErrUnsupported},
		{"MariaDB comment", "INSERT INTO metabase_database (name /*M!, details */) VALUES ('hunter2' /*M!, 'x' */)", ErrUnsupported},
		{"TiDB comment", "SELECT /*T![clustered_index] 'hunter2', */ 1 FROM metabase_database", ErrUnsupported},
		{"PREPARE of bad text", "PREPARE s FROM 'SELEC hunter2'", ErrUnsupported},
	})
}

func TestParseSyntaxErrorPosition(t *testing.T) {
	var p Parser
	_, err := p.Parse("SELECT 1;\nSELECT * FRM t WHERE x = 'secret'")
	require.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), "line 2")
	assert.NotContains(t, err.Error(), "secret")
}

func TestConditionalCommentsAllowedInUtility(t *testing.T) {
	got := mustParse(t, "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */; /*!40000 ALTER TABLE t DISABLE KEYS */")
	assert.Equal(t, "session; session", render(got))
}

func TestPlainExecutableCommentIsSQL(t *testing.T) {
	// MySQL and MariaDB always run /*! ... */ without a version, as the
	// parser does.
	got := mustParse(t, "INSERT INTO metabase_database (name /*! , details */) VALUES (? /*! , ? */)")
	assert.Equal(t, "insert{metabase_database cols=[name details] rows=[[$1, $2]]}", render(got))
}

func TestParseConcurrent(t *testing.T) {
	var p Parser
	sqls := []string{
		"INSERT INTO metabase_database (name, details) VALUES ('a', ?)",
		"SELECT m.details FROM metabase_database m WHERE id = ?",
		"UPDATE metabase_database SET details = 'x' WHERE id = ?",
	}
	want := make([]string, len(sqls))
	for i, s := range sqls {
		want[i] = render(mustParse(t, s))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*50)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				k := (g + i) % len(sqls)
				got, err := p.Parse(sqls[k])
				if err != nil {
					errs <- err
					return
				}
				if r := render(got); r != want[k] {
					errs <- errors.New("got " + r + ", want " + want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFoldIdent(t *testing.T) {
	dialecttest.CheckMapping(t, FoldIdent, map[string]string{
		"metabase_database":   "metabase_database",
		"Metabase_Database":   "metabase_database",
		"`Metabase_Database`": "metabase_database",
		"`we``ird`":           "we`ird",
		"DETAILS":             "details",
		"`":                   "`",
	})
	// A configured name folds to what the parser produces for the same name.
	stmts := mustParse(t, "SELECT `Details` FROM `MetaBase_DataBase`")
	sel := stmts[0].(*query.Select)
	assert.Equal(t, FoldIdent("`MetaBase_DataBase`"), sel.From[0].(*query.TableRef).Table.Name)
	assert.Equal(t, FoldIdent("Details"), sel.Items[0].Expr.(*query.ColRef).Name)
	assert.False(t, strings.ContainsAny(FoldIdent("ÄBC"), "ÄBC"))
}

// The token where the parser stopped is described by its kind, never by
// its text, which may be a secret.
func TestSyntaxErrorNear(t *testing.T) {
	cases := map[string]string{
		"INSERT INTO t (a) VALUES ('x' 'y' secret)": "syntax error at line 1 column 40, at a word (a keyword or a name)",
		"INSERT INTO t (a) VALUES (1 \"secret\")":   "syntax error at line 1 column 36, at a string constant",
		"INSERT INTO t (a) VALUES ('x' 4242)":       "syntax error at line 1 column 34, at a number",
		"INSERT INTO t (a) VALUES ('x' `secret`)":   "syntax error at line 1 column 38, at a quoted name",
		"INSERT INTO t (a) VALUES (:a)":             `syntax error at line 1 column 27, at the character ":"`,
		"INSERT INTO t (a) VALUES ('secret',":       "syntax error at line 1 column 35, at the end of the text",
	}
	var p Parser
	for sql, want := range cases {
		_, err := p.Parse(sql)
		var se *SyntaxError
		require.ErrorAs(t, err, &se, sql)
		assert.Equal(t, want, se.Cause(), sql)
		assert.NotContains(t, err.Error(), "secret", sql)
	}
}

// $1, $2, ... are names to MySQL: a text using them gets advice on
// MySQL's placeholders, whether it parsed or not.
func TestAdvice(t *testing.T) {
	var p Parser
	assert.Contains(t, p.Advice("INSERT INTO t (a, b) VALUES ($1, $2)", true), `sqlx.BindDriver("sqlseal-mysql", sqlx.QUESTION)`)
	assert.Contains(t, p.Advice("UPDATE t SET a = $1 WHERE", false), "write ? instead")
	for _, sql := range []string{
		"INSERT INTO t (a) VALUES (?)",
		"INSERT INTO t (a) VALUES ('$1')",
		"INSERT INTO t (a) VALUES (t.$1)",
		"INSERT INTO t (a) VALUES (`$1`)",
		"INSERT INTO t (a) VALUES (a$1) -- $1",
		"INSERT INTO t (a) VALUES ($a)",
	} {
		assert.Empty(t, p.Advice(sql, true), sql)
	}
}
