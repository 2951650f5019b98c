package rotate

import (
	"errors"

	"github.com/sqlseal/sqlseal"
)

// Sentinel errors. Errors returned by this package wrap one of them, or a
// database or codec error, and name tables, columns and primary keys only,
// never a value or a key.
var (
	// ErrUnopenable means a protected value looks sealed but none of the
	// known keys (the current key, the previous keys and the new key)
	// opens it. The pre-flight check reports every such value and nothing
	// is written.
	ErrUnopenable = errors.New("sqlseal: sealed values that no known key opens")

	// ErrNewSecretWithKeyTable means a new secret was given for a database
	// with a key table: its values are rewritten to the active data key,
	// and the master key is rotated by rewrapping the data keys.
	ErrNewSecretWithKeyTable = errors.New("sqlseal: a new secret with a key table")

	// ErrNoPrimaryKey means a table with a protected column has no primary
	// key, so rows cannot be addressed one by one; name a unique column
	// with Options.KeyColumn (--key-column).
	ErrNoPrimaryKey = errors.New("sqlseal: table has no primary key")

	// ErrColumnType is sqlseal.ErrColumnType: a protected column has a
	// type that cannot hold ciphertext (neither text nor binary).
	ErrColumnType = sqlseal.ErrColumnType

	// ErrMissingColumn means a configured protected column does not exist:
	// its table is missing, or the table has no such column. Usually the
	// name is misspelled, and a rotation that skipped it would report
	// success while the real column keeps values under the old key. The
	// error names the columns; set Options.AllowMissing
	// (StatusOptions.AllowMissing) for a table that does not exist yet.
	ErrMissingColumn = errors.New("sqlseal: configured protected column does not exist")

	// ErrIncomplete means an online rotation left rows behind: rows that
	// kept changing under it (conflicts) or unopenable values written
	// while it ran. Everything else was rotated; run it again.
	ErrIncomplete = errors.New("sqlseal: rotation incomplete")
)
