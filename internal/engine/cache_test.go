package engine

import (
	"fmt"
	"testing"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

func TestPlanCacheIsBoundedAndKeepsWhatIsUsed(t *testing.T) {
	c := newPlanCache(10)
	analysed := map[string]int{}
	analyse := func(s string) *analysis.Plan { analysed[s]++; return &analysis.Plan{} }
	hot := "SELECT hot"
	for i := range 100 {
		c.get(fmt.Sprintf("SELECT %d", i), analyse)
		c.get(hot, analyse)
		if n := len(c.cur) + len(c.old); n > 20 {
			t.Fatalf("cache holds %d entries, limit 2*10", n)
		}
	}
	if analysed[hot] != 1 {
		t.Errorf("a text used all along was analysed %d times", analysed[hot])
	}
	if got := c.analyses.Load(); got != 101 {
		t.Errorf("analyses = %d, want 101", got)
	}
	first := c.get("SELECT 0", analyse)
	if analysed["SELECT 0"] != 2 || first == nil {
		t.Errorf("an evicted text is analysed again: %d", analysed["SELECT 0"])
	}
}
