package config

import (
	"errors"
	"testing"
)

// Review finding (issue 11): "its sibling must not be a protected column"
// is checked by comparing the strings as written, so a blind index named
// with its schema whose sibling is a protected column named without it
// (or the reverse) is accepted. The driver folds both to the same column
// of the search path's table and then writes terms, which sqlseal did not
// seal, into a protected column (and fails to open them on read).
func TestBlindIndexSiblingIsProtectedAcrossQualification(t *testing.T) {
	for _, c := range []Config{
		{Columns: []string{"public.accounts.api_token", "accounts.email"}, BlindIndexes: []string{"public.accounts.api_token:email"}},
		{Columns: []string{"accounts.api_token", "public.accounts.email"}, BlindIndexes: []string{"accounts.api_token:email"}},
	} {
		if _, err := c.BlindIndexList(); !errors.Is(err, ErrInvalid) {
			t.Errorf("columns %v, blind indexes %v: accepted (%v); the sibling is the protected column accounts.email", c.Columns, c.BlindIndexes, err)
		}
	}
}
