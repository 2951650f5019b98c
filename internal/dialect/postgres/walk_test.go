package postgres

import "github.com/sqlseal/sqlseal/internal/query"

// forEachLiteral calls f for every Literal in stmts, in lowering order.
func forEachLiteral(stmts []query.Statement, f func(*query.Literal)) {
	w := literalWalker{f: f}
	for _, s := range stmts {
		w.statement(s)
	}
}

// literalWalker visits every expression of the model.
type literalWalker struct{ f func(*query.Literal) }

func (w literalWalker) statement(s query.Statement) {
	switch s := s.(type) {
	case *query.Select:
		w.selectQuery(s)
	case *query.Insert:
		w.ctes(s.With)
		for _, r := range s.Rows {
			w.exprs(r)
		}
		w.selectQuery(s.Query)
		w.assigns(s.OnConflict)
		w.exprs(s.ConflictFilters)
		w.items(s.Returning)
	case *query.Update:
		w.ctes(s.With)
		w.assigns(s.Set)
		w.from(s.From)
		w.exprs(s.Filters)
		w.exprs(s.Others)
		w.items(s.Returning)
	case *query.Delete:
		w.ctes(s.With)
		w.from(s.Using)
		w.exprs(s.Filters)
		w.exprs(s.Others)
		w.items(s.Returning)
	}
}

func (w literalWalker) selectQuery(s *query.Select) {
	if s == nil {
		return
	}
	w.ctes(s.With)
	w.items(s.Items)
	w.from(s.From)
	w.exprs(s.Filters)
	w.exprs(s.Others)
	for _, a := range s.SetArms {
		w.selectQuery(a)
	}
	for _, r := range s.Values {
		w.exprs(r)
	}
}

func (w literalWalker) ctes(cs []query.CTE) {
	for _, c := range cs {
		w.statement(c.Query)
	}
}

func (w literalWalker) from(fs []query.From) {
	for _, f := range fs {
		switch f := f.(type) {
		case *query.SubqueryRef:
			w.selectQuery(f.Query)
		case *query.FuncRef:
			w.exprs(f.Args)
		}
	}
}

func (w literalWalker) items(is []query.Item) {
	for _, it := range is {
		w.expr(it.Expr)
	}
}

func (w literalWalker) assigns(as []query.Assign) {
	for _, a := range as {
		w.expr(a.Value)
	}
}

func (w literalWalker) exprs(es []query.Expr) {
	for _, e := range es {
		w.expr(e)
	}
}

func (w literalWalker) expr(e query.Expr) {
	switch e := e.(type) {
	case *query.Literal:
		w.f(e)
	case *query.Cast:
		w.expr(e.X)
	case *query.NullTest:
		w.expr(e.X)
	case *query.Subquery:
		w.selectQuery(e.Query)
	case *query.Row:
		w.exprs(e.Items)
	case *query.Op:
		w.exprs(e.Args)
	}
}
