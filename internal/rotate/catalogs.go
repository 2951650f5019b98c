package rotate

import (
	"github.com/sqlseal/sqlseal/internal/backend/mysql"
	"github.com/sqlseal/sqlseal/internal/backend/postgres"
	"github.com/sqlseal/sqlseal/internal/backend/sqlite"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// catalogs maps each dialect to its catalog.
var catalogs = map[Dialect]catalog.Catalog{
	Postgres: postgres.Catalog{},
	MySQL:    mysql.Catalog{},
	SQLite:   sqlite.Catalog{},
}
