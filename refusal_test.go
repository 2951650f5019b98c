package sqlseal_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal"
)

// Advice replaces the reason's general hint; without it the hint is given.
func TestRefusalAdvice(t *testing.T) {
	c := sqlseal.Column{Table: "users", Name: "ssn"}
	plain := &sqlseal.RefusalError{Column: c, Reason: sqlseal.ReasonUnparsed, Detail: "syntax error at character 40"}
	if got := plain.Error(); !strings.Contains(got, sqlseal.ReasonUnparsed.Hint()) || !strings.Contains(got, "rejects it: syntax error at character 40;") {
		t.Errorf("without advice: %s", got)
	}
	advised := &sqlseal.RefusalError{Column: c, Reason: sqlseal.ReasonUnparsed, Detail: "syntax error", Advice: "number them $1, $2, ..."}
	got := advised.Error()
	if !strings.Contains(got, "; number them $1, $2, ... (nothing was sent to the server)") || strings.Contains(got, sqlseal.ReasonUnparsed.Hint()) {
		t.Errorf("with advice: %s", got)
	}
	if !errors.Is(advised, sqlseal.ErrRefused) {
		t.Error("not ErrRefused")
	}
}

// Every reason has a name of its own for metrics; an unknown one is
// "unknown".
func TestReasonNames(t *testing.T) {
	seen := map[string]sqlseal.Reason{}
	for r := sqlseal.ReasonComputed; r <= sqlseal.ReasonArguments; r++ {
		n := r.Name()
		if n == "" || n == "unknown" || strings.ContainsAny(n, " %") {
			t.Errorf("reason %d: name %q", r, n)
		}
		if other, ok := seen[n]; ok {
			t.Errorf("reasons %d and %d share the name %q", other, r, n)
		}
		seen[n] = r
	}
	if got := (sqlseal.ReasonArguments + 1).Name(); got != "unknown" {
		t.Errorf("unknown reason: %q", got)
	}
	if got := sqlseal.ReasonCompared.Name(); got != "compared" {
		t.Errorf("ReasonCompared: %q", got)
	}
}
