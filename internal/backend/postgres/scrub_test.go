package postgres

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

type names struct{ cols []string }

func (n names) Mentions(text string) bool {
	for _, c := range n.cols {
		if strings.Contains(strings.ToLower(text), c) {
			return true
		}
	}
	return false
}

func (n names) Table(t string) bool { return t == "accounts" }

func TestScrubError(t *testing.T) {
	s := names{cols: []string{"api_token", "api_token_bidx"}}
	cases := []struct {
		pg         pgconn.PgError
		withheld   bool
		wantDetail string
	}{
		{pgconn.PgError{Code: "23505", Detail: `Key (api_token_bidx)=(\x01ab) already exists.`, ConstraintName: "accounts_api_token_bidx_key"}, true, ""},
		{pgconn.PgError{Code: "23502", TableName: "accounts", Detail: `Failing row contains (1, null, \x01ab).`}, true, ""},
		{pgconn.PgError{Code: "23505", TableName: "other", Detail: `Key (name)=(bob) already exists.`}, false, `Key (name)=(bob) already exists.`},
	}
	for _, tc := range cases {
		pg := tc.pg
		err := scrubError(fmt.Errorf("wrapped: %w", &pg), s)
		var got *pgconn.PgError
		if !errors.As(err, &got) {
			t.Fatalf("%s: the PgError is lost", tc.pg.Code)
		}
		if got.Code != tc.pg.Code || got.ConstraintName != tc.pg.ConstraintName {
			t.Errorf("%s: code or constraint changed: %+v", tc.pg.Code, got)
		}
		if tc.withheld && got.Detail != Withheld {
			t.Errorf("%s: Detail %q passed on", tc.pg.Code, got.Detail)
		}
		if !tc.withheld && got.Detail != tc.wantDetail {
			t.Errorf("%s: Detail %q, want %q", tc.pg.Code, got.Detail, tc.wantDetail)
		}
	}
	plain := errors.New("not a PgError")
	if scrubError(plain, s) != plain {
		t.Error("another error is changed")
	}
}
