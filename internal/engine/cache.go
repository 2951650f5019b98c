package engine

import (
	"sync"
	"sync/atomic"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// stmtInfo is the cached analysis of one SQL text.
type stmtInfo struct {
	plan *analysis.Plan
	// read is the result-column mapping, once it is known not to depend
	// on the run-time column list. Plans are shared by every engine with
	// the same dialect and columns, but a reader belongs to one engine
	// (its keys, its database's column kinds): it serves only that engine.
	read atomic.Pointer[reader]
}

// planCache maps SQL text to its analysis. It holds at most 2*limit
// entries: when the current generation is full it becomes the old one, and
// entries used again are carried over.
type planCache struct {
	mu       sync.RWMutex
	cur, old map[string]*stmtInfo
	limit    int
	analyses atomic.Int64 // how many texts were analysed (tests)
}

func newPlanCache(limit int) *planCache {
	return &planCache{cur: make(map[string]*stmtInfo), limit: limit}
}

func (c *planCache) get(sql string, analyse func(string) *analysis.Plan) *stmtInfo {
	c.mu.RLock()
	si, ok := c.cur[sql]
	c.mu.RUnlock()
	if ok {
		return si
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if si, ok = c.cur[sql]; ok {
		return si
	}
	if si, ok = c.old[sql]; !ok {
		si = &stmtInfo{plan: analyse(sql)}
		c.analyses.Add(1)
	}
	if len(c.cur) >= c.limit {
		c.old, c.cur = c.cur, make(map[string]*stmtInfo, c.limit)
	}
	c.cur[sql] = si
	return si
}

var (
	cachesMu sync.Mutex
	caches   = map[string]*planCache{}
)

// sharedCache returns the process-wide cache for one dialect and set of
// protected columns, so that every connector with the same configuration
// analyses a text once.
func sharedCache(key string) *planCache {
	cachesMu.Lock()
	defer cachesMu.Unlock()
	c, ok := caches[key]
	if !ok {
		c = newPlanCache(4096)
		caches[key] = c
	}
	return c
}
