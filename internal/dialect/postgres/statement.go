package postgres

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// topStatement lowers one statement of the text; when it holds a construct
// the model cannot express it becomes an Opaque with every table it names.
func (l *lowerer) topStatement(n *pg_query.Node) query.Statement {
	l.opaque = ""
	l.inConflict = false
	st := l.statement(n)
	if l.opaque != "" {
		return opaqueOf(l.opaqueKind, n)
	}
	return st
}

// statement lowers a statement node.
func (l *lowerer) statement(n *pg_query.Node) query.Statement {
	if st, ok := l.dataStatement(n); ok {
		return st
	}
	switch v := n.GetNode().(type) {
	case *pg_query.Node_MergeStmt:
		return opaqueOf(query.OpaqueMerge, n)
	case *pg_query.Node_CopyStmt:
		return opaqueOf(query.OpaqueCopy, n)
	case *pg_query.Node_CreateTableAsStmt:
		return opaqueOf(createTableAsKind(v.CreateTableAsStmt), n)
	case *pg_query.Node_ViewStmt:
		return opaqueOf(query.OpaqueCreateView, n)
	case *pg_query.Node_RuleStmt:
		return opaqueOf(query.OpaqueCreateRule, n)
	case *pg_query.Node_CreateTrigStmt:
		return opaqueOf(query.OpaqueCreateTrigger, n)
	case *pg_query.Node_DeclareCursorStmt:
		return opaqueOf(query.OpaqueDeclareCursor, n)
	case *pg_query.Node_ExplainStmt:
		return l.explainStmt(v.ExplainStmt)
	case *pg_query.Node_PrepareStmt:
		return l.statement(v.PrepareStmt.GetQuery())
	case *pg_query.Node_ExecuteStmt:
		return &query.Opaque{Kind: query.OpaqueExecute}
	case *pg_query.Node_CallStmt:
		return &query.Opaque{Kind: query.OpaqueCall}
	case *pg_query.Node_DoStmt:
		return &query.Opaque{Kind: query.OpaqueCode}
	case *pg_query.Node_VariableSetStmt:
		if changesReading(v.VariableSetStmt) {
			return &query.Opaque{Kind: query.OpaqueReading}
		}
		return &query.Utility{Session: true}
	case *pg_query.Node_CreateStmt, *pg_query.Node_AlterTableStmt, *pg_query.Node_RenameStmt,
		*pg_query.Node_AlterObjectSchemaStmt:
		return ddlOf(n)
	default:
		return &query.Utility{}
	}
}

// dataStatement lowers SELECT, INSERT, UPDATE and DELETE, the statements
// the model expresses, which may also stand in WITH; ok is false for any
// other node.
func (l *lowerer) dataStatement(n *pg_query.Node) (st query.Statement, ok bool) {
	switch v := n.GetNode().(type) {
	case *pg_query.Node_SelectStmt:
		return l.selectStmt(v.SelectStmt), true
	case *pg_query.Node_InsertStmt:
		return l.insertStmt(v.InsertStmt), true
	case *pg_query.Node_UpdateStmt:
		return l.updateStmt(v.UpdateStmt), true
	case *pg_query.Node_DeleteStmt:
		return l.deleteStmt(v.DeleteStmt), true
	}
	return nil, false
}

// createTableAsKind tells SELECT INTO from CREATE TABLE AS (and CREATE
// MATERIALIZED VIEW, which is one).
func createTableAsKind(s *pg_query.CreateTableAsStmt) query.OpaqueKind {
	if s.GetIsSelectInto() {
		return query.OpaqueSelectInto
	}
	return query.OpaqueCreateTableAs
}

// explainStmt lowers EXPLAIN: a plain EXPLAIN only plans its statement, but
// EXPLAIN ANALYZE executes it, so the statement is lowered. Its result rows
// are the plan rather than the statement's result columns: a SELECT becomes
// a select without items over it, and RETURNING lists are dropped.
func (l *lowerer) explainStmt(e *pg_query.ExplainStmt) query.Statement {
	if !explainAnalyzes(e) {
		return &query.Utility{}
	}
	switch st := l.statement(e.GetQuery()).(type) {
	case *query.Select:
		with := st.With
		st.With = nil
		return &query.Select{With: with, From: []query.From{&query.SubqueryRef{Query: st, Alias: "explain"}}}
	case *query.Insert:
		st.Returning = nil
		return st
	case *query.Update:
		st.Returning = nil
		return st
	case *query.Delete:
		st.Returning = nil
		return st
	default:
		return st
	}
}

// explainAnalyzes reports whether EXPLAIN's options include ANALYZE with a
// value that is not clearly false.
func explainAnalyzes(e *pg_query.ExplainStmt) bool {
	for _, o := range e.GetOptions() {
		d := o.GetDefElem()
		if d == nil || !strings.EqualFold(d.GetDefname(), "analyze") {
			continue
		}
		if !isFalseOption(d.GetArg()) {
			return true
		}
	}
	return false
}

// isFalseOption reports whether an option value spells false (FALSE, OFF,
// NO, 0 or a prefix PostgreSQL accepts for them).
func isFalseOption(n *pg_query.Node) bool {
	switch v := n.GetNode().(type) {
	case *pg_query.Node_Boolean:
		return !v.Boolean.GetBoolval()
	case *pg_query.Node_Integer:
		return v.Integer.GetIval() == 0
	case *pg_query.Node_String_:
		switch strings.ToLower(v.String_.GetSval()) {
		case "f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0":
			return true
		}
	case *pg_query.Node_AConst:
		return isFalseConst(v.AConst)
	}
	return false
}

// isFalseConst reports whether an option constant spells false.
func isFalseConst(c *pg_query.A_Const) bool {
	switch {
	case c.GetBoolval() != nil:
		return !c.GetBoolval().GetBoolval()
	case c.GetIval() != nil:
		return c.GetIval().GetIval() == 0
	case c.GetSval() != nil:
		return isFalseOption(&pg_query.Node{Node: &pg_query.Node_String_{String_: c.GetSval()}})
	}
	return false
}

// changesReading reports whether a SET may make the server read later SQL
// text differently from the parser: standard_conforming_strings set to
// anything but on (with it off, backslashes in '...' escape), or a client
// encoding other than UTF-8 (the server would convert the text before
// reading it, and in SJIS, BIG5, GBK, UHC and GB18030 a backslash or quote
// byte can be part of a character). RESET returns to the server's default,
// which the backend checks before every statement anyway.
func changesReading(s *pg_query.VariableSetStmt) bool {
	switch s.GetKind() {
	case pg_query.VariableSetKind_VAR_RESET_ALL, pg_query.VariableSetKind_VAR_RESET,
		pg_query.VariableSetKind_VAR_SET_DEFAULT:
		return false
	}
	var allowed func(string) bool
	switch strings.ToLower(s.GetName()) {
	case "standard_conforming_strings":
		allowed = func(v string) bool {
			switch strings.ToLower(v) {
			case "on", "true", "yes", "1":
				return true
			}
			return false
		}
	case "client_encoding":
		allowed = func(v string) bool {
			switch strings.ToLower(strings.ReplaceAll(v, "-", "")) {
			case "utf8", "unicode":
				return true
			}
			return false
		}
	default:
		return false
	}
	if s.GetKind() != pg_query.VariableSetKind_VAR_SET_VALUE || len(s.GetArgs()) != 1 {
		return true
	}
	c := s.GetArgs()[0].GetAConst()
	switch {
	case c == nil:
		return true
	case c.GetSval() != nil:
		return !allowed(c.GetSval().GetSval())
	case c.GetIval() != nil:
		return !allowed(strconv.Itoa(int(c.GetIval().GetIval())))
	case c.GetBoolval() != nil:
		return !c.GetBoolval().GetBoolval()
	}
	return true
}
