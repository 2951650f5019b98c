package mysql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sqlseal/sqlseal/internal/query"
)

// statement lowers one statement. Statements that move table data but are
// not modelled become Opaque, listing the tables they may write and read;
// statements that move no table data become Utility.
func (l *lowerer) statement(n ast.StmtNode) query.Statement {
	switch n := n.(type) {
	case *ast.SelectStmt:
		return l.selectStmt(n)
	case *ast.SetOprStmt:
		return l.setOpr(n)
	case *ast.InsertStmt:
		return l.insert(n)
	case *ast.UpdateStmt:
		return l.update(n)
	case *ast.DeleteStmt:
		return l.delete(n)
	case *ast.LoadDataStmt:
		return &query.Opaque{What: "LOAD DATA", Writes: tableList(n.Table)}
	case *ast.ImportIntoStmt:
		return &query.Opaque{What: "IMPORT INTO", Writes: tableList(n.Table), Reads: tablesIn(n.Select)}
	case *ast.CreateTableStmt:
		if n.Select == nil {
			return &query.Utility{}
		}
		return &query.Opaque{What: "CREATE TABLE ... SELECT", Writes: tableList(n.Table), Reads: tablesIn(n.Select)}
	case *ast.CreateViewStmt:
		// A view over a protected column would let later statements read
		// and write it under another name.
		return &query.Opaque{What: "CREATE VIEW", Reads: tablesIn(n.Select)}
	case *ast.ExplainStmt:
		if !n.Analyze {
			return &query.Utility{}
		}
		return executes("EXPLAIN ANALYZE", n.Stmt)
	case *ast.TraceStmt:
		return executes("TRACE", n.Stmt)
	case *ast.NonTransactionalDMLStmt:
		return executes("BATCH", n.DMLStmt)
	case *ast.CallStmt:
		return &query.Opaque{What: "CALL"}
	case *ast.ExecuteStmt:
		return &query.Opaque{What: "EXECUTE"}
	case *ast.BinlogStmt:
		return &query.Opaque{What: "BINLOG"}
	case *ast.PrepareStmt:
		return l.prepare(n)
	default:
		return &query.Utility{}
	}
}

// tableList is the one table t, or none when t is nil.
func tableList(t *ast.TableName) []query.Table {
	if t == nil {
		return nil
	}
	return []query.Table{table(t)}
}

// executes is the Opaque form of a statement that runs the statement
// inner: a query reads its tables, anything else may also write them.
func executes(what string, inner ast.Node) *query.Opaque {
	tables := tablesIn(inner)
	switch inner.(type) {
	case *ast.SelectStmt, *ast.SetOprStmt:
		return &query.Opaque{What: what, Reads: tables}
	}
	return &query.Opaque{What: what, Writes: tables, Reads: tables}
}

// prepare lowers PREPARE name FROM '...': the prepared text is parsed and
// every table it names is listed as written and read, since EXECUTE runs
// it later with arguments this front-end never sees. PREPARE name FROM
// @var names no table.
func (l *lowerer) prepare(n *ast.PrepareStmt) query.Statement {
	op := &query.Opaque{What: "PREPARE"}
	text := n.SQLText
	if n.SQLVar == nil {
		text = l.sites.name(text)
	}
	if text == "" {
		return op
	}
	stmts, err := parseAST(text)
	if err != nil {
		l.fail("PREPARE of text the parser rejects")
		return op
	}
	seen := map[query.Table]bool{}
	for _, s := range stmts {
		for _, t := range tablesIn(s) {
			if !seen[t] {
				seen[t] = true
				op.Writes = append(op.Writes, t)
			}
		}
	}
	op.Reads = op.Writes
	return op
}
