// Package codec implements sqlseal's two ciphertext formats:
//
//   - the Metabase-compatible format (docs/FORMAT.md), byte-compatible with
//     the one Metabase uses for MB_ENCRYPTION_SECRET_KEY ("AES256 + SHA512"):
//     a value sealed here opens in Metabase, and a value Metabase wrote
//     opens here;
//   - the envelope format (docs/ENVELOPE.md): AES-256-GCM under data keys
//     that a master key wraps, a key id in every value, and every value
//     bound to its column's label.
//
// Usage, with both formats:
//
//	// The secret: Metabase keys, and the master key of the key table.
//	secret, err := codec.DeriveKey(os.Getenv("SQLSEAL_ENCRYPTION_SECRET_KEY"))
//	if err != nil {
//		return err // codec.ErrNoKey or codec.ErrKeyTooShort
//	}
//	ring := codec.NewKeyring(secret) // opens values in the Metabase format
//	kek, err := codec.NewSecretKEK(secret)
//	...
//	// Data keys from the key table (id, kek, wrapped columns).
//	active, err := codec.UnwrapDataKey(ctx, kek, id, wrapped)
//	...
//	keys, err := codec.NewDataKeySet(active /*, keys still in state "decrypt" */)
//	...
//	const label = "metabase_database.details" // table.column, lower case
//	sealed := keys.Active().SealText([]byte(`{"password":"hunter2"}`), label)
//	...
//	plaintext, by, err := codec.OpenStoredText(sealed, label, keys, ring)
//	switch {
//	case errors.Is(err, codec.ErrNotSealed):
//		// stored before encryption was turned on
//	case errors.Is(err, codec.ErrUnknownKeyID):
//		// names a data key that is not loaded (by.KeyID): reload the key table
//	case errors.Is(err, codec.ErrNotAuthentic):
//		// modified, or sealed for another column
//	case errors.Is(err, codec.ErrCannotOpen):
//		// any other value that looks sealed but no key opens
//	case by.Format != codec.FormatEnvelope || by.KeyID != keys.Active().ID():
//		// opened; re-seal it with the active key (rotation)
//	}
//
// # Metabase format
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
// # Envelope format
//
// A [DataKey] (32 bytes and a uint32 id) seals a plaintext for a column
// label as "SQS" 0x02 || key id || nonce || AES-256-GCM(plaintext), with the
// header and the label as associated data; in text form the value starts
// with "U1FTA" ([LooksEnvelope]). [DataKeys] looks keys up by id
// ([DataKeySet] is a ready implementation). [OpenStored] and
// [OpenStoredText] open a stored value in either format, choosing by the
// value's shape as ENVELOPE.md says, and report in [Opened] which format and
// key opened it.
//
// Data keys and index keys live in the key table wrapped by a master key, a
// [Wrapper]: the secret's ([SecretKEK], derived with HKDF-SHA256 from the
// PBKDF2 key) or a KMS keeper ([NewKeeperWrapper], which fits
// gocloud.dev/secrets). [GenerateDataKey] and [UnwrapDataKey] make and load
// them. An [IndexKey] computes blind index terms (HMAC-SHA256 under a
// per-column key) for equality lookups on protected columns.
//
// # Errors and keys
//
// Errors wrap the sentinel errors of this package and never contain
// plaintext, ciphertext or key material. Key types print as placeholders
// with the fmt package. Key derivation uses an empty PBKDF2 salt, as
// Metabase does, and data keys use GCM with nonces from crypto/rand; the
// standard library refuses both only when the program runs in FIPS 140-only
// mode (GODEBUG=fips140=only).
package codec
