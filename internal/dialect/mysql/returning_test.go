package mysql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

func TestParseGormInsertReturning(t *testing.T) {
	// gorm.io/driver/mysql on MariaDB 10.5+.
	got := mustParse(t, "INSERT INTO `t` (`name`,`details`) VALUES (?,?) RETURNING `id`")
	want := []query.Statement{&query.Insert{
		Table:     query.Table{Name: "t"},
		Columns:   []string{"name", "details"},
		Rows:      [][]query.Expr{{&query.Param{Ordinal: 1}, &query.Param{Ordinal: 2}}},
		Returning: []query.Item{{Expr: &query.ColRef{Name: "id"}}},
	}}
	assert.Equal(t, want, got)
}

func TestParseReturning(t *testing.T) {
	runRenderCases(t, []renderCase{
		{"columns", "INSERT INTO t (name, details) VALUES (?, ?) RETURNING id, details",
			"insert{t cols=[name details] rows=[[$1, $2]] returning=[id, details]}"},
		{"star", "INSERT INTO t (name, details) VALUES (?, ?) RETURNING *",
			"insert{t cols=[name details] rows=[[$1, $2]] returning=[*]}"},
		{"qualified and aliased", "INSERT INTO t (details) VALUES (?) RETURNING t.id AS `key`, t.*, details d, UPPER(name) AS n",
			"insert{t cols=[details] rows=[[$1]] returning=[t.id AS key, t.*, details AS d, op[function upper](name) AS n]}"},
		{"schema-qualified target", "INSERT INTO app.t (details) VALUES (?) RETURNING app.t.details",
			"insert{app.t cols=[details] rows=[[$1]] returning=[app.t.details]}"},
		{"lower-case keyword", "insert into t (details) values (?) returning details",
			"insert{t cols=[details] rows=[[$1]] returning=[details]}"},
		{"replace", "REPLACE INTO t (id, details) VALUES (?, ?) RETURNING details",
			"insert{t cols=[id details] rows=[[$1, $2]] returning=[details]}"},
		{"insert set", "INSERT INTO t SET name = ?, details = ? RETURNING id",
			"insert{t cols=[name details] rows=[[$1, $2]] returning=[id]}"},
		{"insert select", "INSERT INTO t (details) SELECT details FROM u WHERE u.id = ? RETURNING id",
			"insert{t cols=[details] query=select{from=[u] items=[details] filters=[op[operator =](u.id, $1)]} returning=[id]}"},
		{"upsert", "INSERT INTO t (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details) RETURNING id, details",
			"insert{t cols=[id details] rows=[[$1, $2]] upsert=[details=excluded(details)] returning=[id, details]}"},
		{"delete", "DELETE FROM t WHERE id = ? RETURNING details",
			"delete{t filters=[op[operator =](id, $1)] returning=[details]}"},
		{"delete ordered and limited", "DELETE FROM t WHERE id > ? ORDER BY id LIMIT 2 RETURNING id, details",
			"delete{t filters=[op[operator >](id, $1)] others=[id, 2] returning=[id, details]}"},
		{"subquery in the list", "DELETE FROM t WHERE id = ? RETURNING (SELECT details FROM u WHERE u.id = t.id) AS d",
			"delete{t filters=[op[operator =](id, $1)] returning=[subquery(select{from=[u] items=[details] filters=[op[operator =](u.id, t.id)]}) AS d]}"},
		{"parentheses in values and list", "INSERT INTO t (details) VALUES ((?)) RETURNING (id), CONCAT(name, (details))",
			"insert{t cols=[details] rows=[[$1]] returning=[id, op[function concat](name, details)]}"},
		{"comments", "INSERT INTO t (details) VALUES (?) /* returning x */ RETURNING /* c */ id -- trailing",
			"insert{t cols=[details] rows=[[$1]] returning=[id]}"},
		{"hash comment at the end", "DELETE FROM t RETURNING id # trailing",
			"delete{t returning=[id]}"},
		{"returning as a quoted name", "INSERT INTO t (`returning`, details) VALUES (?, ?) RETURNING `returning`",
			"insert{t cols=[returning details] rows=[[$1, $2]] returning=[returning]}"},
		{"returning after a dot or @", "DELETE FROM t WHERE t.returning = @returning RETURNING id",
			"delete{t filters=[op[operator =](t.returning, op[variable]())] returning=[id]}"},
		{"returning in parentheses", "INSERT INTO t (details) SELECT s.returning FROM (SELECT 1 AS returning) AS s RETURNING id",
			"insert{t cols=[details] query=select{from=[(select{items=[1 AS returning]}) AS s] items=[s.returning]} returning=[id]}"},
		{"returning in a string", `INSERT INTO t (details) VALUES ('RETURNING x', "returning") RETURNING id`,
			`insert{t cols=[details] rows=[["RETURNING x"@32:45, "returning"@47:58]] returning=[id]}`},
		{"string in the list", `INSERT INTO t (details) VALUES (?) RETURNING CONCAT(name, 'x') AS 'y'`,
			`insert{t cols=[details] rows=[[$1]] returning=[op[function concat](name, "x"@58:61) AS y]}`},
	})
}

// TestReturningSpans checks that literals before and in a RETURNING list
// point at their tokens in the original text.
func TestReturningSpans(t *testing.T) {
	sql := "INSERT INTO t (name, details) VALUES ('n', _utf8mb4'{\"k\":\"returning\"}') RETURNING id, 'lit' AS l, X'41'"
	stmts := mustParse(t, sql)
	require.Len(t, stmts, 1)
	ins := stmts[0].(*query.Insert)
	var spans, values []string
	for _, e := range collect(ins) {
		lit, ok := e.(*query.Literal)
		require.True(t, ok, "want *query.Literal, got %s", renderExpr(e))
		spans = append(spans, sql[lit.Start:lit.End])
		values = append(values, lit.Value)
	}
	assert.Equal(t, []string{`'n'`, `_utf8mb4'{"k":"returning"}'`, `'lit'`, `X'41'`}, spans)
	assert.Equal(t, []string{"n", `{"k":"returning"}`, "lit", "A"}, values)
}

func TestReturningMultiStatement(t *testing.T) {
	sql := "INSERT INTO t (name) VALUES (?) RETURNING id; ; " +
		"UPDATE t SET name = ? WHERE id = ?;\n" +
		"INSERT INTO t (details) VALUES ('a;b') RETURNING details;" +
		"DELETE FROM t WHERE id = ? RETURNING details; SELECT ?"
	at := strings.Index(sql, "'a;b'")
	assert.Equal(t, "insert{t cols=[name] rows=[[$1]] returning=[id]}; "+
		"update{t set=[name=$2] filters=[op[operator =](id, $3)]}; "+
		fmt.Sprintf(`insert{t cols=[details] rows=[["a;b"@%d:%d]] returning=[details]}; `, at, at+5)+
		"delete{t filters=[op[operator =](id, $4)] returning=[details]}; "+
		"select{items=[$5]}",
		render(mustParse(t, sql)))
}

// TestReturningWithParameters: a ? in a RETURNING list makes its statement
// Opaque, and the placeholders of the other statements keep their
// ordinals in the whole text.
func TestReturningWithParameters(t *testing.T) {
	sql := "INSERT INTO t (name, details) VALUES (?, ?) RETURNING id = ?, details; INSERT INTO u (details) VALUES (?) RETURNING id"
	assert.Equal(t, "opaque{a statement sqlseal does not analyse writes=[t] reads=[t]}; insert{u cols=[details] rows=[[$4]] returning=[id]}",
		render(mustParse(t, sql)))
	assert.Equal(t, "opaque{a statement sqlseal does not analyse writes=[t] reads=[t]}",
		render(mustParse(t, "DELETE FROM t WHERE id = ? RETURNING IF(id = ?, details, NULL)")))
}

// TestReturningMySQLNames: a text the parser accepts as it is keeps the
// meaning it has in MySQL, where returning is not a reserved word.
func TestReturningMySQLNames(t *testing.T) {
	assert.Equal(t, "insert{t cols=[returning] rows=[[$1]]}", render(mustParse(t, "INSERT INTO t SET returning = ?")))
	assert.Equal(t, "delete{t filters=[op[operator =](returning, $1)]}", render(mustParse(t, "DELETE FROM t WHERE returning = ?")))
}

func TestReturningErrors(t *testing.T) {
	runErrCases(t, []errCase{
		{"empty list", "INSERT INTO t (details) VALUES ('hunter2') RETURNING", ErrSyntax},
		{"FROM in the list", "INSERT INTO t (details) VALUES ('hunter2') RETURNING details FROM u", ErrSyntax},
		{"WHERE in the list", "DELETE FROM t RETURNING details WHERE details = 'hunter2'", ErrSyntax},
		{"INTO in the list", "INSERT INTO t (details) VALUES ('hunter2') RETURNING details INTO @x", ErrSyntax},
		{"syntax error before", "INSERT INTO t (details) VALUES ('hunter2' RETURNING id", ErrSyntax},
		{"UPDATE", "UPDATE t SET details = 'hunter2' RETURNING id", ErrSyntax},
		{"multi-table DELETE", "DELETE t FROM t JOIN u ON t.id = u.id WHERE u.x = 'hunter2' RETURNING t.id", ErrUnsupported},
		{"keyword in an executable comment", "INSERT INTO t (details) VALUES ('hunter2') /*! RETURNING id */", ErrUnsupported},
		{"list in an unterminated executable comment", "INSERT INTO t (details) VALUES ('hunter2') RETURNING /*! id", ErrUnsupported},
		{"vendor comment in the list", "INSERT INTO t (details) VALUES ('hunter2') RETURNING id /*M! , details */", ErrUnsupported},
	})
}

func TestScanReturning(t *testing.T) {
	tests := []struct {
		sql  string
		want []string // the list of each clause found, sql[List:End]
	}{
		{"INSERT INTO t VALUES (1) RETURNING id", []string{" id"}},
		{"INSERT INTO t VALUES (1) RETURNING id; DELETE FROM t RETURNING a, b ;", []string{" id", " a, b "}},
		{"SELECT 1 returning; UPDATE t SET a = 1 RETURNING a", nil},
		{"INSERT INTO t (returning) VALUES (1)", nil},
		{"INSERT INTO t (`returning`) VALUES ('returning') -- returning", nil},
		{"DELETE FROM t WHERE t.returning = @returning OR @@returning", nil},
		{"/* c */ REPLACE t SET a = 1 returning x returning y", []string{" x returning y"}},
		{"INSERT INTO t VALUES (1) RETURNING id /* ; */ '; '", []string{" id /* ; */ '; '"}},
	}
	for _, tc := range tests {
		var got []string
		for _, st := range scan(tc.sql).stmts {
			if st.ret != nil {
				assert.Equal(t, "returning", strings.ToLower(tc.sql[st.ret.Start:st.ret.List]), tc.sql)
				got = append(got, tc.sql[st.ret.List:st.ret.End])
			}
		}
		assert.Equal(t, tc.want, got, tc.sql)
	}
}
