// Package mysql is sqlseal's MySQL and MariaDB backend:
// go-sql-driver/mysql as the engine must read it (it binds arguments by
// position and rejects named ones; the session's sql_mode and character
// set decide how the server reads SQL) and the servers' information_schema.
//
//	e, err := engine.New(mysql.Backend(interpolate), cfg, nil)
package mysql

import (
	"context"
	"database/sql/driver"
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Catalog reads MySQL's and MariaDB's information_schema. A table without
// a schema is looked up in the connection's current database.
type Catalog struct{}

var _ catalog.Catalog = Catalog{}

const myColumnTypeSQL = `SELECT COLUMN_TYPE, DATA_TYPE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?`

// ColumnType reads the type of c: CHAR, VARCHAR and the TEXT types hold
// base64, VARBINARY and the BLOB types raw bytes. BINARY(n) pads values
// with zero bytes and MariaDB's JSON (LONGTEXT with a json_valid check)
// rejects ciphertext: neither is supported, nor is anything else.
func (Catalog) ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (catalog.ColumnFacts, error) {
	rows, err := catalog.Query(ctx, q, myColumnTypeSQL, c.Schema, c.Table, c.Name)
	if err != nil || len(rows) == 0 {
		return catalog.ColumnFacts{}, err
	}
	typ, data := catalog.String(rows[0][0]), strings.ToLower(catalog.String(rows[0][1]))
	facts := catalog.ColumnFacts{Exists: true, Type: typ}
	switch data {
	case "longtext":
		if jsonChecked(ctx, q, c) {
			facts.Type = "json"
			return facts, nil
		}
		facts.Kind, facts.Supported = catalog.KindText, true
	case "char", "varchar", "tinytext", "text", "mediumtext":
		facts.Kind, facts.Supported = catalog.KindText, true
	case "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		facts.Kind, facts.Supported = catalog.KindBinary, true
	}
	return facts, nil
}

const myJSONCheckSQL = `SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND CHECK_CLAUSE LIKE ?`

// jsonChecked reports whether MariaDB checks c with json_valid. MySQL's
// CHECK_CONSTRAINTS has no TABLE_NAME column; there the query fails and
// the answer is no (MySQL's JSON type is reported as json, not longtext).
func jsonChecked(ctx context.Context, q driver.QueryerContext, c analysis.Column) bool {
	rows, err := catalog.Query(ctx, q, myJSONCheckSQL, c.Schema, c.Table, "%json_valid(`"+c.Name+"`)%")
	return err == nil && len(rows) == 1 && catalog.String(rows[0][0]) != "0"
}

const myTableColumnsSQL = `SELECT COLUMN_NAME FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`

// TableColumns returns the columns of t in order.
func (Catalog) TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error) {
	rows, err := catalog.Query(ctx, q, myTableColumnsSQL, t.Schema, t.Name)
	return catalog.FirstColumn(rows), err
}

// SampleQuery selects up to n non-NULL values of c.
func (m Catalog) SampleQuery(c analysis.Column, n int) string {
	return catalog.SampleQuery(m.Quote, c, n)
}

// Quote quotes an identifier with backticks.
func (Catalog) Quote(ident string) string {
	return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
}

// Placeholder returns ?.
func (Catalog) Placeholder(int) string { return "?" }

// Resolves reports whether an unqualified table name refers to schema,
// that is, whether schema is the connection's current database.
func (Catalog) Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error) {
	rows, err := catalog.Query(ctx, q, `SELECT DATABASE()`)
	if err != nil || len(rows) == 0 || rows[0][0] == nil {
		return false, err
	}
	return strings.EqualFold(catalog.String(rows[0][0]), schema), nil
}
