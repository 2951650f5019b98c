package engine

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/query"
)

// literalParser decodes a literal as the text between its quotes.
type literalParser struct{}

func (literalParser) Parse(string) ([]query.Statement, error) { return nil, nil }
func (literalParser) LiteralValue(tok string) (string, error) {
	if len(tok) < 2 {
		return "", errors.New("short")
	}
	return tok[1 : len(tok)-1], nil
}

func testEngine(t testing.TB) *Engine {
	t.Helper()
	k, err := codec.DeriveKey("bind-test-key-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{b: &Backend{Parser: literalParser{}}, keys: newKeys(codec.NewKeyring(k), nil, time.Minute), kinds: map[analysis.Column]catalog.Kind{}, labels: map[analysis.Column]string{}}
	now := time.Now()
	e.keys.state.Store(&keyState{loaded: now, tried: now}) // no key table
	return e
}

// Literal spans that overlap, run backwards or leave the text are an
// error: the statement is not sent half sealed.
func TestSealLiteralsRejectsBadSpans(t *testing.T) {
	e := testEngine(t)
	c := analysis.Column{Table: "t", Name: "c"}
	e.kinds[c] = catalog.KindText
	sql := "INSERT INTO t (a, c) VALUES ('one', 'two')"
	good := []analysis.LiteralTarget{{Start: 29, End: 34, Column: c}, {Start: 36, End: 41, Column: c}}
	out, _, err := e.sealLiterals(context.Background(), nil, sql, good)
	if err != nil {
		t.Fatal(err)
	}
	if out == sql || len(out) < len(sql) {
		t.Fatalf("not sealed: %q", out)
	}
	for _, bad := range [][]analysis.LiteralTarget{
		{{Start: 29, End: 36, Column: c}, {Start: 34, End: 41, Column: c}}, // overlap
		{{Start: 36, End: 41, Column: c}, {Start: 29, End: 34, Column: c}}, // out of order
		{{Start: 36, End: 99, Column: c}},                                  // past the end
		{{Start: 34, End: 34, Column: c}},                                  // empty
		{{Start: -1, End: 3, Column: c}},                                   // before the start
	} {
		if _, _, err := e.sealLiterals(context.Background(), nil, sql, bad); !errors.Is(err, errInternal) {
			t.Errorf("%+v: err %v, want errInternal", bad, err)
		}
	}
}
