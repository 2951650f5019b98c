package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// ddlOf lowers CREATE TABLE, ALTER TABLE, ALTER ... RENAME and ALTER ...
// SET SCHEMA to a query.DDL listing what moves values into a column: table
// and column renames, moves to another schema, and columns whose values the
// server computes (a DEFAULT other than NULL, a generated column, the USING
// expression of a type change, the defaults CREATE TABLE ... (LIKE ...)
// copies). A statement with none of these is a query.Utility.
func ddlOf(n *pg_query.Node) query.Statement {
	d := &query.DDL{}
	switch v := n.GetNode().(type) {
	case *pg_query.Node_CreateStmt:
		createTable(d, v.CreateStmt)
	case *pg_query.Node_AlterTableStmt:
		alterTable(d, v.AlterTableStmt)
	case *pg_query.Node_RenameStmt:
		rename(d, v.RenameStmt)
	case *pg_query.Node_AlterObjectSchemaStmt:
		s := v.AlterObjectSchemaStmt
		if isRelation(s.GetObjectType()) && s.GetRelation() != nil {
			from := tableOf(s.GetRelation())
			d.Renames = append(d.Renames, query.TableRename{From: from, To: query.Table{Schema: s.GetNewschema(), Name: from.Name}})
		}
	}
	if len(d.Renames) == 0 && len(d.ColumnRenames) == 0 && len(d.Fills) == 0 && len(d.SchemaRenames) == 0 {
		return &query.Utility{}
	}
	return d
}

// isRelation reports whether an object type names something with rows:
// a table, view, materialized view or foreign table.
func isRelation(t pg_query.ObjectType) bool {
	switch t {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW,
		pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
		return true
	}
	return false
}

// createTable records the computed columns of CREATE TABLE. LIKE copies
// the other table's columns, and with INCLUDING DEFAULTS or GENERATED their
// expressions, which the text does not show: every column counts as
// filled, which the analysis refuses for a protected table.
func createTable(d *query.DDL, s *pg_query.CreateStmt) {
	t := tableOf(s.GetRelation())
	for _, e := range s.GetTableElts() {
		switch v := e.GetNode().(type) {
		case *pg_query.Node_ColumnDef:
			columnFills(d, t, v.ColumnDef)
		case *pg_query.Node_TableLikeClause:
			d.Fills = append(d.Fills, query.ColumnFill{Table: t, Source: query.FillDefault})
		}
	}
}

// columnFills records a column definition's DEFAULT and generation
// expression.
func columnFills(d *query.DDL, t query.Table, c *pg_query.ColumnDef) {
	if c.GetRawDefault() != nil && !isNullConst(c.GetRawDefault()) {
		d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: c.GetColname(), Source: query.FillDefault})
	}
	for _, n := range c.GetConstraints() {
		con := n.GetConstraint()
		switch con.GetContype() {
		case pg_query.ConstrType_CONSTR_DEFAULT:
			if !isNullConst(con.GetRawExpr()) {
				d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: c.GetColname(), Source: query.FillDefault})
			}
		case pg_query.ConstrType_CONSTR_GENERATED, pg_query.ConstrType_CONSTR_IDENTITY:
			d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: c.GetColname(), Source: query.FillGenerated})
		}
	}
}

// isNullConst reports a NULL constant, possibly cast: a DEFAULT that fills
// nothing.
func isNullConst(n *pg_query.Node) bool {
	for {
		if tc := n.GetTypeCast(); tc != nil {
			n = tc.GetArg()
			continue
		}
		c := n.GetAConst()
		return c != nil && c.GetIsnull()
	}
}

// alterTable records the commands of ALTER TABLE that fill columns.
func alterTable(d *query.DDL, s *pg_query.AlterTableStmt) {
	t := tableOf(s.GetRelation())
	for _, n := range s.GetCmds() {
		cmd := n.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		switch cmd.GetSubtype() {
		case pg_query.AlterTableType_AT_AddColumn:
			if def := cmd.GetDef().GetColumnDef(); def != nil {
				columnFills(d, t, def)
			}
		case pg_query.AlterTableType_AT_ColumnDefault:
			if def := cmd.GetDef(); def != nil && !isNullConst(def) {
				d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: cmd.GetName(), Source: query.FillDefault})
			}
		case pg_query.AlterTableType_AT_AlterColumnType:
			// The raw default of the ColumnDef is the USING expression.
			if def := cmd.GetDef().GetColumnDef(); def != nil && def.GetRawDefault() != nil {
				d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: cmd.GetName(), Source: query.FillUsing})
			}
		case pg_query.AlterTableType_AT_SetExpression, pg_query.AlterTableType_AT_AddIdentity,
			pg_query.AlterTableType_AT_SetIdentity:
			d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: cmd.GetName(), Source: query.FillGenerated})
		}
	}
}

// rename records ALTER TABLE ... RENAME [COLUMN] and ALTER SCHEMA ...
// RENAME.
func rename(d *query.DDL, s *pg_query.RenameStmt) {
	switch {
	case s.GetRenameType() == pg_query.ObjectType_OBJECT_COLUMN && s.GetRelation() != nil:
		d.ColumnRenames = append(d.ColumnRenames, query.ColumnRename{
			Table: tableOf(s.GetRelation()), From: s.GetSubname(), To: s.GetNewname(),
		})
	case isRelation(s.GetRenameType()) && s.GetRelation() != nil:
		from := tableOf(s.GetRelation())
		d.Renames = append(d.Renames, query.TableRename{From: from, To: query.Table{Schema: from.Schema, Name: s.GetNewname()}})
	case s.GetRenameType() == pg_query.ObjectType_OBJECT_SCHEMA:
		d.SchemaRenames = append(d.SchemaRenames, query.SchemaRename{From: s.GetSubname(), To: s.GetNewname()})
	}
}
