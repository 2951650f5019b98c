package codec

import (
	"crypto/sha256"
	"sync"
	"sync/atomic"
)

// derivations counts PBKDF2 runs, so tests can prove the cache works.
var derivations atomic.Int64

// keyCache holds one entry per distinct secret derived in this process,
// indexed by the SHA-256 hash of the secret.
var keyCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]*cacheEntry
}

// cacheEntry derives its key once, even when several goroutines ask for the
// same new secret at the same time.
type cacheEntry struct {
	once sync.Once
	key  *Key
	err  error
}

// cachedKey returns the Key of secret, deriving it on first use.
func cachedKey(secret string) (*Key, error) {
	id := sha256.Sum256([]byte(secret))

	keyCache.mu.Lock()
	if keyCache.entries == nil {
		keyCache.entries = make(map[[sha256.Size]byte]*cacheEntry)
	}
	e, ok := keyCache.entries[id]
	if !ok {
		e = &cacheEntry{}
		keyCache.entries[id] = e
	}
	keyCache.mu.Unlock()

	e.once.Do(func() {
		material, err := deriveMaterial(secret)
		if err == nil {
			e.key, err = newKey(material)
			clear(material)
		}
		e.err = err
	})
	return e.key, e.err
}
