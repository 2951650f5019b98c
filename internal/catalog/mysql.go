package catalog

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// MySQL reads MySQL's and MariaDB's information_schema. A table without a
// schema is looked up in the connection's current database.
type MySQL struct{}

const myColumnTypeSQL = `SELECT COLUMN_TYPE, DATA_TYPE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?`

// ColumnType reads the type of c: CHAR, VARCHAR and the TEXT types hold
// base64, BINARY, VARBINARY and the BLOB types raw bytes.
func (MySQL) ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (string, engine.Kind, bool, bool, error) {
	rows, err := engine.QueryRows(ctx, q, myColumnTypeSQL, c.Schema, c.Table, c.Name)
	if err != nil || len(rows) == 0 {
		return "", 0, false, false, err
	}
	typ, data := asString(rows[0][0]), strings.ToLower(asString(rows[0][1]))
	switch data {
	case "longtext":
		// MariaDB's JSON is LONGTEXT with a json_valid check, which
		// would reject ciphertext.
		if jsonChecked(ctx, q, c) {
			return "json", 0, false, true, nil
		}
		return typ, engine.KindText, true, true, nil
	case "char", "varchar", "tinytext", "text", "mediumtext":
		return typ, engine.KindText, true, true, nil
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return typ, engine.KindBinary, true, true, nil
	}
	return typ, 0, false, true, nil
}

const myJSONCheckSQL = `SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND CHECK_CLAUSE LIKE ?`

// jsonChecked reports whether MariaDB checks c with json_valid. MySQL's
// CHECK_CONSTRAINTS has no TABLE_NAME column; there the query fails and
// the answer is no (MySQL's JSON type is reported as json, not longtext).
func jsonChecked(ctx context.Context, q driver.QueryerContext, c analysis.Column) bool {
	rows, err := engine.QueryRows(ctx, q, myJSONCheckSQL, c.Schema, c.Table, "%json_valid(`"+c.Name+"`)%")
	return err == nil && len(rows) == 1 && asString(rows[0][0]) != "0"
}

const myTableColumnsSQL = `SELECT COLUMN_NAME FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`

// TableColumns returns the columns of t in order.
func (MySQL) TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error) {
	rows, err := engine.QueryRows(ctx, q, myTableColumnsSQL, t.Schema, t.Name)
	return firstColumn(rows), err
}

// SampleQuery selects up to n non-NULL values of c.
func (m MySQL) SampleQuery(c analysis.Column, n int) string {
	col := m.Quote(c.Name)
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", col, m.table(c), col, n)
}

func (m MySQL) table(c analysis.Column) string {
	if c.Schema == "" {
		return m.Quote(c.Table)
	}
	return m.Quote(c.Schema) + "." + m.Quote(c.Table)
}

// Quote quotes an identifier with backticks.
func (MySQL) Quote(ident string) string {
	return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
}

// Placeholder returns ?.
func (MySQL) Placeholder(int) string { return "?" }

// Resolves reports whether an unqualified table name refers to schema,
// that is, whether schema is the connection's current database.
func (MySQL) Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error) {
	rows, err := engine.QueryRows(ctx, q, `SELECT DATABASE()`)
	if err != nil || len(rows) == 0 || rows[0][0] == nil {
		return false, err
	}
	return strings.EqualFold(asString(rows[0][0]), schema), nil
}

// CheckSession refuses a session whose sql_mode includes ANSI_QUOTES or
// NO_BACKSLASH_ESCAPES: sqlseal parses MySQL's default quoting, and under
// those modes the server would read some statements differently.
func (MySQL) CheckSession(ctx context.Context, q driver.QueryerContext) error {
	rows, err := engine.QueryRows(ctx, q, `SELECT @@SESSION.sql_mode`)
	if err != nil {
		return fmt.Errorf("sqlseal: reading sql_mode: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	for _, m := range strings.Split(strings.ToUpper(asString(rows[0][0])), ",") {
		if m == "ANSI_QUOTES" || m == "NO_BACKSLASH_ESCAPES" {
			return fmt.Errorf("sqlseal: the session's sql_mode includes %s: %w; remove it from the server's or the DSN's sql_mode", m, engine.ErrSQLMode)
		}
	}
	return nil
}
