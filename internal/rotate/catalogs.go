package rotate

import (
	"github.com/sqlseal/sqlseal/internal/backend/mysql"
	"github.com/sqlseal/sqlseal/internal/backend/postgres"
	"github.com/sqlseal/sqlseal/internal/backend/sqlite"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// catalogs maps each database family to its catalog.
var catalogs = map[Family]catalog.Catalog{
	Postgres: postgres.Catalog{},
	MySQL:    mysql.Catalog{},
	SQLite:   sqlite.Catalog{},
}
