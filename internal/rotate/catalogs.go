package rotate

import "github.com/sqlseal/sqlseal/internal/catalog"

// catalogs maps each dialect to its catalog.
var catalogs = map[Dialect]catalog.Catalog{
	Postgres: catalog.Postgres{},
	MySQL:    catalog.MySQL{},
	SQLite:   catalog.SQLite{},
}
