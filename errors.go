package sqlseal

import (
	"errors"

	"github.com/sqlseal/sqlseal/codec"
)

// Errors returned by sqlseal connections, for errors.Is. Every error names
// the protected table and column concerned and never contains a value, a
// fragment of SQL text or key material.
var (
	// ErrRefused: the statement would write a protected column in a way
	// sqlseal cannot prove is sealed, compares against a protected column,
	// or could change how later SQL is read. Nothing was sent to the
	// server. The error is a *RefusalError that says what to do instead.
	ErrRefused = errors.New("statement refused")
	// ErrWrongKey: at connect, the protected column holds sealed values
	// and none of a sample opens with the configured keys.
	ErrWrongKey = errors.New("the database was encrypted with a different key")
	// ErrColumnType: a protected column's type cannot hold ciphertext
	// whole (json, numbers, PostgreSQL's name and char(n), MySQL's
	// BINARY(n)); use a text type or a variable-length binary type.
	ErrColumnType = errors.New("protected column type cannot hold ciphertext")
	// ErrUnsupportedValue: an argument bound for a protected column is not
	// a string, []byte, nil, a pointer to one, or a driver.Valuer
	// returning one, or a string the server would not accept for the
	// column's type.
	ErrUnsupportedValue = errors.New("unsupported value for a protected column")
	// ErrPlaintext: a protected value read is not sealed and the
	// configuration rejects plaintext (SQLSEAL_ACCEPT_PLAINTEXT=false).
	ErrPlaintext = errors.New("protected column holds an unsealed value")
	// ErrResultColumns: the result columns of a query could not be matched
	// to the tables they come from (a table's definition changed).
	ErrResultColumns = errors.New("cannot tell which result columns are protected")
	// ErrSQLMode: the session reads SQL text differently from the parser
	// sqlseal analyses with (PostgreSQL's standard_conforming_strings off
	// or a client_encoding other than UTF8; MySQL's ANSI_QUOTES,
	// NO_BACKSLASH_ESCAPES or a client character set such as GBK). The
	// connection is refused, or, if a statement changed the session, every
	// later statement on it is, and database/sql discards it.
	ErrSQLMode = errors.New("session SQL mode changes how SQL text is read")
	// ErrCannotOpen: a value looks sealed but no configured key opens it.
	ErrCannotOpen = codec.ErrCannotOpen
	// ErrNoKey: a sealed value was read but no key is configured.
	ErrNoKey = codec.ErrNoKey
	// ErrNoBlindIndexColumn: at connect, a blind-indexed column's table
	// exists without the sibling column that holds its terms (or with one
	// that is not binary); create it in a migration.
	ErrNoBlindIndexColumn = errors.New("the blind index column does not exist")
)
