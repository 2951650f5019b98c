package postgres

import (
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
		return opaqueOf(l.opaque, n)
	}
	return st
}

// statement lowers a statement node.
func (l *lowerer) statement(n *pg_query.Node) query.Statement {
	switch v := n.GetNode().(type) {
	case *pg_query.Node_SelectStmt:
		return l.selectStmt(v.SelectStmt)
	case *pg_query.Node_InsertStmt:
		return l.insertStmt(v.InsertStmt)
	case *pg_query.Node_UpdateStmt:
		return l.updateStmt(v.UpdateStmt)
	case *pg_query.Node_DeleteStmt:
		return l.deleteStmt(v.DeleteStmt)
	case *pg_query.Node_MergeStmt:
		return opaqueOf("MERGE", n)
	case *pg_query.Node_CopyStmt:
		return opaqueOf("COPY", n)
	case *pg_query.Node_CreateTableAsStmt:
		return opaqueOf(createTableAsWhat(v.CreateTableAsStmt), n)
	case *pg_query.Node_ViewStmt:
		return opaqueOf("CREATE VIEW", n)
	case *pg_query.Node_RuleStmt:
		return opaqueOf("CREATE RULE", n)
	case *pg_query.Node_DeclareCursorStmt:
		return opaqueOf("DECLARE CURSOR", n)
	case *pg_query.Node_ExplainStmt:
		return l.explainStmt(v.ExplainStmt)
	case *pg_query.Node_PrepareStmt:
		return l.statement(v.PrepareStmt.GetQuery())
	case *pg_query.Node_ExecuteStmt:
		return &query.Opaque{What: "EXECUTE"}
	case *pg_query.Node_CallStmt:
		return &query.Opaque{What: "CALL"}
	case *pg_query.Node_DoStmt:
		return &query.Opaque{What: "DO"}
	case *pg_query.Node_VariableSetStmt:
		if turnsOffConformingStrings(v.VariableSetStmt) {
			return &query.Opaque{What: "SET standard_conforming_strings"}
		}
		return &query.Utility{}
	default:
		return &query.Utility{}
	}
}

// createTableAsWhat names a CREATE TABLE AS statement for error messages.
func createTableAsWhat(s *pg_query.CreateTableAsStmt) string {
	switch {
	case s.GetIsSelectInto():
		return "SELECT INTO"
	case s.GetObjtype() == pg_query.ObjectType_OBJECT_MATVIEW:
		return "CREATE MATERIALIZED VIEW"
	default:
		return "CREATE TABLE AS"
	}
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

// turnsOffConformingStrings reports whether a SET may turn
// standard_conforming_strings off. The parser reads string literals as the
// server does with it on (the default, and the only value pgx's simple
// protocol accepts); with it off the server would read backslashes in
// literals differently. Setting it on, or leaving it alone, is fine.
func turnsOffConformingStrings(s *pg_query.VariableSetStmt) bool {
	if s.GetKind() == pg_query.VariableSetKind_VAR_RESET_ALL {
		return false // RESET ALL returns to the server's default
	}
	if !strings.EqualFold(s.GetName(), "standard_conforming_strings") {
		return false
	}
	if s.GetKind() != pg_query.VariableSetKind_VAR_SET_VALUE || len(s.GetArgs()) != 1 {
		return true
	}
	c := s.GetArgs()[0].GetAConst()
	if c == nil || c.GetSval() == nil {
		return true
	}
	switch strings.ToLower(c.GetSval().GetSval()) {
	case "on", "true", "yes", "1":
		return false
	}
	return true
}
