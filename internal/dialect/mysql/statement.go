package mysql

import (
	"strings"

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
	case *ast.SetStmt:
		if changesQuoting(n) {
			return &query.Opaque{What: "SET sql_mode"}
		}
		return &query.Utility{}
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

// changesQuoting reports whether a SET may turn on an SQL mode that changes
// how the server reads literals and identifiers (ANSI_QUOTES,
// NO_BACKSLASH_ESCAPES, or ANSI, which includes ANSI_QUOTES): the parser
// here reads the default mode only, so it would no longer see the
// statements as the server does. A value that is not a plain string
// literal cannot be checked and counts as changing it.
func changesQuoting(n *ast.SetStmt) bool {
	for _, v := range n.Variables {
		if !v.IsSystem || !strings.EqualFold(v.Name, "sql_mode") {
			continue
		}
		lit, ok := v.Value.(ast.ValueExpr)
		if !ok {
			return true
		}
		mode, ok := lit.GetValue().(string)
		if !ok {
			return true
		}
		for _, m := range strings.Split(strings.ToUpper(mode), ",") {
			switch strings.TrimSpace(m) {
			case "ANSI", "ANSI_QUOTES", "NO_BACKSLASH_ESCAPES":
				return true
			}
		}
	}
	return false
}
