package codec

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"sync"
	"sync/atomic"
)

// Sizes of the blind index (docs/ENVELOPE.md, "Blind index").
const (
	// TermLen is the length of a blind index term: a version byte and
	// HMAC-SHA256.
	TermLen = 1 + sha256.Size // 33
	// IndexKeyLen is the length of an index key of the key table (purpose
	// "index"). The secret's index root is its 64-byte PBKDF2 key instead.
	IndexKeyLen = 32

	termVersion    = 0x01
	indexInfo      = "sqlseal blind index v1\x00"
	columnIndexLen = 32
)

// IndexKey computes blind index terms, which let a database find rows by
// equality on a protected column without holding its plaintext:
//
//	k_col = HKDF-SHA256(ikm = root, salt = empty, info = "sqlseal blind index v1" || 0x00 || label, 32 bytes)
//	term  = 0x01 || HMAC-SHA256(k_col, plaintext)        (TermLen = 33 bytes)
//
// root is the secret's 64-byte PBKDF2 key when there is no key table
// ([NewSecretIndexKey]), otherwise the active 32-byte index key of the key
// table ([UnwrapIndexKey]). The term lives in a sibling column, which a
// plain or UNIQUE index serves. Equal plaintexts of one column have equal
// terms, so a term reveals which rows of a column are equal, and nothing
// else without the key.
//
// k_col is derived once per label and kept (one entry per distinct label
// ever asked for: labels come from configuration, not from data). An
// IndexKey is safe for concurrent use; keep it for the life of the
// configuration rather than building one per value. Formatting it with the
// fmt package prints a placeholder, never key material.
type IndexKey struct {
	s *indexState
}

type indexState struct {
	root []byte
	mu   sync.Mutex                             // serializes adding labels
	cols atomic.Pointer[map[string]*columnMACs] // copy on write
}

// columnMACs holds reusable HMAC-SHA256 instances keyed with one k_col.
type columnMACs struct {
	pool sync.Pool // of hash.Hash
}

// NewIndexKey returns the index key with the given root: 32 bytes (an index
// key of the key table) or 64 bytes (a secret's PBKDF2 key). root is copied.
func NewIndexKey(root []byte) (*IndexKey, error) {
	if len(root) != IndexKeyLen && len(root) != kdfKeyLen {
		return nil, fmt.Errorf("sqlseal: an index key root must be %d or %d bytes, got %d", IndexKeyLen, kdfKeyLen, len(root))
	}
	s := &indexState{root: append([]byte(nil), root...)}
	s.cols.Store(&map[string]*columnMACs{})
	return &IndexKey{s: s}, nil
}

// NewSecretIndexKey returns the index key whose root is the 64-byte PBKDF2
// key of k's secret, for deployments without a key table.
func NewSecretIndexKey(k *Key) (*IndexKey, error) {
	if k == nil {
		return nil, fmt.Errorf("%w: the secret's index key needs a key", ErrNoKey)
	}
	material := k.material()
	defer clear(material)
	return NewIndexKey(material)
}

// Term returns the 33-byte blind index term of plaintext in the column
// label. It allocates once (the term) after the first call for a label.
func (x *IndexKey) Term(plaintext []byte, label string) []byte {
	return x.AppendTerm(make([]byte, 0, TermLen), plaintext, label)
}

// AppendTerm appends the blind index term of plaintext in the column label
// to dst and returns the extended slice. It does not allocate when dst has
// room for [TermLen] more bytes, after the first call for a label.
func (x *IndexKey) AppendTerm(dst, plaintext []byte, label string) []byte {
	c := x.column(label)
	h := c.pool.Get().(hash.Hash)
	h.Reset()
	h.Write(plaintext)
	dst = h.Sum(append(dst, termVersion))
	c.pool.Put(h)
	return dst
}

// column returns the HMAC pool of label, deriving k_col on first use.
func (x *IndexKey) column(label string) *columnMACs {
	if c, ok := (*x.s.cols.Load())[label]; ok {
		return c
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	old := *x.s.cols.Load()
	if c, ok := old[label]; ok {
		return c
	}
	kcol, err := hkdf.Key(sha256.New, x.s.root, nil, indexInfo+label, columnIndexLen)
	if err != nil {
		// Only for output lengths HKDF cannot produce, or hashes that
		// FIPS 140-only mode refuses; neither applies.
		panic("codec: deriving a blind index key: " + err.Error())
	}
	c := &columnMACs{pool: sync.Pool{New: func() any { return hmac.New(sha256.New, kcol) }}}
	cols := make(map[string]*columnMACs, len(old)+1)
	for l, v := range old {
		cols[l] = v
	}
	cols[label] = c
	x.s.cols.Store(&cols)
	return c
}

// Format implements fmt.Formatter so that printing an IndexKey, with any
// verb, never reveals key material.
func (x IndexKey) Format(f fmt.State, verb rune) {
	fmt.Fprint(f, "codec.IndexKey(redacted)")
}
