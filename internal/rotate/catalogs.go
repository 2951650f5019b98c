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

// folds maps each database family to how it folds a configured identifier,
// as the driver does: the envelope format's column labels must be the
// driver's.
var folds = map[Family]func(string) string{
	Postgres: postgres.Backend.FoldIdent,
	MySQL:    mysql.Backend(false).FoldIdent,
	SQLite:   sqlite.Backend.FoldIdent,
}
