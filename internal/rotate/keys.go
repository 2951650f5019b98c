package rotate

import (
	"errors"
	"fmt"
	"github.com/sqlseal/sqlseal/internal/catalog"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
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
	// ring opens values: the current key (index 0), the previous keys,
	// then the new key, so that values under the current key, the bulk
	// of a rotation, open with the first try.
	ring *codec.Keyring
	// isNew[i] reports that ring key i is the new key.
	isNew []bool
	// newKey seals; nil disables encryption.
	newKey *codec.Key
}

// newKeys derives the keys of a rotation. The new secret is checked first,
// so that a bad new key is refused before anything else happens.
func newKeys(cfg config.Config, newSecret string) (*keys, error) {
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
	return &keys{ring: codec.NewKeyring(ringKeys[0], ringKeys[1:]...), isNew: isNew, newKey: newKey}, nil
}

// open opens v with ring. looks is false for a value that does not look
// sealed (plaintext); idx is the key that opened it; err wraps
// codec.ErrCannotOpen or codec.ErrNoKey when it looks sealed and no key
// opens it.
func open(ring *codec.Keyring, v value, kind catalog.Kind) (plaintext []byte, idx int, looks bool, err error) {
	if kind == catalog.KindBinary {
		raw := v.bytes()
		if !codec.LooksSealedRaw(raw) {
			return nil, -1, false, nil
		}
		pt, i, err := ring.Open(raw)
		return pt, i, true, err
	}
	text := v.text()
	if !codec.LooksSealed(text) {
		return nil, -1, false, nil
	}
	pt, i, err := ring.OpenText(text)
	return pt, i, true, err
}

// classify returns the action for v without computing the new value.
func (k *keys) classify(v value, kind catalog.Kind) action {
	a, _, _ := k.decide(v, kind)
	return a
}

// decide opens v and returns its action and, for a value to rewrite, its
// plaintext.
func (k *keys) decide(v value, kind catalog.Kind) (action, []byte, error) {
	if v.null {
		return actNull, nil, nil
	}
	pt, idx, looks, err := open(k.ring, v, kind)
	switch {
	case !looks && k.newKey == nil:
		return actPlaintext, nil, nil
	case !looks:
		return actSeal, v.bytes(), nil
	case err != nil:
		return actBad, nil, err
	case k.isNew[idx]:
		clear(pt)
		return actCurrent, nil, nil
	case k.newKey == nil:
		return actDecrypt, pt, nil
	}
	return actReseal, pt, nil
}

// rewrite returns the action for v and, when it writes, the value to
// write: base64 text for a text column, raw bytes for a binary one, the
// plaintext when disabling.
func (k *keys) rewrite(v value, kind catalog.Kind) (action, any) {
	a, pt, _ := k.decide(v, kind)
	if !a.writes() {
		return a, nil
	}
	var out any
	switch {
	case a == actDecrypt && kind == catalog.KindBinary:
		return a, pt
	case a == actDecrypt:
		out = string(pt)
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
