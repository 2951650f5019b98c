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
	case *ast.SelectStmt, *ast.SetOprStmt:
		return l.query(n)
	case *ast.InsertStmt:
		return l.insert(n)
	case *ast.UpdateStmt:
		return l.update(n)
	case *ast.DeleteStmt:
		return l.delete(n)
	case *ast.LoadDataStmt:
		return &query.Opaque{Kind: query.OpaqueLoadData, Writes: tableList(n.Table)}
	case *ast.ImportIntoStmt:
		return &query.Opaque{Kind: query.OpaqueImportInto, Writes: tableList(n.Table), Reads: tablesIn(n.Select)}
	case *ast.CreateTableStmt:
		if n.Select == nil {
			return ddl(n)
		}
		return &query.Opaque{Kind: query.OpaqueCreateTableAs, Writes: tableList(n.Table), Reads: tablesIn(n.Select)}
	case *ast.AlterTableStmt, *ast.RenameTableStmt:
		return ddl(n)
	case *ast.CreateViewStmt:
		// A view over a protected column would let later statements read
		// and write it under another name.
		return &query.Opaque{Kind: query.OpaqueCreateView, Reads: tablesIn(n.Select)}
	case *ast.ExplainStmt:
		if !n.Analyze {
			return &query.Utility{}
		}
		return executes(query.OpaqueExplainAnalyze, n.Stmt)
	case *ast.TraceStmt:
		return executes(query.OpaqueTrace, n.Stmt)
	case *ast.NonTransactionalDMLStmt:
		return executes(query.OpaqueBatch, n.DMLStmt)
	case *ast.CallStmt:
		return &query.Opaque{Kind: query.OpaqueCall}
	case *ast.ExecuteStmt:
		return &query.Opaque{Kind: query.OpaqueExecute}
	case *ast.BinlogStmt:
		return &query.Opaque{Kind: query.OpaqueBinlog}
	case *ast.PrepareStmt:
		return l.prepare(n)
	case *ast.SetStmt:
		if changesReading(n) {
			return &query.Opaque{Kind: query.OpaqueReading}
		}
		return &query.Utility{Session: true}
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
func executes(kind query.OpaqueKind, inner ast.Node) *query.Opaque {
	tables := tablesIn(inner)
	switch inner.(type) {
	case *ast.SelectStmt, *ast.SetOprStmt:
		return &query.Opaque{Kind: kind, Reads: tables}
	}
	return &query.Opaque{Kind: kind, Writes: tables, Reads: tables}
}

// prepare lowers PREPARE name FROM '...': the prepared text is parsed and
// every table it names is listed as written and read, since EXECUTE runs
// it later with arguments this front-end never sees. PREPARE name FROM
// @var names no table.
func (l *lowerer) prepare(n *ast.PrepareStmt) query.Statement {
	op := &query.Opaque{Kind: query.OpaquePrepare}
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

// changesReading reports whether a SET assigns, for this session, an SQL
// mode or a client character set under which the server would read SQL
// text differently from this parser (see ReadingMode and
// ReadingCharset). Values that are not string literals (DEFAULT,
// variables, expressions) are not refused here: the statement is a
// query.Utility with Session set, and the backend checks the session after
// it ran.
func changesReading(n *ast.SetStmt) bool {
	for _, v := range n.Variables {
		if v.IsGlobal {
			continue // new connections are checked when they connect
		}
		value, ok := stringValue(v.Value)
		switch {
		case v.Name == ast.SetNames || v.Name == ast.SetCharset:
			if ok && !strings.EqualFold(value, "default") && !ReadingCharset(value) {
				return true
			}
		case !v.IsSystem:
		case strings.EqualFold(v.Name, "sql_mode"):
			if _, bad := ReadingMode(value); ok && bad {
				return true
			}
		case strings.EqualFold(v.Name, "character_set_client"):
			if ok && !ReadingCharset(value) {
				return true
			}
		}
	}
	return false
}

// stringValue returns the value of a string constant expression, or of a
// bare name, which MySQL takes as a string for a system variable (SET
// character_set_client = sjis).
func stringValue(e ast.ExprNode) (string, bool) {
	switch v := e.(type) {
	case ast.ValueExpr:
		s, ok := v.GetValue().(string)
		return s, ok
	case *ast.ColumnNameExpr:
		if v.Name.Table.L == "" {
			return v.Name.Name.O, true
		}
	}
	return "", false
}
