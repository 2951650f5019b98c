package mysql

import (
	"errors"
	"strings"
	"testing"
)

// Expressions nested deeper than maxDepth are rejected: a chain of a
// million operators (2 MB of text, which the server accepts) would
// otherwise overflow the stack and end the process. A chain of 5,000 still
// parses.
func TestDeepExpressionsAreRejected(t *testing.T) {
	p := &Parser{}
	if _, err := p.Parse("SELECT " + strings.Repeat("1+", 2*maxDepth) + "1"); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("%d chained operators: %v", 2*maxDepth, err)
	}
	if _, err := p.Parse("SELECT " + strings.Repeat("1+", 5000) + "1"); err != nil {
		t.Fatalf("5,000 chained operators: %v", err)
	}
}
