package sqlseal

// Column is a protected column as configured, with its names as the
// database compares them (PostgreSQL folds unquoted names to lower case;
// MySQL and SQLite compare case-insensitively, and sqlseal lower-cases
// them). Schema is empty when the configuration names no schema, and the
// column is then protected in a table of that name in any schema.
type Column struct {
	Schema string
	Table  string
	Name   string
}

// String returns the column as configured: [schema.]table.column.
func (c Column) String() string {
	if c.Schema == "" {
		return c.Table + "." + c.Name
	}
	return c.Schema + "." + c.Table + "." + c.Name
}
