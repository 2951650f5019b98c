package rotate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// columnInfo is what the catalog says about a protected column.
type columnInfo struct {
	typ       string
	kind      catalog.Kind
	supported bool
	exists    bool
}

// lookupColumn reads c's type over a raw connection of db, which the
// catalog queries need.
func lookupColumn(ctx context.Context, db *sql.DB, cat catalog.Catalog, c analysis.Column) (columnInfo, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return columnInfo{}, fmt.Errorf("sqlseal: connecting: %w", err)
	}
	defer conn.Close()
	var info columnInfo
	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver connection %T cannot run queries", dc)
		}
		facts, err := cat.ColumnType(ctx, q, c)
		info = columnInfo{typ: facts.Type, kind: facts.Kind, supported: facts.Supported, exists: facts.Exists}
		return err
	})
	if err != nil {
		return columnInfo{}, fmt.Errorf("sqlseal: reading the type of protected column %s: %w", c, err)
	}
	return info, nil
}

// kindName names a column kind in summaries.
func kindName(k catalog.Kind) string { return k.String() }

// planOptions are the settings that plan needs.
type planOptions struct {
	family    Family
	catalog   catalog.Catalog
	columns   []string
	keyColumn string
	batch     int
	// needKey makes a table without a primary key (and no keyColumn) an
	// error; otherwise it is scanned without one.
	needKey bool
}

// plan looks up every configured column. A column whose table or column
// does not exist yields a job with missing set. Errors come before any
// data is read.
func plan(ctx context.Context, db *sql.DB, o planOptions) ([]*job, []bool, error) {
	var jobs []*job
	var missing []bool
	for _, name := range o.columns {
		schema, table, column, err := config.ParseColumn(name)
		if err != nil {
			return nil, nil, err
		}
		c := analysis.Column{Schema: schema, Table: table, Name: column}
		info, err := lookupColumn(ctx, db, o.catalog, c)
		if err != nil {
			return nil, nil, err
		}
		j := &job{col: c, name: name, label: labelOf(o.family, table, column), kind: info.kind, batch: o.batch}
		if !info.exists {
			jobs, missing = append(jobs, j), append(missing, true)
			continue
		}
		if !info.supported {
			return nil, nil, fmt.Errorf("sqlseal: protected column %s has type %s: %w", name, info.typ, ErrColumnType)
		}
		if o.keyColumn != "" {
			j.keys = []string{o.keyColumn}
			if o.needKey {
				if err := checkKeyColumn(ctx, db, o.catalog, c, o.keyColumn); err != nil {
					return nil, nil, err
				}
			}
		} else {
			t := Table{Schema: schema, Name: table}
			if j.keys, err = PrimaryKey(ctx, db, o.family, t); err != nil {
				return nil, nil, err
			}
			if len(j.keys) == 0 && o.needKey {
				return nil, nil, fmt.Errorf("sqlseal: protected column %s: %w: rows cannot be updated one by one; name a unique, non-NULL column with --key-column (Options.KeyColumn)", name, ErrNoPrimaryKey)
			}
		}
		if slices.Contains(j.keys, column) {
			return nil, nil, fmt.Errorf("sqlseal: protected column %s is part of the key that identifies its rows; choose another key column", name)
		}
		j.buildSQL(o.family, o.catalog)
		jobs, missing = append(jobs, j), append(missing, false)
	}
	return jobs, missing, nil
}

// missingError returns an error wrapping ErrMissingColumn that names every
// configured column of jobs whose table or column does not exist, or nil
// when there is none.
func missingError(jobs []*job, missing []bool) error {
	var names []string
	for i, j := range jobs {
		if missing[i] {
			names = append(names, j.name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s (no such table, or no such column in it)", ErrMissingColumn, strings.Join(names, ", "))
}

// checkKeyColumn refuses a key column that holds NULL or duplicate values:
// rows could then not be addressed one by one, and keyset pagination would
// skip some.
func checkKeyColumn(ctx context.Context, db *sql.DB, cat catalog.Catalog, c analysis.Column, key string) error {
	table := cat.Quote(c.Table)
	if c.Schema != "" {
		table = cat.Quote(c.Schema) + "." + table
	}
	k := cat.Quote(key)
	var nulls, dups int64
	err := db.QueryRowContext(ctx, "SELECT COUNT(*) - COUNT("+k+"), COUNT("+k+") - COUNT(DISTINCT "+k+") FROM "+table).Scan(&nulls, &dups)
	if err != nil {
		return fmt.Errorf("sqlseal: checking key column %s of %s: %w", key, c, err)
	}
	if nulls > 0 || dups > 0 {
		return fmt.Errorf("sqlseal: key column %s of table %s has %d NULL and %d duplicate values; it must be unique and non-NULL", key, c.Table, nulls, dups)
	}
	return nil
}

// labelOf is the envelope label of a configured table and column, with
// the identifiers folded as family's driver folds them.
func labelOf(family Family, table, column string) string {
	if fold := folds[family]; fold != nil {
		table, column = fold(table), fold(column)
	}
	return keytable.Label(table, column)
}
