package driver

import (
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/engine"
)

// Errors returned by sqlseal connections, for errors.Is. Every error names
// the protected table and column concerned and never contains a value or
// key.
var (
	// ErrRefused: the statement would write a protected column in a way
	// sqlseal cannot prove is sealed, or compares against a protected
	// column. Nothing was sent to the server. The error is a
	// *RefusalError that says what to do instead.
	ErrRefused = analysis.ErrRefused
	// ErrWrongKey: at connect, the protected column holds sealed values
	// and none of a sample opens with the configured keys.
	ErrWrongKey = engine.ErrWrongKey
	// ErrColumnType: a protected column's type cannot hold ciphertext
	// (json, jsonb, numbers); use text, varchar, or bytea.
	ErrColumnType = engine.ErrColumnType
	// ErrUnsupportedValue: an argument bound for a protected column is not
	// a string, []byte, nil, a pointer to one, or a driver.Valuer
	// returning one.
	ErrUnsupportedValue = engine.ErrUnsupportedValue
	// ErrPlaintext: a protected value read is not sealed and the
	// configuration rejects plaintext.
	ErrPlaintext = engine.ErrPlaintext
	// ErrResultColumns: the columns of a SELECT * could not be matched to
	// the table (its definition changed since it was read).
	ErrResultColumns = engine.ErrResultColumns
	// ErrSQLMode: the session reads SQL text differently from the parser
	// sqlseal analyses with (PostgreSQL's standard_conforming_strings off;
	// MySQL's ANSI_QUOTES or NO_BACKSLASH_ESCAPES): the connection is
	// refused.
	ErrSQLMode = engine.ErrSQLMode
	// ErrCannotOpen: a value looks sealed but no configured key opens it.
	ErrCannotOpen = codec.ErrCannotOpen
	// ErrNoKey: a sealed value was read but no key is configured.
	ErrNoKey = codec.ErrNoKey
)

// RefusalError is the error of a refused statement: Column is the protected
// column, Reason what the statement does with it, Hint what to do instead.
type RefusalError = analysis.RefusalError
