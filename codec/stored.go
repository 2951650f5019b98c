package codec

import (
	"fmt"
	"strconv"
)

// Format names the ciphertext format of a stored value.
type Format uint8

// The formats a stored value can be in.
const (
	// FormatNone: the value is not sealed in any format (or opening
	// failed before its format was known).
	FormatNone Format = iota
	// FormatMetabase: the Metabase-compatible format of docs/FORMAT.md,
	// opened by a [Keyring].
	FormatMetabase
	// FormatEnvelope: the envelope format of docs/ENVELOPE.md, opened by
	// a [DataKey].
	FormatEnvelope
)

// String returns "none", "metabase" or "envelope".
func (f Format) String() string {
	switch f {
	case FormatNone:
		return "none"
	case FormatMetabase:
		return "metabase"
	case FormatEnvelope:
		return "envelope"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Opened tells how [OpenStored] or [OpenStoredText] opened a value, or, when
// opening failed, which format the value appeared to be in. A value needs
// re-sealing (rotation) unless it is FormatEnvelope under the active data
// key's id.
type Opened struct {
	// Format is the format that opened the value. On error it is the
	// format the value appeared to be in (FormatNone for values that are
	// not sealed).
	Format Format
	// KeyID is the data key id of an envelope value, read from its header:
	// the key that opened it, or on error the key it names (for
	// ErrUnknownKeyID, the id to look for in the key table). 0 for other
	// formats.
	KeyID uint32
	// KeyIndex is the index of the Keyring key that opened a Metabase
	// value, as [Keyring.Open] returns it (0 for the primary key); -1
	// otherwise.
	KeyIndex int
}

// String describes o for logs and status output: "envelope key 7",
// "metabase key 0" or "none".
func (o Opened) String() string {
	switch o.Format {
	case FormatEnvelope:
		return "envelope key " + strconv.FormatUint(uint64(o.KeyID), 10)
	case FormatMetabase:
		if o.KeyIndex < 0 {
			return "metabase"
		}
		return "metabase key " + strconv.Itoa(o.KeyIndex)
	}
	return o.Format.String()
}

// Preallocated errors of OpenStored, so that reading plaintext rows does not
// allocate.
var (
	errNotStored     = fmt.Errorf("%w: neither an envelope value (at least 36 bytes starting with \"SQS\" 0x02) nor a Metabase value (iv + whole 16-byte blocks + tag, at least 64 bytes)", ErrNotSealed)
	errNotStoredText = fmt.Errorf("%w: not strict padded standard base64 of an envelope value or of a Metabase value", ErrNotSealed)
)

// OpenStored opens a raw stored value of the column label, whichever format
// it is in, the way docs/ENVELOPE.md says ("Opening"), and returns the
// plaintext and how it was opened:
//
//   - raw has the envelope shape (at least 36 bytes starting with "SQS"
//     0x02): the key that keys looks up by the value's key id opens it,
//     with label as associated data. If no key has that id, or the value
//     does not authenticate, and raw also has the Metabase shape, the
//     Metabase keyring ring is tried (a random Metabase IV starts with
//     "SQS" 0x02 once in 2^32). If that fails too, the envelope error is
//     returned: [ErrUnknownKeyID] or [ErrNotAuthentic].
//   - raw has the Metabase shape only: ring opens it, as [Keyring.Open]
//     does ([ErrCannotOpen], or [ErrNoKey] when ring has no key).
//   - anything else: [ErrNotSealed] (a value stored before encryption was
//     turned on, or not a sealed value at all).
//
// A value that looks sealed is never returned as plaintext. keys and ring
// may be nil (no key table; no Metabase keys). raw is not modified. Opening
// an envelope value allocates once.
//
// A value copied from one protected column into another fails here with
// [ErrNotAuthentic]: its data key is known, but it was sealed under the
// other column's label. The codec does not know the other columns; a caller
// that does can name the value's origin by trying their labels with the
// same data key:
//
//	plaintext, by, err := codec.OpenStored(raw, "users.ssn", keys, ring)
//	if errors.Is(err, codec.ErrNotAuthentic) {
//		if k, ok := keys.Lookup(by.KeyID); ok {
//			for _, other := range otherProtectedLabels {
//				if _, err := k.Open(raw, other); err == nil {
//					return fmt.Errorf("users.ssn holds a value sealed for %s", other)
//				}
//			}
//		}
//	}
//
// (and should not return that plaintext: the point of binding values to
// their column is that they do not open elsewhere).
func OpenStored(raw []byte, label string, keys DataKeys, ring *Keyring) ([]byte, Opened, error) {
	metabase := LooksSealedRaw(raw)
	if LooksEnvelopeRaw(raw) {
		id := envelopeKeyID(raw)
		var err error
		if k, ok := lookupDataKey(keys, id); ok {
			plaintext, openErr := k.open(raw, label)
			if openErr == nil {
				return plaintext, Opened{Format: FormatEnvelope, KeyID: id, KeyIndex: -1}, nil
			}
			err = openErr
		} else {
			err = unknownKeyIDError(id)
		}
		if metabase && ring.Len() > 0 {
			if plaintext, i, ringErr := ring.Open(raw); ringErr == nil {
				return plaintext, Opened{Format: FormatMetabase, KeyIndex: i}, nil
			}
		}
		return nil, Opened{Format: FormatEnvelope, KeyID: id, KeyIndex: -1}, err
	}
	if !metabase {
		return nil, Opened{KeyIndex: -1}, errNotStored
	}
	plaintext, i, err := ring.Open(raw)
	return plaintext, Opened{Format: FormatMetabase, KeyIndex: i}, err
}

// OpenStoredText is [OpenStored] for the base64 form that text columns
// store. Text that is neither [LooksEnvelope] nor [LooksSealed] returns an
// error wrapping [ErrNotSealed], without allocating. Opening an envelope
// value allocates once.
func OpenStoredText(text string, label string, keys DataKeys, ring *Keyring) ([]byte, Opened, error) {
	if _, ok := envelopeTextShape(text); ok {
		raw, err := decodeEnvelopeText(text)
		if err != nil {
			// Not strict base64, so not LooksSealed either.
			return nil, Opened{KeyIndex: -1}, errNotStoredText
		}
		id := envelopeKeyID(raw)
		if k, ok := lookupDataKey(keys, id); ok {
			// On failure this wipes raw; the Metabase attempt below
			// decodes text again.
			plaintext, openErr := k.openInPlace(raw, label)
			if openErr == nil {
				return plaintext, Opened{Format: FormatEnvelope, KeyID: id, KeyIndex: -1}, nil
			}
			err = openErr
		} else {
			err = unknownKeyIDError(id)
		}
		if ring.Len() > 0 && LooksSealed(text) {
			if plaintext, i, ringErr := ring.OpenText(text); ringErr == nil {
				return plaintext, Opened{Format: FormatMetabase, KeyIndex: i}, nil
			}
		}
		return nil, Opened{Format: FormatEnvelope, KeyID: id, KeyIndex: -1}, err
	}
	plaintext, i, err := ring.OpenText(text)
	if err == errBadText {
		return nil, Opened{KeyIndex: -1}, errNotStoredText
	}
	return plaintext, Opened{Format: FormatMetabase, KeyIndex: i}, err
}

// lookupDataKey looks id up in keys, which may be nil.
func lookupDataKey(keys DataKeys, id uint32) (*DataKey, bool) {
	if keys == nil {
		return nil, false
	}
	k, ok := keys.Lookup(id)
	return k, ok && k != nil
}
