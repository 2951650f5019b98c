package rotate

import (
	"errors"
	"fmt"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// action is what a rotation does with one value.
type action uint8

const (
	actNull      action = iota // NULL: left alone
	actSeal                    // plaintext: seal with the new key
	actReseal                  // sealed with another key: re-seal
	actCurrent                 // already sealed with the new key: left alone
	actDecrypt                 // sealed, new key "": write the plaintext
	actPlaintext               // plaintext, new key "": left alone
	actBad                     // looks sealed, no key opens it
)

// writes reports whether a must write a new value.
func (a action) writes() bool { return a == actSeal || a == actReseal || a == actDecrypt }

// keys are the keys of one rotation.
type keys struct {
	// ring opens Metabase values: the current key (index 0), the previous
	// keys, then the new key, so that values under the current key, the
	// bulk of a rotation, open with the first try.
	ring *codec.Keyring
	// isNew[i] reports that ring key i is the new key.
	isNew []bool
	// newKey seals in the Metabase format; nil with data keys, or to
	// disable encryption.
	newKey *codec.Key
	// data opens envelope values.
	data *codec.DataKeySet
	// active is data's active key, which seals every value instead of
	// newKey; nil without one, or to disable encryption.
	active *codec.DataKey
}

// newKeys derives the keys of a rotation. The new secret is checked first,
// so that a bad new key is refused before anything else happens. With
// data keys that have an active key, values are rewritten to it, unless
// disable, and newSecret must be empty.
func newKeys(cfg config.Config, newSecret string, data *codec.DataKeySet, disable bool) (*keys, error) {
	if disable && newSecret != "" {
		return nil, fmt.Errorf("sqlseal: disabling encryption and a new secret key: %w", ErrNewSecretWithKeyTable)
	}
	if data.Active() != nil && newSecret != "" {
		return nil, fmt.Errorf("sqlseal: the database has a key table: values are rewritten to its active data key, not to a new secret; rotate the master key with sqlseal keys rewrap: %w", ErrNewSecretWithKeyTable)
	}
	var newKey *codec.Key
	if newSecret != "" {
		k, err := codec.DeriveKey(newSecret)
		if err != nil {
			if errors.Is(err, codec.ErrKeyTooShort) {
				return nil, fmt.Errorf("sqlseal: the new secret key must be at least %d characters: %w", codec.MinSecretLength, err)
			}
			return nil, fmt.Errorf("sqlseal: the new secret key: %w", err)
		}
		newKey = k
	}
	// Validate the configured keys with the configuration's own messages,
	// which name the variable at fault.
	if _, err := cfg.Keyring(); err != nil {
		return nil, err
	}
	var ringKeys []*codec.Key
	for _, s := range append([]string{cfg.SecretKey}, cfg.PreviousSecretKeys...) {
		var k *codec.Key
		if s != "" {
			var err error
			if k, err = codec.DeriveKey(s); err != nil {
				return nil, err // cannot happen: cfg.Keyring succeeded
			}
		}
		ringKeys = append(ringKeys, k)
	}
	ringKeys = append(ringKeys, newKey)
	isNew := make([]bool, len(ringKeys))
	for i, k := range ringKeys {
		// DeriveKey returns the same *Key for the same secret.
		isNew[i] = k != nil && k == newKey
	}
	k := &keys{ring: codec.NewKeyring(ringKeys[0], ringKeys[1:]...), isNew: isNew, newKey: newKey, data: data}
	if !disable {
		k.active = data.Active()
	}
	return k, nil
}

// open opens v, stored in column label, in either format. The error wraps
// codec.ErrNotSealed for a value that does not look sealed (plaintext).
func (k *keys) open(v value, kind catalog.Kind, label string) ([]byte, codec.Opened, error) {
	if kind == catalog.KindBinary {
		return codec.OpenStored(v.bytes(), label, k.data, k.ring)
	}
	return codec.OpenStoredText(v.text(), label, k.data, k.ring)
}

// sealing reports whether the rotation seals (rather than disabling
// encryption).
func (k *keys) sealing() bool { return k.active != nil || k.newKey != nil }

// current reports whether a value opened as by is already under the key
// the rotation seals with.
func (k *keys) current(by codec.Opened) bool {
	if a := k.active; a != nil {
		return by.Format == codec.FormatEnvelope && by.KeyID == a.ID()
	}
	return by.Format == codec.FormatMetabase && by.KeyIndex >= 0 && k.isNew[by.KeyIndex]
}

// classify returns the action for v without computing the new value.
func (k *keys) classify(v value, kind catalog.Kind, label string) action {
	a, pt, _ := k.decide(v, kind, label)
	clear(pt)
	return a
}

// decide opens v and returns its action and, for a value to rewrite, its
// plaintext.
func (k *keys) decide(v value, kind catalog.Kind, label string) (action, []byte, error) {
	if v.null {
		return actNull, nil, nil
	}
	pt, by, err := k.open(v, kind, label)
	switch {
	case errors.Is(err, codec.ErrNotSealed) && !k.sealing():
		return actPlaintext, nil, nil
	case errors.Is(err, codec.ErrNotSealed):
		return actSeal, v.bytes(), nil
	case err != nil:
		return actBad, nil, err
	case k.current(by):
		clear(pt)
		return actCurrent, nil, nil
	case !k.sealing():
		return actDecrypt, pt, nil
	}
	return actReseal, pt, nil
}

// rewrite returns the action for v and, when it writes, the value to
// write: base64 text for a text column, raw bytes for a binary one, the
// plaintext when disabling.
func (k *keys) rewrite(v value, kind catalog.Kind, label string) (action, any) {
	a, pt, _ := k.decide(v, kind, label)
	if !a.writes() {
		return a, nil
	}
	var out any
	active := k.active
	switch {
	case a == actDecrypt && kind == catalog.KindBinary:
		return a, pt
	case a == actDecrypt:
		out = string(pt)
	case active != nil && kind == catalog.KindBinary:
		out = active.Seal(pt, label)
	case active != nil:
		out = active.SealText(pt, label)
	case kind == catalog.KindBinary:
		out = k.newKey.Seal(pt)
	default:
		out = k.newKey.SealText(pt)
	}
	if a == actReseal || a == actDecrypt {
		clear(pt) // our own buffer; a plaintext value's bytes may be v's
	}
	return a, out
}
