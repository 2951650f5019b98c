package mysql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/sqlseal/sqlseal/internal/query"
)

// ddl lowers CREATE TABLE, ALTER TABLE and RENAME TABLE to a query.DDL
// listing what moves values into a column: table and column renames
// (RENAME TABLE, ALTER TABLE ... RENAME [COLUMN], CHANGE old new) and
// columns whose values the server computes (a DEFAULT other than NULL, ON
// UPDATE, a generated column, the defaults CREATE TABLE ... LIKE copies). A
// statement with none of these is a query.Utility.
func ddl(n ast.StmtNode) query.Statement {
	d := &query.DDL{}
	switch n := n.(type) {
	case *ast.CreateTableStmt:
		t := table(n.Table)
		if n.ReferTable != nil {
			d.Fills = append(d.Fills, query.ColumnFill{Table: t, Source: query.FillDefault})
		}
		for _, c := range n.Cols {
			columnFills(d, t, c)
		}
	case *ast.AlterTableStmt:
		alterTable(d, n)
	case *ast.RenameTableStmt:
		for _, tt := range n.TableToTables {
			d.Renames = append(d.Renames, query.TableRename{From: table(tt.OldTable), To: table(tt.NewTable)})
		}
	}
	if len(d.Renames) == 0 && len(d.ColumnRenames) == 0 && len(d.Fills) == 0 {
		return &query.Utility{}
	}
	return d
}

// alterTable records the specifications of ALTER TABLE that rename or
// fill.
func alterTable(d *query.DDL, n *ast.AlterTableStmt) {
	t := table(n.Table)
	for _, spec := range n.Specs {
		switch spec.Tp {
		case ast.AlterTableRenameTable:
			if spec.NewTable != nil {
				d.Renames = append(d.Renames, query.TableRename{From: t, To: table(spec.NewTable)})
			}
		case ast.AlterTableRenameColumn:
			if spec.OldColumnName != nil && spec.NewColumnName != nil {
				d.ColumnRenames = append(d.ColumnRenames, query.ColumnRename{Table: t, From: spec.OldColumnName.Name.L, To: spec.NewColumnName.Name.L})
			}
		case ast.AlterTableChangeColumn:
			if spec.OldColumnName != nil && len(spec.NewColumns) > 0 && spec.OldColumnName.Name.L != spec.NewColumns[0].Name.Name.L {
				d.ColumnRenames = append(d.ColumnRenames, query.ColumnRename{Table: t, From: spec.OldColumnName.Name.L, To: spec.NewColumns[0].Name.Name.L})
			}
		}
		switch spec.Tp {
		case ast.AlterTableAddColumns, ast.AlterTableModifyColumn, ast.AlterTableChangeColumn:
			for _, c := range spec.NewColumns {
				columnFills(d, t, c)
			}
		case ast.AlterTableAlterColumn:
			// ALTER COLUMN c SET DEFAULT x holds x as the one option of
			// the column; DROP DEFAULT holds none.
			for _, c := range spec.NewColumns {
				if c != nil && c.Name != nil && len(c.Options) == 1 && !isNull(c.Options[0].Expr) {
					d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: c.Name.Name.L, Source: query.FillDefault})
				}
			}
		}
	}
}

// columnFills records a column definition's DEFAULT, ON UPDATE and
// generation expression.
func columnFills(d *query.DDL, t query.Table, c *ast.ColumnDef) {
	if c == nil || c.Name == nil {
		return
	}
	for _, o := range c.Options {
		switch o.Tp {
		case ast.ColumnOptionDefaultValue, ast.ColumnOptionOnUpdate:
			if !isNull(o.Expr) {
				d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: c.Name.Name.L, Source: query.FillDefault})
			}
		case ast.ColumnOptionGenerated:
			d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: c.Name.Name.L, Source: query.FillGenerated})
		}
	}
}

// isNull reports the NULL constant: a DEFAULT that fills nothing. ALTER
// COLUMN ... DROP DEFAULT has no expression.
func isNull(e ast.ExprNode) bool {
	if e == nil {
		return true
	}
	v, ok := e.(*test_driver.ValueExpr)
	return ok && v.Kind() == test_driver.KindNull
}
