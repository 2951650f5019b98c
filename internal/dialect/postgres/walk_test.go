package postgres

import "github.com/sqlseal/sqlseal/internal/query"

// forEachLiteral calls f for every Literal in stmts, in lowering order.
func forEachLiteral(stmts []query.Statement, f func(*query.Literal)) {
	query.Walk(stmts, func(e query.Expr) {
		if l, ok := e.(*query.Literal); ok {
			f(l)
		}
	})
}
