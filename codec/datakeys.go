package codec

import "fmt"

// DataKeys looks data keys up by the id an envelope value names.
// [DataKeySet] implements it; an engine that reloads its key table when an
// unknown id shows up can implement it over its own cache. Lookup must be
// safe for concurrent use and should not block: it is called for every
// envelope value opened.
type DataKeys interface {
	// Lookup returns the data key with the given id, and false when no
	// configured key has it (unknown or retired).
	Lookup(id uint32) (*DataKey, bool)
}

// DataKeySet is an immutable set of data keys: the active key, which seals
// new values, and the keys that still open values (state "decrypt" in the
// key table). It implements [DataKeys]. A nil *DataKeySet is an empty set.
type DataKeySet struct {
	active *DataKey
	byID   map[uint32]*DataKey
}

// NewDataKeySet returns the set of active and others. active may be nil: the
// set then opens values but cannot seal (a read-only tool, or no key table
// yet). Nil entries in others are skipped. Two keys with the same id are an
// error, even if they are the same key.
func NewDataKeySet(active *DataKey, others ...*DataKey) (*DataKeySet, error) {
	s := &DataKeySet{active: active, byID: make(map[uint32]*DataKey, 1+len(others))}
	for _, k := range append([]*DataKey{active}, others...) {
		if k == nil {
			continue
		}
		if _, dup := s.byID[k.id]; dup {
			return nil, fmt.Errorf("sqlseal: data key id %d appears twice", k.id)
		}
		s.byID[k.id] = k
	}
	return s, nil
}

// Lookup returns the key with the given id.
func (s *DataKeySet) Lookup(id uint32) (*DataKey, bool) {
	if s == nil {
		return nil, false
	}
	k, ok := s.byID[id]
	return k, ok
}

// Active returns the key that seals new values, or nil.
func (s *DataKeySet) Active() *DataKey {
	if s == nil {
		return nil
	}
	return s.active
}

// Len returns the number of keys in the set, the active key included.
func (s *DataKeySet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.byID)
}
