package analysis_test

import (
	"strings"
	"testing"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/mysql"
)

// MySQL's front-end locates what a rewrite needs in the tokens of the
// text; a placeholder it adds binds by position, after the ParamsBefore
// placeholders of the text ($n<k in render).
func TestBlindIndexRewritesMySQL(t *testing.T) {
	prot := indexedProtected()
	for sql, want := range map[string]string{
		"INSERT INTO accounts (id, api_token) VALUES (?, ?)":                                                                 "INSERT INTO accounts (id, api_token, api_token_bidx) VALUES (?, ?, $3<2)",
		"INSERT INTO `accounts` (`api_token`, id, email) VALUES (?, ?, 'A@x'), (?, ?, NULL)":                                 "INSERT INTO `accounts` (`api_token`, api_token_bidx, id, email, email_idx) VALUES (?, $5<1, ?, 'A@x', T('A@x')), (?, $6<3, ?, NULL, NULL)",
		"REPLACE INTO accounts (id, api_token) VALUES (?, ?)":                                                                "REPLACE INTO accounts (id, api_token, api_token_bidx) VALUES (?, ?, $3<2)",
		"INSERT INTO accounts (id, api_token) VALUES (1, NULL), (2, DEFAULT)":                                                "INSERT INTO accounts (id, api_token, api_token_bidx) VALUES (1, NULL, NULL), (2, DEFAULT, DEFAULT)",
		"INSERT INTO accounts SET id = ?, api_token = ?, email = 'x'":                                                        "INSERT INTO accounts SET id = ?, api_token = ?, api_token_bidx = $3<2, email = 'x', email_idx = T('x')",
		"INSERT INTO accounts (id, api_token) VALUES (?, ?) ON DUPLICATE KEY UPDATE api_token = VALUES(api_token), name = ?": "INSERT INTO accounts (id, api_token, api_token_bidx) VALUES (?, ?, $4<2) ON DUPLICATE KEY UPDATE api_token = VALUES(api_token), api_token_bidx = VALUES(api_token_bidx), name = ?",
		"UPDATE accounts SET api_token = ?, name = ? WHERE api_token = ?;":                                                   "UPDATE accounts SET api_token = ?, api_token_bidx = $4<1, name = ? WHERE api_token_bidx = ?;",
		"UPDATE accounts SET api_token = ? WHERE email IN (?, 'b') AND id = ?":                                               "UPDATE accounts SET api_token = ?, api_token_bidx = $4<1 WHERE email_idx IN (?, T('b')) AND id = ?",
		"SELECT id FROM accounts a WHERE a.api_token = ? AND ? = email AND 'lit' = api_token":                                "SELECT id FROM accounts a WHERE a.api_token_bidx = ? AND ? = email_idx AND T('lit') = api_token_bidx",
		"DELETE FROM accounts WHERE `api_token` IN ('a', ?)":                                                                 "DELETE FROM accounts WHERE api_token_bidx IN (T('a'), ?)",
		"SELECT a.id FROM accounts a JOIN accounts b ON a.api_token = b.api_token WHERE a.id = ?":                            "SELECT a.id FROM accounts a JOIN accounts b ON a.api_token_bidx = b.api_token_bidx WHERE a.id = ?",
		"INSERT INTO accounts (id, api_token) VALUES (?, ?) ON DUPLICATE KEY UPDATE api_token = ?":                           "INSERT INTO accounts (id, api_token, api_token_bidx) VALUES (?, ?, $4<2) ON DUPLICATE KEY UPDATE api_token = ?, api_token_bidx = $5<3",
		"INSERT INTO accounts (id, api_token) VALUES (?, /* ? */ ?) RETURNING id, api_token":                                 "INSERT INTO accounts (id, api_token, api_token_bidx) VALUES (?, /* ? */ ?, $3<2) RETURNING id, api_token",
		"INSERT INTO accounts (id, api_token) VALUES (?, _utf8mb4'x'), (?, 0x41)":                                            "INSERT INTO accounts (id, api_token, api_token_bidx) VALUES (?, _utf8mb4'x', T(_utf8mb4'x')), (?, 0x41, T(0x41))",
		"SELECT id FROM accounts WHERE api_token = '?' AND email = ? -- ?":                                                   "SELECT id FROM accounts WHERE api_token_bidx = T('?') AND email_idx = ? -- ?",
		"SELECT id FROM accounts WHERE id IN (SELECT id FROM accounts WHERE api_token = ?) AND name = ?":                     "SELECT id FROM accounts WHERE id IN (SELECT id FROM accounts WHERE api_token_bidx = ?) AND name = ?",
		"DELETE a FROM accounts a JOIN accounts b ON a.api_token = b.api_token WHERE b.id = ?":                               "DELETE a FROM accounts a JOIN accounts b ON a.api_token_bidx = b.api_token_bidx WHERE b.id = ?",
		"UPDATE accounts SET api_token = ? ORDER BY id LIMIT 1":                                                              "UPDATE accounts SET api_token = ?, api_token_bidx = $2<1 ORDER BY id LIMIT 1",
	} {
		p := analysis.Analyze(&mysql.Parser{}, prot, sql)
		if p.Err != nil {
			t.Errorf("%s: refused: %v", sql, p.Err)
			continue
		}
		if !p.Positional {
			t.Errorf("%s: plan not positional", sql)
		}
		if got := render(sql, p, prot); got != want {
			t.Errorf("%s\n got %s\nwant %s", sql, got, want)
		}
	}
}

// What the MySQL front-end cannot locate, or locates only ambiguously,
// is refused, never passed through without its term.
func TestBlindIndexRefusalsMySQL(t *testing.T) {
	prot := indexedProtected()
	for sql, want := range map[string]sqlseal.Reason{
		"INSERT INTO accounts (id, api_token) VALUES (1, (?))":                                                       sqlseal.ReasonIndexWrite,
		"INSERT INTO accounts (id, api_token) VALUES (1, ((NULL)))":                                                  sqlseal.ReasonIndexWrite,
		"INSERT INTO accounts VALUES (1, ?)":                                                                         sqlseal.ReasonNoColumnList,
		"INSERT INTO accounts (id, api_token) SELECT id, api_token FROM accounts":                                    sqlseal.ReasonIndexWrite,
		"UPDATE accounts SET api_token = (?) WHERE id = 1":                                                           sqlseal.ReasonIndexWrite,
		"UPDATE accounts SET api_token = CONCAT(?, 'x') WHERE id = 1":                                                sqlseal.ReasonComputed,
		"UPDATE accounts a SET a.api_token = ? WHERE id = 1":                                                         sqlseal.ReasonIndexWrite,
		"UPDATE accounts SET api_token_bidx = ? WHERE id = 1":                                                        sqlseal.ReasonIndexWrite,
		"INSERT INTO accounts (id, api_token_bidx) VALUES (1, ?)":                                                    sqlseal.ReasonIndexWrite,
		"INSERT INTO accounts (id, api_token) VALUES (1, ?) ON DUPLICATE KEY UPDATE api_token = (VALUES(api_token))": sqlseal.ReasonIndexWrite,
		"UPDATE accounts SET api_token = ? WHERE id = 1; SELECT 1":                                                   sqlseal.ReasonIndexWrite,
		"SELECT id FROM accounts WHERE (api_token) = ?":                                                              sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token = (?)":                                                              sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token IN ((?), 'a')":                                                      sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token = ?; SELECT 1":                                                      sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token <> ?":                                                               sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token <=> ?":                                                              sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token NOT IN (?)":                                                         sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token LIKE ?":                                                             sqlseal.ReasonLookup,
		"SELECT id FROM accounts WHERE api_token = ? OR name = ?":                                                    0,
		"SELECT id FROM accounts WHERE api_token = ? OR email = ?":                                                   0,
		// A join that the text does not show as a.col = b.col alone.
		"SELECT a.id FROM accounts a JOIN accounts b ON (a.api_token) = b.api_token":                                                                 sqlseal.ReasonLookup,
		"SELECT a.id FROM accounts a JOIN accounts b ON a.api_token = b.api_token WHERE !a.api_token = b.api_token OR ((a.api_token) = b.api_token)": sqlseal.ReasonLookup,
		"SELECT id, api_token, api_token_bidx FROM accounts":                                                                                         0,
		"INSERT INTO accounts (id, secret) VALUES (1, ?)":                                                                                            0,
	} {
		p := analysis.Analyze(&mysql.Parser{}, prot, sql)
		got := reason(t, p)
		if want == 0 && got != 0 {
			t.Errorf("%s: refused: %v", sql, p.Err)
			continue
		}
		if want != 0 && got == 0 {
			t.Errorf("%s: not refused, want %v", sql, want)
			continue
		}
		if got != want {
			t.Errorf("%s: reason %v (%v), want %v", sql, got, p.Err, want)
		}
		if p.Err != nil && strings.Contains(p.Err.Error(), "'a'") {
			t.Errorf("%s: the refusal quotes the statement: %v", sql, p.Err)
		}
	}
}

// While an index key rotates, a lookup's older terms are bound to
// placeholders added after the lookup's value: before the arguments of
// placeholders later in the text.
func TestBlindIndexRotationMySQL(t *testing.T) {
	prot := indexedProtected()
	sql := "SELECT id FROM accounts WHERE api_token = ? AND name = ? AND email IN ('a', ?)"
	p := analysis.Analyze(&mysql.Parser{}, prot, sql)
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	want := "SELECT id FROM accounts WHERE (api_token_bidx = ? OR api_token_bidx IN (OLD($1))) AND name = ? AND email_idx IN (T('a'), ?, OLD('a'), OLD($3))"
	if got := renderRotating(sql, p, prot, true); got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	before := map[analysis.EditKind][]int{}
	for _, ed := range p.Edits {
		if ed.Kind == analysis.EditLookupClose || ed.Kind == analysis.EditLookupMore {
			before[ed.Kind] = append(before[ed.Kind], ed.ParamsBefore)
		}
	}
	if len(before[analysis.EditLookupClose]) != 1 || before[analysis.EditLookupClose][0] != 1 ||
		len(before[analysis.EditLookupMore]) != 1 || before[analysis.EditLookupMore][0] != 3 {
		t.Errorf("placeholders before the older terms: %v", before)
	}
}
