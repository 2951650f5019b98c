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
