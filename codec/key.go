package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha512"
	"fmt"
	"hash"
	"io"
	"sync"
	"unicode/utf16"
)

// Parameters of the Metabase key derivation (docs/FORMAT.md).
const (
	// MinSecretLength is the minimum length of a secret, in UTF-16 code
	// units (Java characters), the unit Metabase counts in.
	MinSecretLength = 16

	kdfIterations = 100000
	kdfKeyLen     = 64
	macKeyLen     = 32
)

// Key is a derived key: the HMAC-SHA512 key and the AES-256 key of one
// secret, with the AES key schedule and HMAC states prepared once so that
// sealing and opening a value allocate little. Obtain keys from [DeriveKey];
// the zero Key is not usable. A Key is safe for concurrent use.
//
// Formatting a Key with the fmt package prints a fixed placeholder, never
// key material.
type Key struct {
	mac   []byte       // HMAC-SHA512 key, key[0:32]
	enc   []byte       // AES-256 key, key[32:64]
	block cipher.Block // AES-256 schedule of enc
	macs  *sync.Pool   // of *macState keyed with mac
}

// macState is a reusable HMAC-SHA512 instance and the buffer its sum is
// written to, so that computing a tag does not allocate.
type macState struct {
	h   hash.Hash
	sum [sha512.Size]byte
}

// DeriveKey derives the key of a secret the way Metabase does:
// PBKDF2-HMAC-SHA512 over the secret's UTF-8 bytes exactly as given, with an
// empty salt, 100,000 iterations and 64 bytes of output, split into the MAC
// key (first 32 bytes) and the encryption key (last 32 bytes).
//
// Derivation takes about 100 ms, so results are cached for the life of the
// process, one per distinct secret (the cache is indexed by a SHA-256 hash of
// the secret, not the secret itself); calling DeriveKey again with the same
// secret returns the same *Key at once.
//
// An empty secret returns an error wrapping [ErrNoKey] (encryption disabled);
// a secret shorter than [MinSecretLength] UTF-16 code units returns one
// wrapping [ErrKeyTooShort].
func DeriveKey(secret string) (*Key, error) {
	if secret == "" {
		return nil, fmt.Errorf("%w: the secret is empty", ErrNoKey)
	}
	if utf16Len(secret) < MinSecretLength {
		return nil, ErrKeyTooShort
	}
	return cachedKey(secret)
}

// utf16Len counts s in UTF-16 code units. Invalid UTF-8 bytes count as one
// unit each (they decode to U+FFFD).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

// deriveMaterial runs the PBKDF2 derivation of FORMAT.md without any length
// rule and returns the 64 bytes of key material.
func deriveMaterial(secret string) ([]byte, error) {
	derivations.Add(1)
	material, err := pbkdf2.Key(sha512.New, secret, []byte{}, kdfIterations, kdfKeyLen)
	if err != nil {
		// Only in FIPS 140-only mode, which refuses the empty salt.
		return nil, fmt.Errorf("sqlseal: deriving key: %w", err)
	}
	return material, nil
}

// newKey builds a Key from 64 bytes of key material.
func newKey(material []byte) (*Key, error) {
	if len(material) != kdfKeyLen {
		return nil, fmt.Errorf("sqlseal: key material must be %d bytes, got %d", kdfKeyLen, len(material))
	}
	k := &Key{
		mac: append([]byte(nil), material[:macKeyLen]...),
		enc: append([]byte(nil), material[macKeyLen:]...),
	}
	block, err := aes.NewCipher(k.enc)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: preparing AES key: %w", err)
	}
	k.block = block
	mac := k.mac
	k.macs = &sync.Pool{New: func() any {
		return &macState{h: hmac.New(sha512.New, mac)}
	}}
	return k, nil
}

// tag computes HMAC-SHA512(mac key, ivAndCiphertext) into st.sum and
// returns its first tagLen bytes. The caller returns st to the pool when it
// no longer needs the slice.
func (k *Key) tag(st *macState, ivAndCiphertext []byte) []byte {
	st.h.Reset()
	st.h.Write(ivAndCiphertext)
	return st.h.Sum(st.sum[:0])[:tagLen]
}

// Format implements fmt.Formatter so that printing a Key, with any verb,
// never reveals key material.
func (k Key) Format(f fmt.State, verb rune) {
	io.WriteString(f, "codec.Key(redacted)")
}

// material returns a new copy of the 64 bytes of key material k was built
// from (PBKDF2's output: the MAC key, then the encryption key), for the
// derivations of docs/ENVELOPE.md. The caller clears it after use.
func (k *Key) material() []byte {
	m := make([]byte, 0, kdfKeyLen)
	m = append(m, k.mac...)
	return append(m, k.enc...)
}
