package analysis_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/dialect/sqlite"
)

var (
	apiToken = analysis.Column{Table: "accounts", Name: "api_token"}
	email    = analysis.Column{Table: "accounts", Name: "email"}
	secret   = analysis.Column{Table: "accounts", Name: "secret"}
)

func indexedProtected() *analysis.Protected {
	return analysis.NewIndexedProtected([]analysis.Column{apiToken, email, secret},
		[]analysis.Index{{Column: apiToken, Sibling: "api_token_bidx"}, {Column: email, Sibling: "email_idx"}})
}

// render applies a plan's edits the way the engine does, with markers
// instead of terms: T(...) for a literal's term, $n for a new placeholder.
func render(sql string, p *analysis.Plan, prot *analysis.Protected) string {
	return renderRotating(sql, p, prot, false)
}

// renderRotating is render, with the edits made while an index key
// rotates when rotating: OLD(...) stands for a value's older term.
func renderRotating(sql string, p *analysis.Plan, prot *analysis.Protected, rotating bool) string {
	var b strings.Builder
	last := 0
	for _, ed := range p.Edits {
		b.WriteString(sql[last:ed.Start])
		sib, _ := prot.Sibling(ed.Column)
		value := func() string {
			switch ed.Source {
			case analysis.SourceParam:
				if p.Positional {
					// Bound after ParamsBefore placeholders of the text.
					return fmt.Sprintf("$%d<%d", ed.NewParam, ed.ParamsBefore)
				}
				return fmt.Sprintf("$%d", ed.NewParam)
			case analysis.SourceLiteral:
				return "T(" + sql[ed.LitStart:ed.LitEnd] + ")"
			case analysis.SourceNull:
				return "NULL"
			case analysis.SourceDefault:
				return "DEFAULT"
			case analysis.SourceExcluded:
				if ed.NameEnd > 0 {
					return sql[ed.RefStart:ed.NameStart] + sib + sql[ed.NameEnd:ed.Start]
				}
				return "EXCLUDED." + sib
			}
			return "?"
		}
		olds := func() string {
			var parts []string
			for _, v := range ed.Values {
				if v.Source == analysis.SourceParam {
					parts = append(parts, fmt.Sprintf("OLD($%d)", v.Param.Ordinal))
				} else {
					parts = append(parts, "OLD("+sql[v.LitStart:v.LitEnd]+")")
				}
			}
			return strings.Join(parts, ", ")
		}
		switch ed.Kind {
		case analysis.EditLookupOpen:
			if rotating {
				b.WriteString("(")
			}
		case analysis.EditLookupClose:
			if rotating {
				b.WriteString(" OR " + sql[ed.RefStart:ed.NameStart] + sib + " IN (" + olds() + "))")
			}
		case analysis.EditLookupMore:
			if rotating {
				b.WriteString(", " + olds())
			}
		case analysis.EditNumberParam:
			b.WriteString(ed.Text)
		case analysis.EditSibling:
			b.WriteString(sib)
		case analysis.EditTermLiteral:
			b.WriteString("T(" + sql[ed.Start:ed.End] + ")")
		case analysis.EditAddColumn:
			b.WriteString(", " + sib)
		case analysis.EditAddValue:
			b.WriteString(", " + value())
		case analysis.EditAddAssign:
			b.WriteString(", " + sib + " = " + value())
		}
		last = ed.End
	}
	b.WriteString(sql[last:])
	return b.String()
}

func TestBlindIndexRewrites(t *testing.T) {
	prot := indexedProtected()
	cases := []struct {
		sql, want string
		terms     []int // ordinals replaced by terms
		sealed    []int
	}{
		{`INSERT INTO accounts (id, api_token) VALUES ($1, $2)`,
			`INSERT INTO accounts (id, api_token, api_token_bidx) VALUES ($1, $2, $3)`, nil, []int{2}},
		{`INSERT INTO accounts (api_token, id, email) VALUES ($1, $2, 'A@x'), ($3, $4, NULL) RETURNING id, api_token`,
			`INSERT INTO accounts (api_token, api_token_bidx, id, email, email_idx) VALUES ($1, $5, $2, 'A@x', T('A@x')), ($3, $6, $4, NULL, NULL) RETURNING id, api_token`, nil, []int{1, 3}},
		{`INSERT INTO accounts (id, "api_token") VALUES ($1, DEFAULT)`,
			`INSERT INTO accounts (id, "api_token", api_token_bidx) VALUES ($1, DEFAULT, DEFAULT)`, nil, nil},
		{`INSERT INTO accounts AS a (id, api_token) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET api_token = EXCLUDED.api_token`,
			`INSERT INTO accounts AS a (id, api_token, api_token_bidx) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET api_token = EXCLUDED.api_token, api_token_bidx = EXCLUDED.api_token_bidx`, nil, []int{2}},
		{`INSERT INTO accounts (id, api_token) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET api_token = $3`,
			`INSERT INTO accounts (id, api_token, api_token_bidx) VALUES ($1, $2, $4) ON CONFLICT (id) DO UPDATE SET api_token = $3, api_token_bidx = $5`, nil, []int{2, 3}},
		{`UPDATE accounts SET api_token = $1, name = $2 WHERE id = $3`,
			`UPDATE accounts SET api_token = $1, api_token_bidx = $4, name = $2 WHERE id = $3`, nil, []int{1}},
		{`UPDATE accounts SET api_token = NULL WHERE api_token = $1`,
			`UPDATE accounts SET api_token = NULL, api_token_bidx = NULL WHERE api_token_bidx = $1`, []int{1}, nil},
		{`SELECT id, api_token FROM accounts WHERE api_token = $1`,
			`SELECT id, api_token FROM accounts WHERE api_token_bidx = $1`, []int{1}, nil},
		{`SELECT id FROM accounts a WHERE $1 = a.api_token AND a.email IN ($2, 'b@x', $3) AND id > $4`,
			`SELECT id FROM accounts a WHERE $1 = a.api_token_bidx AND a.email_idx IN ($2, T('b@x'), $3) AND id > $4`, []int{1, 2, 3}, nil},
		{`SELECT id FROM public.accounts WHERE "public"."accounts"."api_token" = 'tok' LIMIT 1`,
			`SELECT id FROM public.accounts WHERE "public"."accounts".api_token_bidx = T('tok') LIMIT 1`, nil, nil},
		{`DELETE FROM accounts WHERE api_token = $1 RETURNING api_token`,
			`DELETE FROM accounts WHERE api_token_bidx = $1 RETURNING api_token`, []int{1}, nil},
		{`SELECT a.id FROM accounts a JOIN accounts b ON a.api_token = b.api_token WHERE a.api_token IS NULL`,
			`SELECT a.id FROM accounts a JOIN accounts b ON a.api_token_bidx = b.api_token_bidx WHERE a.api_token IS NULL`, nil, nil},
		{`SELECT id FROM accounts WHERE id IN (SELECT id FROM accounts WHERE api_token = $1)`,
			`SELECT id FROM accounts WHERE id IN (SELECT id FROM accounts WHERE api_token_bidx = $1)`, []int{1}, nil},
		{`WITH u AS (UPDATE accounts SET api_token = $1 WHERE id = $2 RETURNING id) SELECT id FROM u`,
			`WITH u AS (UPDATE accounts SET api_token = $1, api_token_bidx = $3 WHERE id = $2 RETURNING id) SELECT id FROM u`, nil, []int{1}},
		{`UPDATE accounts SET api_token = api_token WHERE id = $1`,
			`UPDATE accounts SET api_token = api_token WHERE id = $1`, nil, nil},
		{`SELECT id FROM accounts WHERE (api_token = $1) AND (email IN ( /* c */ $2))`,
			`SELECT id FROM accounts WHERE (api_token_bidx = $1) AND (email_idx IN ( /* c */ $2))`, []int{1, 2}, nil},
	}
	for _, tc := range cases {
		p := analysis.Analyze(postgres.Parser{}, prot, tc.sql)
		if p.Err != nil {
			t.Errorf("%s: refused: %v", tc.sql, p.Err)
			continue
		}
		if got := render(tc.sql, p, prot); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.sql, got, tc.want)
		}
		var terms, sealed []int
		for _, tt := range p.Terms {
			terms = append(terms, tt.Ordinal)
		}
		for _, pt := range p.Params {
			sealed = append(sealed, pt.Ordinal)
		}
		if !slices.Equal(terms, tc.terms) || !slices.Equal(sealed, tc.sealed) {
			t.Errorf("%s: terms %v sealed %v, want %v %v", tc.sql, terms, sealed, tc.terms, tc.sealed)
		}
		// The rewritten text must still parse.
		if _, err := (postgres.Parser{}).Parse(render(tc.sql, p, prot)); err != nil && !strings.Contains(tc.want, "T(") {
			t.Errorf("%s: rewritten text does not parse: %v", tc.sql, err)
		}
	}
}

// While an index key rotates, lookups match the older terms too.
func TestBlindIndexRotatingLookups(t *testing.T) {
	prot := indexedProtected()
	for sql, want := range map[string]string{
		`SELECT id FROM accounts WHERE api_token = $1`:                             `SELECT id FROM accounts WHERE (api_token_bidx = $1 OR api_token_bidx IN (OLD($1)))`,
		`SELECT id FROM accounts a WHERE 'x' = a.api_token AND id = $1`:            `SELECT id FROM accounts a WHERE (T('x') = a.api_token_bidx OR a.api_token_bidx IN (OLD('x'))) AND id = $1`,
		`DELETE FROM accounts WHERE x = 1 OR "accounts".email IN ($1, 'b') OR y`:   `DELETE FROM accounts WHERE x = 1 OR "accounts".email_idx IN ($1, T('b'), OLD($1), OLD('b')) OR y`,
		`SELECT a.id FROM accounts a JOIN accounts b ON a.api_token = b.api_token`: `SELECT a.id FROM accounts a JOIN accounts b ON a.api_token_bidx = b.api_token_bidx`,
	} {
		p := analysis.Analyze(postgres.Parser{}, prot, sql)
		if p.Err != nil {
			t.Errorf("%s: refused: %v", sql, p.Err)
			continue
		}
		if got := renderRotating(sql, p, prot, true); got != want {
			t.Errorf("%s\n got %s\nwant %s", sql, got, want)
		}
	}
}

// An attacker who controls some SQL text must not get a term written that
// does not match the sealed value, nor a lookup answered from another
// column's terms.
func TestBlindIndexRefusals(t *testing.T) {
	prot := indexedProtected()
	cases := map[string]sqlseal.Reason{
		// The sibling written directly, under any name or path.
		`INSERT INTO accounts (id, api_token_bidx) VALUES ($1, $2)`:                                       sqlseal.ReasonIndexWrite,
		`INSERT INTO accounts (id, "api_token_bidx") SELECT id, api_token_bidx FROM accounts`:             sqlseal.ReasonIndexWrite,
		`UPDATE accounts SET api_token_bidx = $1`:                                                         sqlseal.ReasonIndexWrite,
		`UPDATE accounts AS x SET api_token_bidx = $1 WHERE x.id = $2`:                                    sqlseal.ReasonIndexWrite,
		`UPDATE public.accounts SET email_idx = (SELECT api_token_bidx FROM accounts LIMIT 1)`:            sqlseal.ReasonIndexWrite,
		`WITH c AS (UPDATE accounts SET api_token_bidx = $1 RETURNING 1) SELECT 1 FROM c`:                 sqlseal.ReasonIndexWrite,
		`INSERT INTO accounts (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET api_token_bidx = $1`:         sqlseal.ReasonIndexWrite,
		`INSERT INTO accounts (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET email_idx = EXCLUDED.secret`: sqlseal.ReasonIndexWrite,
		`ALTER TABLE accounts RENAME COLUMN other TO api_token_bidx`:                                      sqlseal.ReasonIndexWrite,
		`ALTER TABLE accounts ADD COLUMN email_idx bytea DEFAULT '\x01'`:                                  sqlseal.ReasonIndexWrite,
		// The column written where its term cannot follow.
		`INSERT INTO accounts (id, api_token) SELECT id, api_token FROM accounts`:                                       sqlseal.ReasonIndexWrite,
		`INSERT INTO accounts (id, api_token) VALUES ($1, $2::text)`:                                                    sqlseal.ReasonIndexWrite,
		`INSERT INTO accounts (id, api_token) SELECT $1, $2`:                                                            sqlseal.ReasonIndexWrite,
		`UPDATE accounts SET (api_token, id) = ($1, $2)`:                                                                sqlseal.ReasonIndexWrite,
		`UPDATE accounts SET api_token = name`:                                                                          sqlseal.ReasonCopied,
		`UPDATE accounts SET api_token = email`:                                                                         sqlseal.ReasonCopied,
		`INSERT INTO accounts (id, api_token) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET api_token = EXCLUDED.email`: sqlseal.ReasonCopied,
		// Comparisons a blind index cannot answer.
		`SELECT id FROM accounts WHERE api_token <> $1`:                        sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token LIKE $1`:                      sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token > 'a'`:                        sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token BETWEEN $1 AND $2`:            sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE lower(api_token) = $1`:                  sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token = $1::text`:                   sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token = name`:                       sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token = email`:                      sqlseal.ReasonLookup,
		`SELECT a.id FROM accounts a JOIN accounts b ON a.api_token = b.email`: sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token IN (SELECT name FROM other)`:  sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token = ANY($1)`:                    sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token NOT IN ($1)`:                  sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token IS DISTINCT FROM $1`:          sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE secret = $1`:                            sqlseal.ReasonCompared,
		// Through a source whose columns do not include the sibling.
		`WITH c AS (SELECT id, api_token FROM accounts) SELECT id FROM c WHERE api_token = $1`: sqlseal.ReasonLookup,
		`SELECT t.id FROM (SELECT id, api_token AS tok FROM accounts) t WHERE t.tok = $1`:      sqlseal.ReasonLookup,
		`SELECT id FROM (SELECT * FROM accounts) t WHERE t.api_token IN ($1)`:                  sqlseal.ReasonLookup,
		// A parameter whose argument becomes a term used elsewhere too.
		`SELECT id FROM accounts WHERE api_token = $1 OR name = $1`:  sqlseal.ReasonSharedParam,
		`SELECT id FROM accounts WHERE api_token = $1 OR email = $1`: sqlseal.ReasonSharedParam,
		`UPDATE accounts SET api_token = $1 WHERE api_token = $1`:    sqlseal.ReasonSharedParam,
		`SELECT $1::text, id FROM accounts WHERE api_token = $1`:     sqlseal.ReasonSharedParam,
		// An operand in parentheses of its own (the edits made while an
		// index key rotates would land inside them).
		`SELECT id FROM accounts WHERE api_token = ($1)`:         sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE ($1) = api_token`:         sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token IN (($1))`:      sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token IN ('x', ($1))`: sqlseal.ReasonLookup,
		`SELECT id FROM accounts WHERE api_token = ('x')`:        sqlseal.ReasonLookup,
		// An equality outside WHERE, ON and HAVING is not rewritten.
		`SELECT count(*) FILTER (WHERE api_token = $1) FROM accounts`:             sqlseal.ReasonLookup,
		`SELECT CASE WHEN api_token = $1 THEN 1 ELSE 0 END FROM accounts`:         sqlseal.ReasonLookup,
		`SELECT sum(CASE WHEN api_token IN ($1) THEN 1 ELSE 0 END) FROM accounts`: sqlseal.ReasonLookup,
		`SELECT id FROM accounts ORDER BY api_token = $1`:                         sqlseal.ReasonLookup,
		`UPDATE accounts SET name = 'x' WHERE id = 1 RETURNING api_token = $1`:    sqlseal.ReasonLookup,
		`UPDATE accounts SET name = (api_token = $1)::text WHERE id = 1`:          sqlseal.ReasonLookup,
		`SELECT api_token = 'x' FROM accounts`:                                    sqlseal.ReasonLookup,
		`SELECT a.api_token = b.api_token FROM accounts a, accounts b`:            sqlseal.ReasonLookup,
		`SELECT (secret, id) = ($1, 1) FROM accounts`:                             sqlseal.ReasonCompared,
		`SELECT secret = $1 FROM accounts`:                                        sqlseal.ReasonCompared,
		`SELECT CASE WHEN secret = 'x' THEN 1 END FROM accounts`:                  sqlseal.ReasonCompared,
		`SELECT id FROM accounts ORDER BY secret LIKE $1`:                         sqlseal.ReasonCompared,
		`SELECT count(*) FILTER (WHERE secret = $1) FROM accounts`:                sqlseal.ReasonCompared,
		`INSERT INTO accounts (id) VALUES (1) RETURNING secret = $1`:              sqlseal.ReasonCompared,
	}
	for sql, want := range cases {
		p := analysis.Analyze(postgres.Parser{}, prot, sql)
		if got := reason(t, p); got != want {
			t.Errorf("%s: reason %v (%v), want %v", sql, got, p.Err, want)
		}
		if p.Err != nil && strings.Contains(p.Err.Error(), "$1") {
			t.Errorf("%s: the refusal quotes the statement: %v", sql, p.Err)
		}
	}
}

// SQLite's front-end maps the positions of its PostgreSQL translation back
// to the SQLite text.
func TestBlindIndexRewritesSQLite(t *testing.T) {
	prot := indexedProtected()
	for sql, want := range map[string]string{
		`INSERT INTO accounts (id, "api_token") VALUES (?, ?)`:                                                                  `INSERT INTO accounts (id, "api_token", api_token_bidx) VALUES (?1, ?2, $3)`,
		`INSERT INTO [accounts] (id, api_token) VALUES (?1, 'x') ON CONFLICT (id) DO UPDATE SET api_token = excluded.api_token`: `INSERT INTO [accounts] (id, api_token, api_token_bidx) VALUES (?1, 'x', T('x')) ON CONFLICT (id) DO UPDATE SET api_token = excluded.api_token, api_token_bidx = EXCLUDED.api_token_bidx`,
		`UPDATE accounts SET api_token = :tok WHERE id = ?`:                                                                     `UPDATE accounts SET api_token = :tok, api_token_bidx = $0 WHERE id = ?`,
		`SELECT id FROM accounts AS a WHERE a.email IN (?, 'x') AND api_token = ?`:                                              `SELECT id FROM accounts AS a WHERE a.email_idx IN (?1, T('x')) AND api_token_bidx = ?2`,
	} {
		p := analysis.Analyze(sqlite.Parser{}, prot, sql)
		if strings.Contains(want, "$0") {
			// A named parameter: no placeholder can be added after it.
			if reason(t, p) != sqlseal.ReasonIndexWrite {
				t.Errorf("%s: %v", sql, p.Err)
			}
			continue
		}
		if p.Err != nil {
			t.Errorf("%s: refused: %v", sql, p.Err)
			continue
		}
		if got := render(sql, p, prot); got != want {
			t.Errorf("%s\n got %s\nwant %s", sql, got, want)
		}
	}
}
