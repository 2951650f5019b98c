package sqlite

import "github.com/sqlseal/sqlseal/internal/query"

// walker visits every parameter and literal of lowered statements:
// statements, CTEs, selects, FROM items, select and RETURNING items,
// expressions and assignments.
type walker struct {
	param   func(*query.Param)
	literal func(*query.Literal)
}

// statement visits a statement of any kind.
func (w walker) statement(s query.Statement) {
	switch s := s.(type) {
	case *query.Select:
		w.selectStmt(s)
	case *query.Insert:
		w.ctes(s.With)
		for _, row := range s.Rows {
			w.exprs(row)
		}
		w.selectStmt(s.Query)
		w.assigns(s.OnConflict)
		w.exprs(s.ConflictFilters)
		w.items(s.Returning)
	case *query.Update:
		w.ctes(s.With)
		w.froms(s.From)
		w.assigns(s.Set)
		w.exprs(s.Filters)
		w.exprs(s.Others)
		w.items(s.Returning)
	case *query.Delete:
		w.ctes(s.With)
		w.froms(s.Using)
		w.exprs(s.Filters)
		w.exprs(s.Others)
		w.items(s.Returning)
	}
}

// selectStmt visits a select, its CTEs, FROM items, set arms and VALUES rows.
func (w walker) selectStmt(s *query.Select) {
	if s == nil {
		return
	}
	w.ctes(s.With)
	w.froms(s.From)
	w.items(s.Items)
	w.exprs(s.Filters)
	w.exprs(s.Others)
	for _, arm := range s.SetArms {
		w.selectStmt(arm)
	}
	for _, row := range s.Values {
		w.exprs(row)
	}
}

// ctes visits the queries of a WITH clause.
func (w walker) ctes(ctes []query.CTE) {
	for _, c := range ctes {
		w.statement(c.Query)
	}
}

// froms visits subqueries and function arguments in FROM.
func (w walker) froms(fs []query.From) {
	for _, f := range fs {
		switch f := f.(type) {
		case *query.SubqueryRef:
			w.selectStmt(f.Query)
		case *query.FuncRef:
			w.exprs(f.Args)
		}
	}
}

// items visits the expressions of a select or RETURNING list.
func (w walker) items(items []query.Item) {
	for _, it := range items {
		w.expr(it.Expr)
	}
}

// assigns visits the values of SET assignments.
func (w walker) assigns(as []query.Assign) {
	for _, a := range as {
		w.expr(a.Value)
	}
}

// exprs visits a list of expressions.
func (w walker) exprs(es []query.Expr) {
	for _, e := range es {
		w.expr(e)
	}
}

// expr visits an expression and its operands.
func (w walker) expr(e query.Expr) {
	switch e := e.(type) {
	case *query.Param:
		w.param(e)
	case *query.Literal:
		w.literal(e)
	case *query.Cast:
		w.expr(e.X)
	case *query.NullTest:
		w.expr(e.X)
	case *query.Subquery:
		w.selectStmt(e.Query)
	case *query.Row:
		w.exprs(e.Items)
	case *query.Op:
		w.exprs(e.Args)
	}
}
