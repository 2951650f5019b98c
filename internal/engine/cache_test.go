package engine

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

func TestPlanCacheIsBoundedByBytesAndKeepsWhatIsUsed(t *testing.T) {
	const limit = 4096
	c := newPlanCache(limit)
	analysed := map[string]int{}
	analyse := func(s string) *analysis.Plan { analysed[s]++; return &analysis.Plan{} }
	hot := "SELECT hot"
	for i := range 200 {
		c.get(fmt.Sprintf("SELECT %d", i), analyse)
		c.get(hot, analyse)
		held := 0
		for _, m := range []map[string]*planEntry{c.cur, c.old} {
			for _, pe := range m {
				held += pe.size
			}
		}
		if held > 2*limit {
			t.Fatalf("cache holds %d bytes, limit 2*%d", held, limit)
		}
	}
	if analysed[hot] != 1 {
		t.Errorf("a text used all along was analysed %d times", analysed[hot])
	}
	if got := c.analyses.Load(); got != 201 {
		t.Errorf("analyses = %d, want 201", got)
	}
	first := c.get("SELECT 0", analyse)
	if analysed["SELECT 0"] != 2 || first == nil {
		t.Errorf("an evicted text is analysed again: %d", analysed["SELECT 0"])
	}
}

// Large texts are bounded by their size, not their number: 20,000
// distinct 64 KB texts leave at most two generations of bytes.
func TestPlanCacheBoundsLargeTexts(t *testing.T) {
	c := newPlanCache(cacheBytes)
	analyse := func(s string) *analysis.Plan { return &analysis.Plan{} }
	pad := strings.Repeat("x", 64<<10)
	for i := range 2000 {
		c.get(fmt.Sprintf("SELECT '%s' -- %d", pad, i), analyse)
	}
	held := 0
	for _, m := range []map[string]*planEntry{c.cur, c.old} {
		for k, pe := range m {
			held += pe.size
			if len(k) > pe.size {
				t.Fatalf("an entry's size %d does not count its key of %d bytes", pe.size, len(k))
			}
		}
	}
	if held > 2*cacheBytes {
		t.Fatalf("cache holds %d bytes", held)
	}
}

// A plan whose text holds string literals written to protected columns is
// kept under the text's digest: the plaintext is not kept.
func TestPlanCacheKeepsNoLiteralText(t *testing.T) {
	c := newPlanCache(cacheBytes)
	secret := "INSERT INTO t (c) VALUES ('secret-literal-value')"
	lit := &analysis.Plan{Literals: []analysis.LiteralTarget{{Start: 26, End: 48}}}
	calls := 0
	c.get(secret, func(string) *analysis.Plan { calls++; return lit })
	c.get(secret, func(string) *analysis.Plan { calls++; return lit })
	if calls != 1 {
		t.Fatalf("analysed %d times", calls)
	}
	for k := range c.cur {
		if strings.Contains(k, "secret-literal-value") {
			t.Fatalf("the cache keeps the literal's text as a key")
		}
	}
}

// Concurrent misses of one text analyse it once, and a slow analysis does
// not block lookups of other texts.
func TestPlanCacheAnalysesOnceConcurrently(t *testing.T) {
	c := newPlanCache(cacheBytes)
	c.get("SELECT other", func(string) *analysis.Plan { return &analysis.Plan{} })
	release := make(chan struct{})
	var mu sync.Mutex
	calls := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.get("SELECT slow", func(string) *analysis.Plan {
				mu.Lock()
				calls++
				mu.Unlock()
				<-release
				return &analysis.Plan{}
			})
		}()
	}
	// While the slow analysis runs, another text is served.
	if pe := c.get("SELECT other", func(string) *analysis.Plan { t.Error("re-analysed"); return nil }); pe == nil {
		t.Fatal("no entry")
	}
	close(release)
	wg.Wait()
	if calls != 1 {
		t.Fatalf("analysed %d times", calls)
	}
}
