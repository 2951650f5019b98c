package codec

// Keyring holds the keys of one configuration: a primary key, which seals
// and is tried first when opening, and previous keys, which only open
// (values sealed before a key rotation). A Keyring is immutable and safe for
// concurrent use. A nil *Keyring behaves like an empty one: it cannot seal
// and opens nothing.
type Keyring struct {
	// keys[0] is the primary key, keys[i] is previous[i-1]; entries may
	// be nil, so that key indexes are stable.
	keys []*Key
	n    int // number of non-nil keys
}

// NewKeyring returns a keyring with primary as the sealing key and previous
// as keys that are accepted for opening only, tried in order after the
// primary. primary may be nil: sealing is then disabled (encryption turned
// off, or a read-only tool) while previous keys still open values. Nil
// entries in previous are skipped but keep their index.
func NewKeyring(primary *Key, previous ...*Key) *Keyring {
	keys := make([]*Key, 0, 1+len(previous))
	keys = append(keys, primary)
	keys = append(keys, previous...)
	n := 0
	for _, k := range keys {
		if k != nil {
			n++
		}
	}
	return &Keyring{keys: keys, n: n}
}

// CanSeal reports whether the keyring has a primary key.
func (r *Keyring) CanSeal() bool {
	return r != nil && len(r.keys) > 0 && r.keys[0] != nil
}

// Len returns the number of keys that can open values: the primary key, if
// any, and the previous keys.
func (r *Keyring) Len() int {
	if r == nil {
		return 0
	}
	return r.n
}

// Seal seals plaintext with the primary key (see [Key.Seal]). Without a
// primary key it returns an error wrapping [ErrNoKey].
func (r *Keyring) Seal(plaintext []byte) ([]byte, error) {
	if !r.CanSeal() {
		return nil, errNoKeyToSeal
	}
	return r.keys[0].Seal(plaintext), nil
}

// SealText seals plaintext with the primary key in base64 form (see
// [Key.SealText]). Without a primary key it returns an error wrapping
// [ErrNoKey].
func (r *Keyring) SealText(plaintext []byte) (string, error) {
	if !r.CanSeal() {
		return "", errNoKeyToSeal
	}
	return r.keys[0].SealText(plaintext), nil
}

// Open opens a raw sealed value with the first key that authenticates it,
// trying the primary key first, and returns the plaintext and the index of
// that key: 0 for the primary key, i >= 1 for previous[i-1] as passed to
// [NewKeyring] (stable even when the primary key is nil). A caller that sees
// a keyIndex other than 0 knows the value should be re-sealed.
//
// Errors wrap [ErrNotSealed] (raw does not have a sealed value's length),
// [ErrNoKey] (raw looks sealed but the keyring has no key) or
// [ErrCannotOpen] (no key authenticates it); keyIndex is then -1.
func (r *Keyring) Open(raw []byte) (plaintext []byte, keyIndex int, err error) {
	if !LooksSealedRaw(raw) {
		return nil, -1, errBadLength
	}
	i, err := r.find(raw)
	if err != nil {
		return nil, -1, err
	}
	out := make([]byte, len(raw)-ivLen-tagLen)
	plaintext, err = r.keys[i].decrypt(out, raw)
	if err != nil {
		return nil, -1, err
	}
	return plaintext, i, nil
}

// OpenText is [Keyring.Open] for the base64 form. Text that is not strict
// padded standard base64 of a sealed value's length returns an error
// wrapping [ErrNotSealed].
func (r *Keyring) OpenText(text string) ([]byte, int, error) {
	raw, err := decodeText(text)
	if err != nil {
		return nil, -1, err
	}
	i, err := r.find(raw)
	if err != nil {
		return nil, -1, err
	}
	plaintext, err := r.keys[i].decryptInPlace(raw)
	if err != nil {
		return nil, -1, err
	}
	return plaintext, i, nil
}

// find returns the index of the first key that authenticates raw, which has
// a sealed value's length.
func (r *Keyring) find(raw []byte) (int, error) {
	if r.Len() == 0 {
		return -1, errNoKeyToOpen
	}
	for i, k := range r.keys {
		if k != nil && k.authentic(raw) {
			return i, nil
		}
	}
	return -1, errNoKeyMatches
}
