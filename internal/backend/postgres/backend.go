package postgres

import (
	"database/sql/driver"
	"encoding/hex"

	dialect "github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/engine"
)

// Backend describes PostgreSQL reached through pgx's stdlib driver.
var Backend = &engine.Backend{
	Name:          "postgres",
	Parser:        dialect.Parser{},
	Warm:          dialect.Warm,
	FoldIdent:     dialect.FoldIdent,
	Catalog:       Catalog{},
	BinaryLiteral: func(raw []byte) string { return "decode('" + hex.EncodeToString(raw) + "', 'hex')" },
	BinaryInput:   byteaInput,
	Args:          args,
	Bind:          bind,
	Session:       func(c driver.Conn) (engine.Session, error) { return newSession(c) },
	Bulk:          copier{},
	ScrubError:    scrubError,
}
