package engine

import (
	"context"
	"database/sql/driver"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Kind is how a protected column stores ciphertext.
type Kind uint8

const (
	// KindText columns (text, varchar, TEXT, LONGTEXT) hold base64 text.
	KindText Kind = iota
	// KindBinary columns (bytea, BLOB, VARBINARY) hold raw bytes.
	KindBinary
)

// Dialect is what the engine needs to know about one database and its Go
// driver. Each backend package fills one in.
type Dialect struct {
	// Name identifies the dialect in cache keys and messages.
	Name string
	// Parser lowers the dialect's SQL into package query's model.
	Parser query.Parser
	// FoldIdent normalises a configured identifier as the database would.
	FoldIdent func(string) string
	// CaseInsensitive reports whether result column names compare without
	// regard to case.
	CaseInsensitive bool
	// Catalog looks columns up in the database.
	Catalog Catalog
	// BinaryLiteral renders raw bytes as a SQL literal.
	BinaryLiteral func(raw []byte) string
	// ArgsNeedPrepare reports that the wrapped driver executes statements
	// with arguments only as prepared statements (it answers
	// driver.ErrSkip to ExecContext and QueryContext with arguments, as
	// go-sql-driver/mysql does without interpolateParams). The engine then
	// answers ErrSkip itself, before sealing anything, and seals once on
	// the prepared-statement path database/sql falls back to.
	ArgsNeedPrepare bool
	// Args, if set, normalises driver-specific argument forms before
	// analysis (pgx's leading QueryExecMode, pgx.NamedArgs). It returns
	// the SQL and arguments to execute and how many leading arguments are
	// options rather than parameters. rewrote reports that the SQL text was
	// changed, which a prepared statement cannot do.
	Args func(ctx context.Context, sql string, args []driver.NamedValue) (out string, outArgs []driver.NamedValue, options int, rewrote bool, err error)
}

// Catalog reads column facts from the database over a raw connection of the
// wrapped driver (statements sent through it are not intercepted).
type Catalog interface {
	// ColumnType returns the declared type of c and how it stores
	// ciphertext. exists is false when the table or column does not exist
	// (yet). supported is false for a type that cannot hold ciphertext.
	ColumnType(ctx context.Context, q driver.QueryerContext, c analysis.Column) (typ string, kind Kind, supported, exists bool, err error)
	// TableColumns returns the column names of t in order.
	TableColumns(ctx context.Context, q driver.QueryerContext, t query.Table) ([]string, error)
	// SampleQuery returns SQL that selects up to n non-NULL values of c.
	SampleQuery(c analysis.Column, n int) string
	// Resolves reports whether the server, on this connection, resolves
	// the unqualified table name to the given schema (PostgreSQL's search
	// path, MySQL's current database, SQLite's temp-then-main order).
	Resolves(ctx context.Context, q driver.QueryerContext, name, schema string) (bool, error)
}

// SessionChecker is implemented by a Catalog whose database has session
// settings that change how SQL text is read (MySQL's sql_mode). The engine
// calls CheckSession on every new connection and refuses the connection
// when it fails.
type SessionChecker interface {
	CheckSession(ctx context.Context, q driver.QueryerContext) error
}
