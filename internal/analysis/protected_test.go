package analysis

import "testing"

// Two different sets of columns never share a key, whatever characters
// their names hold: the plan cache is keyed by it.
func TestProtectedKeyIsExact(t *testing.T) {
	sets := [][]Column{
		{{Schema: "main", Table: "a,t", Name: "b"}},
		{{Table: "main", Name: "a"}, {Table: "t", Name: "b"}},
		{{Table: "main.a", Name: "t.b"}},
		{{Schema: "main", Table: "a", Name: "t.b"}},
		{{Table: `a"b`, Name: "c"}},
		{{Table: "a", Name: `"b"c`}},
	}
	seen := map[string]int{}
	for i, cols := range sets {
		k := NewProtected(cols).Key()
		if j, ok := seen[k]; ok {
			t.Fatalf("sets %d and %d share the key %q", j, i, k)
		}
		seen[k] = i
	}
	a := NewProtected([]Column{{Table: "x", Name: "y"}, {Table: "p", Name: "q"}}).Key()
	b := NewProtected([]Column{{Table: "p", Name: "q"}, {Table: "x", Name: "y"}, {Table: "x", Name: "y"}}).Key()
	if a != b {
		t.Fatalf("the same set in another order has another key: %q, %q", a, b)
	}
}
