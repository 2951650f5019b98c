package codec

import "errors"

// Sentinel errors. Errors returned by this package wrap one of them (test
// with errors.Is) and add context, never value or key bytes.
var (
	// ErrNotSealed means a value does not have the shape of a sealed value:
	// it is not strict padded standard base64, or its length cannot be
	// iv || ciphertext || tag. Such a value was most likely stored before
	// encryption was turned on.
	ErrNotSealed = errors.New("sqlseal: value is not a sealed value")

	// ErrCannotOpen means a value looks sealed but no configured key
	// authenticates it: it was sealed with another key, or it was modified.
	ErrCannotOpen = errors.New("sqlseal: cannot open sealed value: message seems corrupt or manipulated, or was sealed with another key")

	// ErrNoKey means no key is configured: the secret is empty, or a keyring
	// without a primary key was asked to seal, or a keyring without any key
	// was asked to open a sealed value.
	ErrNoKey = errors.New("sqlseal: no encryption key configured")

	// ErrKeyTooShort means a secret has fewer than 16 characters, counted
	// as UTF-16 code units the way Metabase (Java) counts them.
	ErrKeyTooShort = errors.New("sqlseal: secret key must be at least 16 characters")
)

// Sentinel errors of the envelope format (docs/ENVELOPE.md). ErrUnknownKeyID
// and ErrNotAuthentic are kinds of [ErrCannotOpen]: errors.Is(err,
// ErrCannotOpen) holds for them too, so code written for the Metabase format
// keeps treating them as "sealed, but no configured key opens it".
var (
	// ErrUnknownKeyID means an envelope value names a data key id that is
	// not among the configured data keys: the key is retired, the key
	// table was not reloaded since the key was added, or the value comes
	// from another deployment. [Opened.KeyID] holds the id.
	ErrUnknownKeyID error = &kindError{"sqlseal: no configured data key has the value's key id", ErrCannotOpen}

	// ErrNotAuthentic means an envelope value's data key is configured but
	// the value does not authenticate under that key and the column label
	// it was opened with: it was modified, it was sealed for another column
	// (copied from one protected column into another), or it was sealed
	// with a different key that has the same id.
	ErrNotAuthentic error = &kindError{"sqlseal: the value does not authenticate under its data key and this column's label (modified, sealed for another column, or sealed with another key of the same id)", ErrCannotOpen}

	// ErrUnwrap means a wrapped data or index key could not be unwrapped:
	// the master key is not the one that wrapped it, or the wrapped bytes
	// or their key id were modified.
	ErrUnwrap = errors.New("sqlseal: cannot unwrap key: wrong master key, or the wrapped key or its id was modified")
)

// kindError is a sentinel error that is also a kind of a broader one: its
// message is its own, and errors.Is sees the broader sentinel through Unwrap.
type kindError struct {
	msg    string
	parent error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.parent }
