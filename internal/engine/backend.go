package engine

import (
	"context"
	"database/sql/driver"

	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Backend is what the engine needs to know about one database and the Go
// driver that reaches it. Each backend package (internal/backend/...) fills
// one in; the rules of the wrapped driver (how it binds arguments, which
// argument forms it rewrites) are the backend's, so that the engine reads
// arguments exactly as the driver will.
type Backend struct {
	// Name identifies the backend in cache keys and messages.
	Name string
	// Parser lowers the database's SQL into package query's model.
	Parser query.Parser
	// Warm, if set, prepares the parser in the background (it may compile
	// a WebAssembly module); New calls it so that the first statement of
	// a connector created a few seconds before its first use does not
	// wait. It must return at once.
	Warm func()
	// FoldIdent normalises a configured identifier as the database would.
	FoldIdent func(string) string
	// CaseInsensitive reports whether result column names compare without
	// regard to case.
	CaseInsensitive bool
	// Catalog looks columns up in the database.
	Catalog catalog.Catalog
	// BinaryLiteral renders raw bytes as a SQL literal.
	BinaryLiteral func(raw []byte) string
	// BinaryInput, if set, turns a string written to a binary column into
	// the bytes the server stores for it, as the server reads text input
	// for the column's type (PostgreSQL's bytea escapes); it fails for a
	// string the server would reject. Nil means the string's bytes are
	// stored as they are.
	BinaryInput func(string) ([]byte, error)
	// ReadsEachStatement reports that the server reads each statement of a
	// text of several only after the previous one ran (MySQL and MariaDB),
	// so that a statement that changes the session changes how the later
	// ones are read: such a text is refused.
	ReadsEachStatement bool
	// ArgsNeedPrepare reports that the wrapped driver executes statements
	// with arguments only as prepared statements (it answers
	// driver.ErrSkip to ExecContext and QueryContext with arguments, as
	// go-sql-driver/mysql does without interpolateParams). The engine then
	// answers ErrSkip itself, before sealing anything, and seals once on
	// the prepared-statement path database/sql falls back to.
	ArgsNeedPrepare bool
	// Args, if set, applies the wrapped driver's own argument forms before
	// analysis (pgx's leading QueryExecMode, its query rewriters such as
	// pgx.NamedArgs), as the driver would apply them for a query (query
	// set) or an exec. An argument form it does not mirror is an error.
	Args func(ctx context.Context, sql string, args []driver.NamedValue, query bool) (ArgForms, error)
	// Bind returns the index in args of the argument the wrapped driver
	// binds to the placeholder p, or -1 when it binds none (the driver
	// then fails the statement). args are the arguments after any leading
	// options (ArgForms.Options).
	Bind func(p query.Param, args []driver.NamedValue) int
	// Session, if set, returns the check of one connection's session
	// settings that decide how the server reads SQL text.
	Session func(conn driver.Conn) (Session, error)
	// Bulk, if set, is the wrapped driver's bulk load protocol
	// (PostgreSQL's COPY), which a *Bulk runs.
	Bulk BulkLoader
	// ScrubError, if set, removes from an error of the wrapped driver the
	// parts that may quote stored values (PostgreSQL's Detail, "Key
	// (api_token_bidx)=(\x01...) already exists"), when sensitive reports
	// that they concern a protected column, a blind index column or a
	// table holding them. It keeps what applications branch on (the
	// SQLSTATE code, the constraint's name) and returns the error to pass
	// on.
	ScrubError func(err error, sensitive Sensitive) error
}

// Sensitive tells a Backend's ScrubError which parts of an error concern
// protected data.
type Sensitive interface {
	// Mentions reports whether text names a protected column or a blind
	// index column.
	Mentions(text string) bool
	// Table reports whether table holds a protected column.
	Table(table string) bool
}

// ArgForms is what Backend.Args makes of one execution's SQL and
// arguments.
type ArgForms struct {
	// SQL and Args are what the driver will execute.
	SQL  string
	Args []driver.NamedValue
	// Options is how many leading arguments are options for the driver
	// rather than values for placeholders.
	Options int
	// Rewrote reports that the SQL text was rewritten (named arguments),
	// which a prepared statement cannot do.
	Rewrote bool
}

// Session checks the settings of one connection that decide how the
// server reads SQL text.
type Session interface {
	// Check returns an error wrapping sqlseal.ErrSQLMode when the session
	// reads SQL text differently from the backend's parser.
	Check(ctx context.Context) error
	// Reported reports whether the server tells the client of every
	// change to those settings, so that Check asks the server nothing and
	// runs before every statement. Otherwise Check runs at connect and
	// before the first statement after one that may have changed the
	// session.
	Reported() bool
}
