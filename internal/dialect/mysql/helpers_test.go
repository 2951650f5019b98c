package mysql

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// mustParse parses sql and fails the test on error. The positions
// recorded for blind index rewrites are cleared (positions_test.go checks
// them).
func mustParse(t *testing.T, sql string) []query.Statement {
	t.Helper()
	var p Parser
	stmts, err := p.Parse(sql)
	require.NoError(t, err, "parse %q", sql)
	query.ClearPositions(stmts)
	return stmts
}

// parseCase is one SQL text and what parsing it must give.
type parseCase[W any] struct {
	name string
	sql  string
	want W
}

// renderCase wants the rendering of the statements the text lowers to.
type renderCase = parseCase[string]

// errCase wants an error wrapping want from Parse. The text's values hold
// hunter2, which the error must not quote.
type errCase = parseCase[error]

// forEachCase runs check on every case, as a subtest named after it.
func forEachCase[W any](t *testing.T, cases []parseCase[W], check func(t *testing.T, sql string, want W)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.sql, tc.want) })
	}
}

// runRenderCases parses every case and compares the rendering.
func runRenderCases(t *testing.T, cases []renderCase) {
	t.Helper()
	forEachCase(t, cases, func(t *testing.T, sql, want string) {
		assert.Equal(t, want, render(mustParse(t, sql)))
	})
}

// runErrCases parses every case and checks the error.
func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	forEachCase(t, cases, func(t *testing.T, sql string, want error) {
		var p Parser
		stmts, err := p.Parse(sql)
		require.Error(t, err)
		assert.Nil(t, stmts)
		assert.ErrorIs(t, err, want)
		assert.NotContains(t, err.Error(), "hunter2", "errors must not quote SQL values")
	})
}

// render writes statements in a compact form for table-driven tests:
// $n is a Param, "v"@s:e a string Literal with its offsets, bare names
// are column references, op[name](args) is an Op.
func render(stmts []query.Statement) string {
	return join(stmts, renderStmt, "; ")
}

// join renders each of xs with f and joins the results with sep.
func join[T any](xs []T, f func(T) string, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = f(x)
	}
	return strings.Join(parts, sep)
}

// renderRows renders VALUES rows.
func renderRows(rows [][]query.Expr) string {
	return join(rows, func(r []query.Expr) string { return "[" + renderExprs(r) + "]" }, " ")
}

func renderStmt(s query.Statement) string {
	switch s := s.(type) {
	case *query.Select:
		return renderSelect(s)
	case *query.Insert:
		b := startStmt("insert", s.Table, s.Alias)
		if s.Columns != nil {
			b.WriteString(" cols=[" + strings.Join(s.Columns, " ") + "]")
		}
		if s.Rows != nil {
			b.WriteString(" rows=[" + renderRows(s.Rows) + "]")
		}
		if s.Query != nil {
			b.WriteString(" query=" + renderSelect(s.Query))
		}
		if s.OnConflict != nil {
			b.WriteString(" upsert=[" + renderAssigns(s.OnConflict) + "]")
		}
		writeList(b, "conflictfilters", s.ConflictFilters)
		writeItems(b, s.Returning)
		return b.String() + "}"
	case *query.Update:
		b := startStmt("update", s.Table, s.Alias)
		writeFroms(b, "from", s.From)
		b.WriteString(" set=[" + renderAssigns(s.Set) + "]")
		writeWhereOn(b, s.Filters, s.Others, s.Returning)
		return b.String() + "}"
	case *query.Delete:
		b := startStmt("delete", s.Table, s.Alias)
		writeFroms(b, "using", s.Using)
		writeWhereOn(b, s.Filters, s.Others, s.Returning)
		return b.String() + "}"
	case *query.Opaque:
		return fmt.Sprintf("opaque{%s writes=%s reads=%s}", s.Kind, renderTables(s.Writes), renderTables(s.Reads))
	case *query.Utility:
		if s.Session {
			return "session"
		}
		return "utility"
	case *query.DDL:
		var parts []string
		for _, r := range s.Renames {
			parts = append(parts, "rename "+r.From.String()+"->"+r.To.String())
		}
		for _, r := range s.ColumnRenames {
			parts = append(parts, "rename "+r.Table.String()+"."+r.From+"->"+r.To)
		}
		for _, f := range s.Fills {
			parts = append(parts, fmt.Sprintf("fill %s.%s:%d", f.Table, f.Column, f.Source))
		}
		return "ddl{" + strings.Join(parts, " ") + "}"
	default:
		return fmt.Sprintf("?%T", s)
	}
}

// startStmt starts the rendering of a statement that writes table t.
func startStmt(kind string, t query.Table, alias string) *strings.Builder {
	b := &strings.Builder{}
	b.WriteString(kind + "{" + t.String())
	if alias != "" {
		b.WriteString(" AS " + alias)
	}
	return b
}

// writeFroms writes the FROM or USING list of an UPDATE or DELETE, if
// there is one.
func writeFroms(b *strings.Builder, name string, fs []query.From) {
	if fs != nil {
		b.WriteString(" " + name + "=[" + renderFroms(fs) + "]")
	}
}

// writeWhereOn writes what an UPDATE or DELETE has after its table and
// FROM list: filters, other expressions and RETURNING.
func writeWhereOn(b *strings.Builder, filters, others []query.Expr, returning []query.Item) {
	writeList(b, "filters", filters)
	writeList(b, "others", others)
	writeItems(b, returning)
}

func renderTables(ts []query.Table) string {
	return "[" + join(ts, query.Table.String, " ") + "]"
}

func writeList(b *strings.Builder, name string, es []query.Expr) {
	if es != nil {
		b.WriteString(" " + name + "=[" + renderExprs(es) + "]")
	}
}

func renderSelect(s *query.Select) string {
	var b strings.Builder
	b.WriteString("select{")
	var parts []string
	if s.With != nil {
		parts = append(parts, "with=["+join(s.With, renderCTE, " ")+"]")
	}
	if s.From != nil {
		parts = append(parts, "from=["+renderFroms(s.From)+"]")
	}
	if s.Items != nil {
		parts = append(parts, "items=["+renderItems(s.Items)+"]")
	}
	if s.Filters != nil {
		parts = append(parts, "filters=["+renderExprs(s.Filters)+"]")
	}
	if s.Others != nil {
		parts = append(parts, "others=["+renderExprs(s.Others)+"]")
	}
	if s.SetArms != nil {
		parts = append(parts, "arms=["+join(s.SetArms, renderSelect, " ")+"]")
	}
	if s.Values != nil {
		parts = append(parts, "values=["+renderRows(s.Values)+"]")
	}
	b.WriteString(strings.Join(parts, " "))
	return b.String() + "}"
}

func renderCTE(c query.CTE) string {
	name := c.Name
	if c.Columns != nil {
		name += "(" + strings.Join(c.Columns, " ") + ")"
	}
	if c.Scope != query.ScopePrior {
		name = "recursive " + name
	}
	return name + " AS " + renderStmt(c.Query)
}

// writeItems writes a RETURNING list, if there is one.
func writeItems(b *strings.Builder, items []query.Item) {
	if items != nil {
		b.WriteString(" returning=[" + renderItems(items) + "]")
	}
}

func renderItems(items []query.Item) string {
	return join(items, func(it query.Item) string {
		switch {
		case it.Star && it.StarQualifier != "":
			return it.StarQualifier + ".*"
		case it.Star:
			return "*"
		case it.Alias != "":
			return renderExpr(it.Expr) + " AS " + it.Alias
		default:
			return renderExpr(it.Expr)
		}
	}, ", ")
}

func renderFroms(fs []query.From) string {
	return join(fs, renderFrom, ", ")
}

func renderFrom(f query.From) string {
	var s, alias string
	var cols []string
	switch f := f.(type) {
	case *query.TableRef:
		s, alias, cols = f.Table.String(), f.Alias, f.ColumnAliases
	case *query.SubqueryRef:
		s, alias, cols = "("+renderSelect(f.Query)+")", f.Alias, f.ColumnAliases
		if f.Lateral {
			s = "lateral " + s
		}
	case *query.FuncRef:
		s, alias = "func("+renderExprs(f.Args)+")", f.Alias
	}
	if alias != "" {
		s += " AS " + alias
	}
	if cols != nil {
		s += "(" + strings.Join(cols, " ") + ")"
	}
	return s
}

func renderAssigns(as []query.Assign) string {
	return join(as, func(a query.Assign) string {
		col := a.Column
		if a.Qualifier != "" {
			col = a.Qualifier + "." + col
		}
		return col + "=" + renderExpr(a.Value)
	}, ", ")
}

func renderExprs(es []query.Expr) string {
	return join(es, renderExpr, ", ")
}

func renderExpr(e query.Expr) string {
	switch e := e.(type) {
	case *query.Param:
		return "$" + strconv.Itoa(e.Ordinal)
	case *query.Literal:
		if e.String {
			return fmt.Sprintf("%q@%d:%d", e.Value, e.Start, e.End)
		}
		return e.Value
	case *query.Null:
		return "NULL"
	case *query.Default:
		return "DEFAULT"
	case *query.ColRef:
		name := e.Name
		if e.Qualifier != "" {
			name = e.Qualifier + "." + name
		}
		if e.Schema != "" {
			name = e.Schema + "." + name
		}
		return name
	case *query.Excluded:
		return "excluded(" + e.Column + ")"
	case *query.Cast:
		text := ""
		if e.TextLike {
			text = " text"
		}
		return "cast(" + renderExpr(e.X) + " as " + e.Type + text + ")"
	case *query.NullTest:
		return "nulltest(" + renderExpr(e.X) + ")"
	case *query.Subquery:
		return "subquery(" + renderSelect(e.Query) + ")"
	case *query.Row:
		return "row(" + renderExprs(e.Items) + ")"
	case *query.Op:
		return "op[" + e.Name + "](" + renderExprs(e.Args) + ")"
	case nil:
		return "<nil>"
	default:
		return fmt.Sprintf("?%T", e)
	}
}

// collect walks any value of the query model depth first, in field order,
// and returns every *query.Param and *query.Literal it holds.
func collect(v any) []query.Expr {
	var out []query.Expr
	var walk func(r reflect.Value)
	walk = func(r reflect.Value) {
		switch r.Kind() {
		case reflect.Interface, reflect.Pointer:
			if r.IsNil() {
				return
			}
			switch x := r.Interface().(type) {
			case *query.Param:
				out = append(out, x)
				return
			case *query.Literal:
				out = append(out, x)
				return
			}
			walk(r.Elem())
		case reflect.Struct:
			for i := 0; i < r.NumField(); i++ {
				walk(r.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < r.Len(); i++ {
				walk(r.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
	return out
}
