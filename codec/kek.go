package codec

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Wrapper is a master key (KEK): it wraps the data and index keys stored in
// the key table and unwraps them again. The secret's master key
// ([SecretKEK]) implements it, and so does any KMS keeper through
// [NewKeeperWrapper].
type Wrapper interface {
	// ID identifies the master key in the key table's kek column: a KMS
	// URL without credentials, or "secret:" and 8 hex digits for the
	// secret's master key. It is stable and contains no key material.
	ID() string
	// Wrap encrypts key, the key table entry with the given id.
	Wrap(ctx context.Context, id uint32, key []byte) ([]byte, error)
	// Unwrap decrypts what Wrap returned for the entry with the given id.
	Unwrap(ctx context.Context, id uint32, wrapped []byte) ([]byte, error)
}

// Keeper is the method set of gocloud.dev/secrets' *secrets.Keeper, so that a
// keeper opened from a KMS URL (awskms://, gcpkms://, azurekeyvault://,
// hashivault://, base64key://) can wrap keys through [NewKeeperWrapper]
// without this package depending on gocloud.
type Keeper interface {
	Encrypt(ctx context.Context, plaintext []byte) ([]byte, error)
	Decrypt(ctx context.Context, ciphertext []byte) ([]byte, error)
}

// KeeperWrapper is a [Wrapper] over a [Keeper]: wrapped = keeper.Encrypt(key)
// (docs/ENVELOPE.md, "From a KMS"). The KMS binds its ciphertext to the KMS
// key, not to the key table id; a wrapped key moved to another row unwraps,
// but the values it sealed name its real id and do not open under the
// other.
type KeeperWrapper struct {
	id     string
	keeper Keeper
}

// NewKeeperWrapper returns the Wrapper of keeper, identified by id in the
// key table's kek column. id must be the keeper's URL without credentials
// or other secrets (query parameters that carry tokens must be removed).
func NewKeeperWrapper(id string, keeper Keeper) (*KeeperWrapper, error) {
	if id == "" || keeper == nil {
		return nil, fmt.Errorf("%w: a keeper wrapper needs an id and a keeper", ErrNoKey)
	}
	return &KeeperWrapper{id: id, keeper: keeper}, nil
}

// ID returns the id given to [NewKeeperWrapper].
func (w *KeeperWrapper) ID() string { return w.id }

// Wrap returns keeper.Encrypt(key). Errors of the keeper are wrapped as
// they are (with gocloud, inspect them with gcerrors.Code).
func (w *KeeperWrapper) Wrap(ctx context.Context, id uint32, key []byte) ([]byte, error) {
	wrapped, err := w.keeper.Encrypt(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: wrapping key %d with %s: %w", id, w.id, err)
	}
	return wrapped, nil
}

// Unwrap returns keeper.Decrypt(wrapped). Errors of the keeper are wrapped
// as they are: a KMS reports a wrong key, a missing permission and a network
// failure in its own terms.
func (w *KeeperWrapper) Unwrap(ctx context.Context, id uint32, wrapped []byte) ([]byte, error) {
	key, err := w.keeper.Decrypt(ctx, wrapped)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: unwrapping key %d with %s: %w", id, w.id, err)
	}
	return key, nil
}

// Derivation and wrapping constants of the secret's master key.
const (
	kekInfo        = "sqlseal kek v2"
	kekLen         = 32
	wrapAADPrefix  = "sqlseal dek\x00"
	wrapNonceLen   = 12
	wrapOverhead   = wrapNonceLen + 16 // nonce, GCM tag
	secretKEKIDPre = "secret:"
)

// SecretKEK is the master key derived from the secret, for deployments
// without a KMS (docs/ENVELOPE.md, "Master key"):
//
//	kek     = HKDF-SHA256(ikm = the 64-byte PBKDF2 key, salt = empty, info = "sqlseal kek v2", 32 bytes)
//	wrapped = nonce(12) || AES-256-GCM-Seal(kek, nonce, key, aad = "sqlseal dek" || 0x00 || id (uint32 BE))
//
// Its [SecretKEK.ID] is "secret:" and the first 8 hex digits of SHA-256 of
// kek. It implements [Wrapper], is safe for concurrent use, and formats as a
// placeholder with the fmt package.
type SecretKEK struct {
	id   string
	aead cipher.AEAD
}

// NewSecretKEK derives the master key of k's secret. It is cheap (one HKDF);
// k itself comes from [DeriveKey].
func NewSecretKEK(k *Key) (*SecretKEK, error) {
	if k == nil {
		return nil, fmt.Errorf("%w: the secret's master key needs a key", ErrNoKey)
	}
	material := k.material()
	defer clear(material)
	kek, err := hkdf.Key(sha256.New, material, nil, kekInfo, kekLen)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: deriving the master key: %w", err)
	}
	defer clear(kek)
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: preparing the master key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: preparing the master key: %w", err)
	}
	sum := sha256.Sum256(kek)
	return &SecretKEK{id: secretKEKIDPre + hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// ID returns "secret:" and the first 8 hex digits of SHA-256 of the derived
// master key: the same for every process with the same secret, different
// (with overwhelming probability) for another secret.
func (w *SecretKEK) ID() string { return w.id }

// Format implements fmt.Formatter so that printing a SecretKEK, with any
// verb, shows its id and never key material.
func (w SecretKEK) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "codec.SecretKEK(%s, redacted)", w.id)
}

// Wrap returns nonce || AES-256-GCM-Seal(kek, nonce, key, aad) with a random
// nonce and the key id in the associated data. It does not fail; ctx is not
// used.
func (w *SecretKEK) Wrap(ctx context.Context, id uint32, key []byte) ([]byte, error) {
	var nonce [wrapNonceLen]byte
	rand.Read(nonce[:]) // never fails: crypto/rand crashes the program instead
	return w.wrapWithNonce(nonce[:], id, key), nil
}

// wrapWithNonce is Wrap with a chosen nonce, for known-answer tests.
func (w *SecretKEK) wrapWithNonce(nonce []byte, id uint32, key []byte) []byte {
	out := make([]byte, wrapNonceLen, wrapOverhead+len(key))
	copy(out, nonce)
	aad := wrapAAD(id)
	return w.aead.Seal(out, out[:wrapNonceLen], key, aad[:])
}

// Unwrap reverses Wrap for the key with the given id. A wrong secret, a
// modified wrapped key or another id returns an error wrapping [ErrUnwrap].
func (w *SecretKEK) Unwrap(ctx context.Context, id uint32, wrapped []byte) ([]byte, error) {
	if len(wrapped) < wrapOverhead {
		return nil, fmt.Errorf("%w: key %d: wrapped key too short", ErrUnwrap, id)
	}
	aad := wrapAAD(id)
	key, err := w.aead.Open(nil, wrapped[:wrapNonceLen], wrapped[wrapNonceLen:], aad[:])
	if err != nil {
		return nil, fmt.Errorf("%w: key %d does not authenticate under %s", ErrUnwrap, id, w.id)
	}
	return key, nil
}

// wrapAAD returns "sqlseal dek" || 0x00 || id (uint32 big-endian).
func wrapAAD(id uint32) (aad [len(wrapAADPrefix) + 4]byte) {
	copy(aad[:], wrapAADPrefix)
	binary.BigEndian.PutUint32(aad[len(wrapAADPrefix):], id)
	return aad
}

// GenerateDataKey makes a new random data key with the given id and wraps
// it with w, for a new row of the key table (state "active" or "decrypt"),
// whose kek column is w.ID(). It checks that w unwraps what it wrapped
// before returning, so a misconfigured KMS fails here and not after values
// were sealed with a key nobody can unwrap. The key bytes are cleared; only
// the DataKey and the wrapped form remain.
func GenerateDataKey(ctx context.Context, w Wrapper, id uint32) (key *DataKey, wrapped []byte, err error) {
	wrapped, err = generateWrapped(ctx, w, id, DataKeyLen, func(b []byte) error {
		key, err = NewDataKey(id, b)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return key, wrapped, nil
}

// UnwrapDataKey unwraps a data key of the key table with w and returns it.
// Errors wrap [ErrUnwrap] when w returns something other than a 32-byte key,
// or w's own error (for [SecretKEK], one wrapping ErrUnwrap).
func UnwrapDataKey(ctx context.Context, w Wrapper, id uint32, wrapped []byte) (*DataKey, error) {
	b, err := unwrapLen(ctx, w, id, wrapped, DataKeyLen)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return NewDataKey(id, b)
}

// GenerateIndexKey makes a new random 32-byte index key (key table purpose
// "index") and wraps it with w, like [GenerateDataKey].
func GenerateIndexKey(ctx context.Context, w Wrapper, id uint32) (key *IndexKey, wrapped []byte, err error) {
	wrapped, err = generateWrapped(ctx, w, id, IndexKeyLen, func(b []byte) error {
		key, err = NewIndexKey(b)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return key, wrapped, nil
}

// UnwrapIndexKey unwraps an index key of the key table (32 bytes) with w,
// like [UnwrapDataKey].
func UnwrapIndexKey(ctx context.Context, w Wrapper, id uint32, wrapped []byte) (*IndexKey, error) {
	b, err := unwrapLen(ctx, w, id, wrapped, IndexKeyLen)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return NewIndexKey(b)
}

// generateWrapped makes n random bytes, wraps them with w, checks that they
// unwrap, hands them to use and clears them.
func generateWrapped(ctx context.Context, w Wrapper, id uint32, n int, use func([]byte) error) ([]byte, error) {
	if w == nil {
		return nil, fmt.Errorf("%w: generating a key needs a master key", ErrNoKey)
	}
	b := make([]byte, n)
	defer clear(b)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	wrapped, err := w.Wrap(ctx, id, b)
	if err != nil {
		return nil, err
	}
	back, err := unwrapLen(ctx, w, id, wrapped, n)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: the master key %s does not unwrap what it wrapped: %w", w.ID(), err)
	}
	same := subtle.ConstantTimeCompare(back, b) == 1
	clear(back)
	if !same {
		return nil, fmt.Errorf("%w: the master key %s unwraps another key than it wrapped", ErrUnwrap, w.ID())
	}
	if err := use(b); err != nil {
		return nil, err
	}
	return wrapped, nil
}

// unwrapLen unwraps with w and checks the length of the result.
func unwrapLen(ctx context.Context, w Wrapper, id uint32, wrapped []byte, n int) ([]byte, error) {
	if w == nil {
		return nil, fmt.Errorf("%w: unwrapping a key needs a master key", ErrNoKey)
	}
	b, err := w.Unwrap(ctx, id, wrapped)
	if err != nil {
		return nil, err
	}
	if len(b) != n {
		clear(b)
		return nil, fmt.Errorf("%w: key %d unwraps to %d bytes, want %d", ErrUnwrap, id, len(b), n)
	}
	return b, nil
}
