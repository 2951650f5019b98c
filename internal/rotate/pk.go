package rotate

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Queryer is what PrimaryKey needs of a database handle: *sql.DB, *sql.Conn
// and *sql.Tx all have it.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Table names a table, as the query model does; Schema is "" for the
// connection's default (the search_path in PostgreSQL, the current
// database in MySQL, main in SQLite). Names are used as written: they
// follow the database's case rules.
type Table = query.Table

const pgPrimaryKeySQL = `SELECT a.attname::text
FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
WHERE i.indrelid = to_regclass($1) AND i.indisprimary
ORDER BY array_position(i.indkey::int2[], a.attnum)`

const mysqlPrimaryKeySQL = `SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'
ORDER BY ORDINAL_POSITION`

const sqlitePrimaryKeySQL = `SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk`

// PrimaryKey returns the columns of t's primary key in key order, read from
// the catalog of family d: pg_index.indisprimary in PostgreSQL,
// information_schema.KEY_COLUMN_USAGE (CONSTRAINT_NAME = 'PRIMARY') in
// MySQL and MariaDB, PRAGMA table_info (pk > 0) in SQLite. A table without
// a primary key, or one that does not exist, returns no columns and no
// error.
func PrimaryKey(ctx context.Context, q Queryer, d Family, t Table) ([]string, error) {
	var (
		query string
		args  []any
	)
	switch d {
	case Postgres:
		query, args = pgPrimaryKeySQL, []any{pgRegclass(t)}
	case MySQL:
		query, args = mysqlPrimaryKeySQL, []any{t.Schema, t.Name}
	case SQLite:
		schema := t.Schema
		if schema == "" {
			schema = "main"
		}
		query, args = sqlitePrimaryKeySQL, []any{t.Name, schema}
	default:
		return nil, fmt.Errorf("sqlseal: primary key of %s: unknown database family %q", t, d)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: reading the primary key of %s: %w", t, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("sqlseal: reading the primary key of %s: %w", t, err)
		}
		cols = append(cols, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlseal: reading the primary key of %s: %w", t, err)
	}
	return cols, nil
}

// pgRegclass is t as a to_regclass argument: quoted, so names are taken as
// written.
func pgRegclass(t Table) string {
	if t.Schema == "" {
		return pgx.Identifier{t.Name}.Sanitize()
	}
	return pgx.Identifier{t.Schema, t.Name}.Sanitize()
}
