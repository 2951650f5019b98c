package sqlite

import (
	"database/sql/driver"
	"encoding/hex"
	"strconv"

	pgdialect "github.com/sqlseal/sqlseal/internal/dialect/postgres"
	dialect "github.com/sqlseal/sqlseal/internal/dialect/sqlite"
	"github.com/sqlseal/sqlseal/internal/engine"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Backend describes SQLite reached through modernc.org/sqlite.
var Backend = &engine.Backend{
	Name:            "sqlite",
	Parser:          dialect.Parser{},
	Warm:            pgdialect.Warm, // SQLite text goes through libpg_query's scanner
	FoldIdent:       dialect.FoldIdent,
	CaseInsensitive: true,
	Catalog:         Catalog{},
	BinaryLiteral:   func(raw []byte) string { return "X'" + hex.EncodeToString(raw) + "'" },
	Bind:            bind,
}

// bind returns the argument modernc.org/sqlite binds to the parameter p, as
// its conn.bind does for each parameter index: an anonymous parameter (?)
// takes the first argument whose ordinal is the index; a named one takes
// the first argument whose ordinal is NNN of ?NNN or $NNN (as decimal,
// without a leading zero), or whose name is the parameter's name without
// its prefix (:a, @a and $a all take the argument named a). So one
// argument can be bound to several parameters, and a positional parameter
// can take a named argument.
func bind(p query.Param, args []driver.NamedValue) int {
	for i, a := range args {
		switch {
		case p.Name == "":
			if a.Ordinal == p.Ordinal {
				return i
			}
		case (p.Name[0] == '?' || p.Name[0] == '$') && p.Name[1:] == strconv.Itoa(a.Ordinal):
			return i
		case len(p.Name) > 1 && p.Name[1:] == a.Name:
			return i
		}
	}
	return -1
}
