package sqlite

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
)

// pgText translates the single statement of sql.
func pgText(t *testing.T, sql string) (string, error) {
	t.Helper()
	parts := splitStatements(mustLex(t, sql))
	require.Len(t, parts, 1)
	tr, err := translate(newStmt(sql, parts[0]))
	if err != nil {
		return "", err
	}
	return tr.pg, nil
}

func TestTranslate(t *testing.T) {
	// want: the PostgreSQL text of the SQLite text.
	runTextCases(t, []textCase[string]{
		{"names are quoted and folded, keywords kept",
			`SELECT Name, "Details", [Other Col], ` + "`Tick`" + ` FROM Metabase_Database`,
			`select "name" , "details" , "other col" , "tick" from "metabase_database"`},
		{"quotes inside names", `SELECT "a""b", [c"d]`, `select "a""b" , "c""d"`},
		{"parameters become $index", `SELECT ?, ?5, ?, :a, @b, $c, :a, #d`,
			`select $1 , $5 , $6 , $7 , $8 , $9 , $7 , $10`},
		{"comments are dropped, strings kept", "SELECT 'a''b' -- x\n, 'c\\d' /* y */", `select 'a''b' , 'c\d'`},
		{"adjacent strings are not concatenated", "SELECT 'a'\n'b'", `select 'a' "b"`},
		{"numbers and blobs as written", `SELECT 0x1F, 1_000, .5, 1e3, X'0A'`, `select 0x1F , 1_000 , .5 , 1e3 , X'0A'`},
		{"INSERT OR REPLACE", `INSERT OR REPLACE INTO t VALUES (1)`, `insert into "t" values ( 1 )`},
		{"INSERT OR IGNORE", `insert or ignore into t values (1)`, `insert into "t" values ( 1 )`},
		{"REPLACE INTO", `REPLACE INTO t (a) VALUES (?)`, `insert into "t" ( "a" ) values ( $1 )`},
		{"UPDATE OR ABORT", `UPDATE OR ABORT t SET a = 1`, `update "t" set "a" = 1`},
		{"upsert and RETURNING are PostgreSQL syntax",
			`INSERT INTO t (id, d) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET d = excluded.d RETURNING *`,
			`insert into "t" ( "id" , "d" ) values ( $1 , $2 ) on conflict ( "id" ) do update set "d" = "excluded" . "d" returning *`},
		{"== is =", `SELECT 1 WHERE a == b`, `select 1 where "a" = "b"`},
		{"IS and IS NOT compare null-safely", `SELECT a IS b, a IS NOT ?, a IS NULL, a IS NOT NULL, a IS TRUE, a IS NOT DISTINCT FROM b`,
			`select "a" is not distinct from "b" , "a" is distinct from $1 , "a" is null , "a" is not null , "a" is true , "a" is not distinct from "b"`},
		{"postfix NOT NULL", `SELECT a NOT NULL, NOT NULL, a ISNULL`, `select "a" is not null , not null , "a" isnull`},
		{"GLOB, REGEXP and MATCH operators", `SELECT a GLOB ?, a NOT REGEXP 'x', t MATCH 'y', a LIKE 'z' ESCAPE '\'`,
			`select "a" like $1 , "a" not like 'x' , "t" like 'y' , "a" like 'z' escape '\'`},
		{"keyword functions", `SELECT replace(a, 'b', 'c'), glob('*', a), like('a', b), if(a, 1, 2)`,
			`select "replace" ( "a" , 'b' , 'c' ) , "glob" ( '*' , "a" ) , "like" ( 'a' , "b" ) , "if" ( "a" , 1 , 2 )`},
		{"keywords next to a dot are names", `SELECT temp.t.key, new.end FROM temp.t`,
			`select "temp" . "t" . "key" , "new" . "end" from "temp" . "t"`},
		{"index hints are dropped", `SELECT * FROM t INDEXED BY i JOIN u NOT INDEXED`, `select * from "t" join "u"`},
		{"CAST by type affinity",
			`SELECT CAST(a AS VARCHAR(10)), CAST(a AS "text"), CAST(a AS INT), CAST(a AS DOUBLE PRECISION), CAST(a AS BLOB), CAST(a AS DECIMAL(10, 2)), CAST(a AS), CAST(CAST(a AS CLOB) AS CHARINT)`,
			`select cast ( "a" as text ) , cast ( "a" as text ) , cast ( "a" as bigint ) , cast ( "a" as float8 ) , cast ( "a" as bytea ) , cast ( "a" as numeric ) , cast ( "a" as numeric ) , cast ( cast ( "a" as text ) as bigint )`},
		{"LIMIT offset, count",
			`SELECT * FROM t LIMIT ?, ?`, `select * from "t" limit $2 offset $1`},
		{"LIMIT count OFFSET offset is kept",
			`SELECT * FROM t LIMIT 1 OFFSET 2`, `select * from "t" limit 1 offset 2`},
		{"nested LIMIT offset, count",
			`SELECT * FROM (SELECT * FROM t LIMIT 1, (SELECT 2 LIMIT 3, 4)) LIMIT 5, 6`,
			`select * from ( select * from "t" limit ( select 2 limit 4 offset 3 ) offset 1 ) limit 6 offset 5`},
		{"strings where only names fit",
			`SELECT 'a' AS 'b', x 'c', 'd'.e, f.'g' FROM 'h' JOIN 'i' USING ('j') WHERE x COLLATE 'nocase' = 'k'`,
			`select 'a' as "b" , "x" "c" , "d" . "e" , "f" . "g" from "h" join "i" using ( "j" ) where "x" collate "nocase" = 'k'`},
		{"string names in INSERT",
			`INSERT INTO 'main'.'t' AS 'a' ('x', "y") VALUES ('x', 'y')`,
			`insert into "main" . "t" as "a" ( "x" , "y" ) values ( 'x' , 'y' )`},
		{"string names in SET",
			`UPDATE t SET 'a' = 'a', ('b', c) = ('b', 1), d = f('e', 'g' = 1) WHERE 'h' = 1`,
			`update "t" set "a" = 'a' , ( "b" , "c" ) = ( 'b' , 1 ) , "d" = "f" ( 'e' , 'g' = 1 ) where 'h' = 1`},
		{"double-quoted strings in INSERT VALUES",
			`INSERT INTO t VALUES ("a", "it's", (SELECT "b" FROM u), "c".d, lower("e"), upper ("f"))`,
			`insert into "t" values ( 'a' , 'it''s' , ( select "b" from "u" ) , "c" . "d" , "lower" ( 'e' ) , "upper" ( 'f' ) )`},
		{"double-quoted names elsewhere in INSERT",
			`INSERT INTO "t" ("a") SELECT "b" FROM u UNION VALUES ("c") ON CONFLICT ("a") DO UPDATE SET "a" = "b"`,
			`insert into "t" ( "a" ) select "b" from "u" union values ( 'c' ) on conflict ( "a" ) do update set "a" = "b"`},
		{"true and false", `SELECT true, FALSE, "true"`, `select true , false , "true"`},
		{"operators stay apart", `SELECT a<-1, b|-2, c->>'$.x'`, `select "a" < - 1 , "b" | - 2 , "c" ->> '$.x'`},
		{"CREATE TABLE AS", `CREATE TEMP TABLE IF NOT EXISTS c AS SELECT * FROM t`,
			`create temp table if not exists "c" as select * from "t"`},
	}, func(t *testing.T, sql string) string {
		got, err := pgText(t, sql)
		require.NoError(t, err)
		return got
	})
}

func TestTranslateRejectsLongNames(t *testing.T) {
	long := strings.Repeat("n", 64)
	_, err := pgText(t, "SELECT * FROM "+long)
	require.True(t, errors.Is(err, ErrSyntax))
	require.NotContains(t, err.Error(), long)

	got, err := pgText(t, "SELECT * FROM "+long[:63])
	require.NoError(t, err)
	require.Equal(t, `select * from "`+long[:63]+`"`, got)
}

func TestAffinityType(t *testing.T) {
	CheckMapping(t, affinityType, map[string]string{
		"":                  "numeric",
		"TEXT":              "text",
		"varchar(255)":      "text",
		"NATIVE CHARACTER":  "text",
		"CLOB":              "text",
		"TE XT":             "numeric",
		"INTEGER":           "bigint",
		"BIGINT":            "bigint",
		"POINT":             "bigint", // contains INT
		"CHARINT":           "bigint", // INT wins, as in SQLite
		"BLOB":              "bytea",
		"TEXTBLOB":          "text", // BLOB only applies to NUMERIC or REAL
		"REAL":              "float8",
		"FLOATING POINT":    "bigint",
		"DOUBLE PRECISION":  "float8",
		"DECIMAL(10,5)":     "numeric",
		"BOOLEAN":           "numeric",
		"STRING":            "numeric",
		`"varchar"`:         "text",
		"DOUBLE PRECISION ": "float8",
	})
}
