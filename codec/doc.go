// Package codec implements sqlseal's ciphertext format, which is
// byte-compatible with the one Metabase uses for MB_ENCRYPTION_SECRET_KEY
// ("AES256 + SHA512", docs/FORMAT.md): a value sealed here opens in
// Metabase, and a value Metabase wrote opens here.
//
// A secret is turned into a [Key] once per process with [DeriveKey]
// (PBKDF2-HMAC-SHA512, 100,000 iterations; the result is cached). A Key seals
// a plaintext as iv || AES-256-CBC(PKCS7(plaintext)) || HMAC-SHA512(iv||c)[:32]
// and opens such values after checking the tag in constant time. A [Keyring]
// holds the primary key, which seals, and previous keys, which only open, so
// that a key can be rotated while old values are still being read.
//
// Text columns store the standard base64 form ([Key.SealText],
// [Keyring.OpenText]); binary columns store the raw bytes ([Key.Seal],
// [Keyring.Open]). [LooksSealed] tells, by shape only and without
// allocating, whether a stored string could be a sealed value.
//
// Usage:
//
//	primary, err := codec.DeriveKey(os.Getenv("SQLSEAL_ENCRYPTION_SECRET_KEY"))
//	if err != nil {
//		return err // codec.ErrNoKey or codec.ErrKeyTooShort
//	}
//	ring := codec.NewKeyring(primary)
//	sealed, err := ring.SealText([]byte(`{"password":"hunter2"}`))
//	...
//	plaintext, keyIndex, err := ring.OpenText(sealed)
//	switch {
//	case errors.Is(err, codec.ErrNotSealed):
//		// stored before encryption was turned on
//	case errors.Is(err, codec.ErrCannotOpen):
//		// wrong key, or the value was tampered with
//	}
//
// Errors wrap the sentinel errors of this package and never contain
// plaintext, ciphertext or key material. Key derivation uses an empty PBKDF2
// salt, as Metabase does; the standard library refuses that only when the
// program runs in FIPS 140-only mode (GODEBUG=fips140=only).
package codec
