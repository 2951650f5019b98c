package mysql

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// mustParse parses sql and fails the test on error.
func mustParse(t *testing.T, sql string) []query.Statement {
	t.Helper()
	var p Parser
	stmts, err := p.Parse(sql)
	require.NoError(t, err, "parse %q", sql)
	return stmts
}

// render writes statements in a compact form for table-driven tests:
// $n is a Param, "v"@s:e a string Literal with its offsets, bare names
// are column references, op[name](args) is an Op.
func render(stmts []query.Statement) string {
	parts := make([]string, len(stmts))
	for i, s := range stmts {
		parts[i] = renderStmt(s)
	}
	return strings.Join(parts, "; ")
}

func renderStmt(s query.Statement) string {
	switch s := s.(type) {
	case *query.Select:
		return renderSelect(s)
	case *query.Insert:
		var b strings.Builder
		b.WriteString("insert{" + s.Table.String())
		if s.Alias != "" {
			b.WriteString(" AS " + s.Alias)
		}
		if s.Columns != nil {
			b.WriteString(" cols=[" + strings.Join(s.Columns, " ") + "]")
		}
		if s.Rows != nil {
			rows := make([]string, len(s.Rows))
			for i, r := range s.Rows {
				rows[i] = "[" + renderExprs(r) + "]"
			}
			b.WriteString(" rows=[" + strings.Join(rows, " ") + "]")
		}
		if s.Query != nil {
			b.WriteString(" query=" + renderSelect(s.Query))
		}
		if s.OnConflict != nil {
			b.WriteString(" upsert=[" + renderAssigns(s.OnConflict) + "]")
		}
		writeList(&b, "conflictfilters", s.ConflictFilters)
		writeItems(&b, s.Returning)
		return b.String() + "}"
	case *query.Update:
		var b strings.Builder
		b.WriteString("update{" + s.Table.String())
		if s.Alias != "" {
			b.WriteString(" AS " + s.Alias)
		}
		if s.From != nil {
			b.WriteString(" from=[" + renderFroms(s.From) + "]")
		}
		b.WriteString(" set=[" + renderAssigns(s.Set) + "]")
		writeList(&b, "filters", s.Filters)
		writeList(&b, "others", s.Others)
		writeItems(&b, s.Returning)
		return b.String() + "}"
	case *query.Delete:
		var b strings.Builder
		b.WriteString("delete{" + s.Table.String())
		if s.Alias != "" {
			b.WriteString(" AS " + s.Alias)
		}
		if s.Using != nil {
			b.WriteString(" using=[" + renderFroms(s.Using) + "]")
		}
		writeList(&b, "filters", s.Filters)
		writeList(&b, "others", s.Others)
		writeItems(&b, s.Returning)
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

func renderTables(ts []query.Table) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return "[" + strings.Join(parts, " ") + "]"
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
		ctes := make([]string, len(s.With))
		for i, c := range s.With {
			name := c.Name
			if c.Columns != nil {
				name += "(" + strings.Join(c.Columns, " ") + ")"
			}
			if c.Scope != query.ScopePrior {
				name = "recursive " + name
			}
			ctes[i] = name + " AS " + renderStmt(c.Query)
		}
		parts = append(parts, "with=["+strings.Join(ctes, " ")+"]")
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
		arms := make([]string, len(s.SetArms))
		for i, a := range s.SetArms {
			arms[i] = renderSelect(a)
		}
		parts = append(parts, "arms=["+strings.Join(arms, " ")+"]")
	}
	if s.Values != nil {
		rows := make([]string, len(s.Values))
		for i, r := range s.Values {
			rows[i] = "[" + renderExprs(r) + "]"
		}
		parts = append(parts, "values=["+strings.Join(rows, " ")+"]")
	}
	b.WriteString(strings.Join(parts, " "))
	return b.String() + "}"
}

// writeItems writes a RETURNING list, if there is one.
func writeItems(b *strings.Builder, items []query.Item) {
	if items != nil {
		b.WriteString(" returning=[" + renderItems(items) + "]")
	}
}

func renderItems(items []query.Item) string {
	parts := make([]string, len(items))
	for i, it := range items {
		switch {
		case it.Star && it.StarQualifier != "":
			parts[i] = it.StarQualifier + ".*"
		case it.Star:
			parts[i] = "*"
		default:
			parts[i] = renderExpr(it.Expr)
			if it.Alias != "" {
				parts[i] += " AS " + it.Alias
			}
		}
	}
	return strings.Join(parts, ", ")
}

func renderFroms(fs []query.From) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
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
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

func renderAssigns(as []query.Assign) string {
	parts := make([]string, len(as))
	for i, a := range as {
		col := a.Column
		if a.Qualifier != "" {
			col = a.Qualifier + "." + col
		}
		parts[i] = col + "=" + renderExpr(a.Value)
	}
	return strings.Join(parts, ", ")
}

func renderExprs(es []query.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = renderExpr(e)
	}
	return strings.Join(parts, ", ")
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
