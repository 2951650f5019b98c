package engine

import (
	"crypto/sha256"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// planEntry is the cached analysis of one SQL text.
type planEntry struct {
	plan *analysis.Plan
	// read is the result mapping of one engine, cached when it does not
	// depend on the execution (see readerFor). Plans are shared by every
	// engine with the same backend and columns, but a mapping belongs to
	// one engine (its database's column kinds): it serves only that one.
	read atomic.Pointer[staticReader]
	size int
}

// planCache maps SQL text to its analysis, bounded by an estimate of the
// bytes it holds: when the current generation is full it becomes the old
// one, and entries used again are carried over. The text of a statement
// with string literals written to protected columns holds plaintext, so
// such a plan is kept under the SHA-256 of the text rather than the text.
// Texts are analysed outside the lock, once however many connections ask
// for them at the same time.
type planCache struct {
	mu       sync.RWMutex
	cur, old map[string]*planEntry
	curBytes int
	oldBytes int
	limit    int // bytes per generation
	flight   singleflight.Group
	analyses atomic.Int64 // how many texts were analysed (tests)
}

// Cache bounds: two generations of at most cacheBytes each; a single plan
// larger than maxEntryBytes is not kept.
const (
	cacheBytes    = 16 << 20
	maxEntryBytes = cacheBytes / 64
)

func newPlanCache(limit int) *planCache {
	return &planCache{cur: make(map[string]*planEntry), limit: limit}
}

// digestKey is the key of a plan whose text must not be kept. It cannot
// collide with a text key: SQL text never starts with a NUL byte that the
// parsers accept.
func digestKey(sql string) string {
	d := sha256.Sum256([]byte(sql))
	return "\x00" + string(d[:])
}

// lookup returns the entry under key, carrying it from the old generation
// to the current one.
func (c *planCache) lookup(key string) *planEntry {
	c.mu.RLock()
	pe, inCur := c.cur[key]
	inOld := false
	if !inCur {
		pe, inOld = c.old[key]
	}
	c.mu.RUnlock()
	switch {
	case inCur:
		return pe
	case inOld:
		c.mu.Lock()
		c.store(key, pe)
		c.mu.Unlock()
		return pe
	}
	return nil
}

// get returns the entry of sql, analysing it on a miss.
func (c *planCache) get(sql string, analyse func(string) *analysis.Plan) *planEntry {
	if pe := c.lookup(sql); pe != nil {
		return pe
	}
	dk := digestKey(sql)
	if pe := c.lookup(dk); pe != nil {
		return pe
	}
	v, _, _ := c.flight.Do(dk, func() (any, error) {
		// A flight for this text may have ended between the lookups
		// above and this one starting: its entry is in the cache now.
		if pe := c.lookup(sql); pe != nil {
			return pe, nil
		}
		if pe := c.lookup(dk); pe != nil {
			return pe, nil
		}
		pe := &planEntry{plan: analyse(sql)}
		c.analyses.Add(1)
		key := dk
		if len(pe.plan.Literals) == 0 && !literalTerms(pe.plan) {
			key = sql
		}
		pe.size = len(key) + planSize(pe.plan)
		if pe.size <= maxEntryBytes {
			c.mu.Lock()
			c.store(key, pe)
			c.mu.Unlock()
		}
		return pe, nil
	})
	return v.(*planEntry)
}

// store puts pe under key in the current generation, starting a new one
// when it is full. c.mu must be held for writing.
func (c *planCache) store(key string, pe *planEntry) {
	if _, ok := c.cur[key]; ok {
		return
	}
	if c.curBytes+pe.size > c.limit && len(c.cur) > 0 {
		c.old, c.cur, c.oldBytes, c.curBytes = c.cur, make(map[string]*planEntry, len(c.cur)), c.curBytes, 0
	}
	c.cur[key] = pe
	c.curBytes += pe.size
}

// size returns the entries of both generations and the bytes they hold,
// estimated; an entry carried over is counted in both.
func (c *planCache) size() (entries, bytes int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.cur) + len(c.old), c.curBytes + c.oldBytes
}

// planSize estimates the bytes a plan holds.
func planSize(p *analysis.Plan) int {
	n := 160 + 48*len(p.Params) + 24*len(p.Others) + 48*len(p.Literals) + 48*len(p.Results) + 96*len(p.Edits) + 48*len(p.Terms)
	for _, r := range p.Results {
		if r.Star != nil {
			n += 64 + 48*len(r.Star.Protected)
		}
	}
	if p.Err != nil {
		n += 128
	}
	return n
}

var (
	cachesMu sync.Mutex
	caches   = map[string]*planCache{}
)

// sharedCache returns the process-wide cache for one backend and set of
// protected columns (protectedKey is analysis.Protected.Key, which is exact),
// so that every connector with the same configuration analyses a text
// once.
func sharedCache(backend, protectedKey string) *planCache {
	key := strconv.Quote(backend) + protectedKey
	cachesMu.Lock()
	defer cachesMu.Unlock()
	c, ok := caches[key]
	if !ok {
		c = newPlanCache(cacheBytes)
		caches[key] = c
	}
	return c
}

// literalTerms reports whether a plan's edits compute terms from string
// literals of the text, which then holds plaintext of protected columns.
func literalTerms(p *analysis.Plan) bool {
	for _, ed := range p.Edits {
		if ed.Kind == analysis.EditTermLiteral || ed.Source == analysis.SourceLiteral {
			return true
		}
	}
	return false
}
