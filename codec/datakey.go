package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"
)

// DataKeyLen is the length of a data key (DEK): an AES-256 key.
const DataKeyLen = 32

// DataKey is a data key of the envelope format (docs/ENVELOPE.md): a
// 32-byte AES-256-GCM key and the id written into every value it seals. It
// seals a plaintext for one column, named by its label, as
//
//	"SQS" 0x02 || key_id || nonce || AES-256-GCM(plaintext, aad = header || 0x00 || label)
//
// so that a value opens only with the same key and the same label. The
// label is the protected column's "table.column" in lower case, without a
// schema (for example "metabase_database.details"); the codec uses it as
// given, byte for byte.
//
// The AES key schedule and GCM tables are prepared once, in [NewDataKey],
// and the associated data of a label on its first use (for up to 256
// labels); a DataKey keeps no other copy of the key bytes. Obtain data
// keys from [NewDataKey], [GenerateDataKey] or [UnwrapDataKey]; the zero
// DataKey is not usable. A DataKey is safe for concurrent use. Formatting a DataKey
// with the fmt package prints its id only, never key material.
type DataKey struct {
	id   uint32
	aead cipher.AEAD // AES-256-GCM, 12-byte nonce, 16-byte tag
	aads *aadCache
}

// aadCache holds the associated data header || 0x00 || label of one data
// key for each label it has seen, so that sealing and opening build none:
// labels come from configuration, so there are few. It stops adding labels
// at maxCachedLabels; further labels get their associated data built per
// call.
type aadCache struct {
	mu     sync.Mutex                        // serializes adding labels
	labels atomic.Pointer[map[string][]byte] // copy on write; values are read only
}

const maxCachedLabels = 256

// NewDataKey returns the data key with the given id and 32 key bytes. key
// is not retained: the caller may clear it afterwards.
//
// The data key uses cipher.NewGCM with nonces from crypto/rand, which the
// standard library refuses in FIPS 140-only mode (GODEBUG=fips140=only);
// NewDataKey then returns that error.
func NewDataKey(id uint32, key []byte) (*DataKey, error) {
	if len(key) != DataKeyLen {
		return nil, fmt.Errorf("sqlseal: a data key must be %d bytes, got %d", DataKeyLen, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: preparing data key %d: %w", id, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: preparing data key %d: %w", id, err)
	}
	k := &DataKey{id: id, aead: aead, aads: &aadCache{}}
	k.aads.labels.Store(&map[string][]byte{})
	return k, nil
}

// aad returns header || 0x00 || label for k. The result is shared: callers
// must not modify it.
func (k *DataKey) aad(label string) []byte {
	if a, ok := (*k.aads.labels.Load())[label]; ok {
		return a
	}
	a := make([]byte, envelopeAADLen(label))
	putEnvelopeAAD(a, k.id, label)
	k.aads.mu.Lock()
	defer k.aads.mu.Unlock()
	old := *k.aads.labels.Load()
	if len(old) >= maxCachedLabels {
		return a
	}
	if cached, ok := old[label]; ok {
		return cached
	}
	labels := make(map[string][]byte, len(old)+1)
	for l, v := range old {
		labels[l] = v
	}
	labels[label] = a
	k.aads.labels.Store(&labels)
	return a
}

// ID returns the key id that the data key writes into the values it seals.
func (k *DataKey) ID() uint32 { return k.id }

// Format implements fmt.Formatter so that printing a DataKey, with any
// verb, shows its id and never key material.
func (k DataKey) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "codec.DataKey(id=%d, redacted)", k.id)
}

// Seal encrypts and authenticates plaintext for the column label and
// returns the raw envelope value, 36 bytes longer than plaintext, with a
// fresh random nonce. Use it for binary columns (bytea, BLOB); text columns
// take [DataKey.SealText]. Sealing the same plaintext twice gives different
// values. It allocates once.
func (k *DataKey) Seal(plaintext []byte, label string) []byte {
	raw := make([]byte, envelopeOverhead+len(plaintext))
	rand.Read(raw[envelopeHeaderLen:envelopeBodyStart]) // never fails: crypto/rand crashes the program instead
	k.sealInto(raw, plaintext, label)
	return raw
}

// SealText is [DataKey.Seal] encoded with standard base64 (with padding, no
// line breaks), for text columns. The text starts with "U1FTA". It
// allocates once.
func (k *DataKey) SealText(plaintext []byte, label string) string {
	return sealText(envelopeOverhead+len(plaintext), func(raw []byte) {
		rand.Read(raw[envelopeHeaderLen:envelopeBodyStart]) // never fails: crypto/rand crashes the program instead
		k.sealInto(raw, plaintext, label)
	})
}

// sealWithNonce is Seal with a chosen nonce, for known-answer tests. nonce
// must be 12 bytes.
func (k *DataKey) sealWithNonce(nonce, plaintext []byte, label string) []byte {
	if len(nonce) != envelopeNonceLen {
		panic("codec: nonce must be 12 bytes")
	}
	raw := make([]byte, envelopeOverhead+len(plaintext))
	copy(raw[envelopeHeaderLen:], nonce)
	k.sealInto(raw, plaintext, label)
	return raw
}

// sealInto fills raw, which has length 36 + len(plaintext) and holds the
// nonce at raw[8:20], with the header and the GCM body.
func (k *DataKey) sealInto(raw, plaintext []byte, label string) {
	aad := k.aad(label)
	copy(raw, aad[:envelopeHeaderLen])
	k.aead.Seal(raw[envelopeBodyStart:envelopeBodyStart], raw[envelopeHeaderLen:envelopeBodyStart], plaintext, aad)
}

// Open checks and decrypts a raw envelope value (see [DataKey.Seal]) sealed
// for the column label. raw is not modified; the plaintext is a new slice.
// It allocates once.
//
// Errors wrap [ErrNotSealed] (raw is not at least 36 bytes starting with
// "SQS" 0x02), [ErrUnknownKeyID] (raw names another key id) or
// [ErrNotAuthentic] (modified, sealed for another label, or sealed with
// another key of this id); the last two are kinds of [ErrCannotOpen]. Open
// knows the envelope format only: see [OpenStored] for values that may be in
// the Metabase format.
func (k *DataKey) Open(raw []byte, label string) ([]byte, error) {
	if !LooksEnvelopeRaw(raw) {
		return nil, errNotEnvelope
	}
	if id := envelopeKeyID(raw); id != k.id {
		return nil, unknownKeyIDError(id)
	}
	return k.open(raw, label)
}

// OpenText is [DataKey.Open] for the base64 form (see [DataKey.SealText]).
// Text that is not strict padded standard base64 of an envelope value
// returns an error wrapping [ErrNotSealed]. It allocates once.
func (k *DataKey) OpenText(text string, label string) ([]byte, error) {
	raw, err := decodeEnvelopeText(text)
	if err != nil {
		return nil, err
	}
	if id := envelopeKeyID(raw); id != k.id {
		return nil, unknownKeyIDError(id)
	}
	return k.openInPlace(raw, label)
}

// open decrypts raw, an envelope value of k's id, into a new buffer.
func (k *DataKey) open(raw []byte, label string) ([]byte, error) {
	n := len(raw) - envelopeOverhead
	out, err := k.aead.Open(make([]byte, 0, n), raw[envelopeHeaderLen:envelopeBodyStart], raw[envelopeBodyStart:], k.aad(label))
	if err != nil {
		return nil, errNotAuthentic
	}
	return out, nil
}

// openInPlace decrypts raw, an envelope value of k's id that the caller
// owns, over its own ciphertext. On failure GCM has wiped the ciphertext.
func (k *DataKey) openInPlace(raw []byte, label string) ([]byte, error) {
	body := raw[envelopeBodyStart:]
	out, err := k.aead.Open(body[:0], raw[envelopeHeaderLen:envelopeBodyStart], body, k.aad(label))
	if err != nil {
		return nil, errNotAuthentic
	}
	n := len(out)
	return out[:n:n], nil
}

// decodeEnvelopeText decodes text, if it looks like an envelope value (see
// LooksEnvelope), into a new buffer. Text of another shape returns an error
// wrapping ErrNotSealed, without allocating.
func decodeEnvelopeText(text string) ([]byte, error) {
	n, ok := envelopeTextShape(text)
	if !ok {
		return nil, errNotEnvelopeText
	}
	raw := make([]byte, n)
	// As in decodeText: Decode rejects characters outside the alphabet
	// and misplaced padding, and the line breaks it would skip make the
	// decoded length fall short of n, so it checks what LooksEnvelope
	// checks without a separate pass.
	src := unsafe.Slice(unsafe.StringData(text), len(text))
	if m, err := base64.StdEncoding.Decode(raw, src); err != nil || m != n {
		return nil, errNotEnvelopeText
	}
	return raw, nil
}

// Preallocated errors of the envelope format.
var (
	errNotEnvelope     = fmt.Errorf("%w: not an envelope value (at least 36 bytes starting with \"SQS\" 0x02)", ErrNotSealed)
	errNotEnvelopeText = fmt.Errorf("%w: not strict padded standard base64 of an envelope value (at least 36 bytes starting with \"SQS\" 0x02)", ErrNotSealed)
	errNotAuthentic    = fmt.Errorf("%w", ErrNotAuthentic)
)

// unknownKeyIDError reports a key id that no configured data key has. The
// id is not secret; it tells an operator which key table entry is missing.
func unknownKeyIDError(id uint32) error {
	return fmt.Errorf("%w: key id %d", ErrUnknownKeyID, id)
}
