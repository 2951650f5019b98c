package engine

import (
	"database/sql/driver"
	"testing"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// Where placeholders bind by position, each added argument goes after the
// placeholders of the text before its edit, in text order, and every
// argument is renumbered by its place.
func TestPlaceAdded(t *testing.T) {
	// UPDATE t SET tok = ?, <added 1> , n = ? WHERE tok2 IN (?, <rotation
	// 2, 3>) AND x = ?: edits after 1 and 3 placeholders.
	p := &analysis.Plan{Positional: true, Edits: []analysis.Edit{
		{Kind: analysis.EditAddAssign, ParamsBefore: 1},
		{Kind: analysis.EditSibling, ParamsBefore: 2},
		{Kind: analysis.EditLookupMore, ParamsBefore: 3},
	}}
	values := []driver.NamedValue{{Ordinal: 1, Value: "a"}, {Ordinal: 2, Value: "b"}, {Ordinal: 3, Value: "c"}, {Ordinal: 4, Value: "d"}}
	added := []addedArg{
		{NamedValue: driver.NamedValue{Ordinal: 5, Value: "T(a)"}, edit: 0},
		{NamedValue: driver.NamedValue{Ordinal: 7, Value: "OLD2(c)"}, edit: 2},
		{NamedValue: driver.NamedValue{Ordinal: 6, Value: "OLD1(c)"}, edit: 2},
	}
	got := placeAdded(p, nil, values, added)
	want := []any{"a", "T(a)", "b", "c", "OLD1(c)", "OLD2(c)", "d"}
	if len(got) != len(want) {
		t.Fatalf("got %d arguments, want %d", len(got), len(want))
	}
	for i, v := range got {
		if v.Value != want[i] || v.Ordinal != i+1 {
			t.Errorf("argument %d: %v (ordinal %d), want %v", i, v.Value, v.Ordinal, want[i])
		}
	}
	// An edit after every placeholder appends.
	p.Edits = []analysis.Edit{{Kind: analysis.EditAddValue, ParamsBefore: 4}}
	got = placeAdded(p, nil, values, added[:1])
	if got[4].Value != "T(a)" || got[3].Value != "d" {
		t.Errorf("appended: %v", got)
	}
}
