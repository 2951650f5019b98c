package mysql

import (
	"database/sql/driver"
	"encoding/hex"

	dialect "github.com/sqlseal/sqlseal/internal/dialect/mysql"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Backend describes MySQL or MariaDB reached through go-sql-driver/mysql.
// interpolate is the connector's interpolateParams: without it the driver
// runs statements with arguments only as prepared statements.
func Backend(interpolate bool) *engine.Backend {
	return &engine.Backend{
		Name:               "mysql",
		Parser:             &dialect.Parser{},
		FoldIdent:          dialect.FoldIdent,
		CaseInsensitive:    true,
		Catalog:            Catalog{},
		BinaryLiteral:      func(raw []byte) string { return "X'" + hex.EncodeToString(raw) + "'" },
		ReadsEachStatement: true,
		ArgsNeedPrepare:    !interpolate,
		Bind:               bind,
		Session:            func(c driver.Conn) (engine.Session, error) { return newSession(c) },
		ScrubError:         scrubError,
	}
}

// bind returns the argument go-sql-driver/mysql binds to the n-th ?: the
// n-th argument. The driver rejects the whole argument list when any
// argument has a name, so then no placeholder has one.
func bind(p query.Param, args []driver.NamedValue) int {
	for _, a := range args {
		if a.Name != "" {
			return -1
		}
	}
	if p.Ordinal < 1 || p.Ordinal > len(args) {
		return -1
	}
	return p.Ordinal - 1
}
