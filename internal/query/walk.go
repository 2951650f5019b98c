package query

// Walk calls visit for every expression of the statements, operands and
// subqueries included, before their own operands: select and RETURNING
// items, filters, VALUES rows, assignments, FROM subqueries and function
// arguments, and the statements of WITH clauses. Dialect front-ends use it
// to fix up parameters and literals after lowering.
func Walk(stmts []Statement, visit func(Expr)) {
	w := walker{visit: visit}
	for _, s := range stmts {
		w.statement(s)
	}
}

// walker carries Walk's visit function through the statement.
type walker struct {
	visit func(Expr)
	// stmt, if set, is called for every statement before its parts.
	stmt func(Statement)
}

// statement visits a statement of any kind.
func (w walker) statement(s Statement) {
	if w.stmt != nil {
		w.stmt(s)
	}
	switch s := s.(type) {
	case *Select:
		w.selectStmt(s)
	case *Insert:
		w.ctes(s.With)
		for _, row := range s.Rows {
			w.exprs(row)
		}
		w.selectStmt(s.Query)
		w.assigns(s.OnConflict)
		w.exprs(s.ConflictFilters)
		w.items(s.Returning)
	case *Update:
		w.write(s.With, s.From, s.Set, s.Filters, s.Others, s.Returning)
	case *Delete:
		w.write(s.With, s.Using, nil, s.Filters, s.Others, s.Returning)
	}
}

// write visits an UPDATE (a DELETE has no SET): its CTEs, FROM (USING)
// items, assignments, filters, other expressions and RETURNING items.
func (w walker) write(with []CTE, from []From, set []Assign, filters, others []Expr, returning []Item) {
	w.ctes(with)
	w.froms(from)
	w.assigns(set)
	w.exprs(filters)
	w.exprs(others)
	w.items(returning)
}

// selectStmt visits a select, its CTEs, FROM items, set arms and VALUES rows.
func (w walker) selectStmt(s *Select) {
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
func (w walker) ctes(ctes []CTE) {
	for _, c := range ctes {
		w.statement(c.Query)
	}
}

// froms visits subqueries and function arguments in FROM.
func (w walker) froms(fs []From) {
	for _, f := range fs {
		switch f := f.(type) {
		case *SubqueryRef:
			w.selectStmt(f.Query)
		case *FuncRef:
			w.exprs(f.Args)
		}
	}
}

// items visits the expressions of a select or RETURNING list.
func (w walker) items(items []Item) {
	for _, it := range items {
		w.expr(it.Expr)
	}
}

// assigns visits the values of SET assignments.
func (w walker) assigns(as []Assign) {
	for _, a := range as {
		w.expr(a.Value)
	}
}

// exprs visits a list of expressions.
func (w walker) exprs(es []Expr) {
	for _, e := range es {
		w.expr(e)
	}
}

// expr visits an expression and its operands.
func (w walker) expr(e Expr) {
	if e == nil {
		return
	}
	w.visit(e)
	switch e := e.(type) {
	case *Cast:
		w.expr(e.X)
	case *NullTest:
		w.expr(e.X)
	case *Subquery:
		w.selectStmt(e.Query)
	case *Row:
		w.exprs(e.Items)
	case *Op:
		w.exprs(e.Args)
	}
}

// ClearPositions sets every position the front-end recorded for text
// rewriting (ColRef.At, Insert.ColumnAt and RowAt, Assign.ValueAt) to
// unknown, for tests that compare statements without them.
func ClearPositions(stmts []Statement) {
	MapPositions(stmts, func(int) int { return 0 })
	w := walker{
		visit: func(e Expr) {
			if o, ok := e.(*Op); ok {
				o.ArgAt = nil
			}
		},
		stmt: func(s Statement) {
			if ins, ok := s.(*Insert); ok {
				ins.ColumnAt, ins.RowAt = nil, nil
			}
		},
	}
	for _, s := range stmts {
		w.statement(s)
	}
}

// MapPositions replaces every known position (see ClearPositions) p with
// f(p), for a front-end whose parser read another text than the caller's;
// f returns 0 for a position it cannot map, which is then unknown.
func MapPositions(stmts []Statement, f func(int) int) {
	m := func(p int) int {
		if p == 0 {
			return 0
		}
		return f(p)
	}
	w := walker{
		visit: func(e Expr) {
			switch v := e.(type) {
			case *ColRef:
				v.At = m(v.At)
			case *Op:
				for i := range v.ArgAt {
					v.ArgAt[i] = m(v.ArgAt[i])
				}
			}
		},
		stmt: func(s Statement) {
			switch s := s.(type) {
			case *Insert:
				for i := range s.ColumnAt {
					s.ColumnAt[i] = m(s.ColumnAt[i])
				}
				for _, row := range s.RowAt {
					for i := range row {
						row[i] = m(row[i])
					}
				}
				mapAssigns(s.OnConflict, m)
			case *Update:
				mapAssigns(s.Set, m)
			}
		},
	}
	for _, s := range stmts {
		w.statement(s)
	}
}

func mapAssigns(as []Assign, m func(int) int) {
	for i := range as {
		as[i].ValueAt = m(as[i].ValueAt)
	}
}
