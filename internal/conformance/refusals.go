package conformance

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
)

// neverReachServer runs each refused statement through Exec, Query,
// Prepare and a transaction. Each evaluates the backend's probe if it
// runs; the probe never moves and the table is as it was.
func neverReachServer(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	tb := e.Table
	other := e.Name("other")
	e.Create(other, "note TEXT")
	e.RawExec(`INSERT INTO ` + other + ` (id, note) VALUES (1, 'plain note')`)
	e.Exec(`INSERT INTO `+tb+` (id, name, details) VALUES (1, 'keep', ?)`, "kept")
	p, calls := b.Probe(t)
	v := RefusedValue
	upsert := func(set string) string { return b.Upsert("details = " + set) }
	refused := []Stmt{
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, upper(?))`, []any{v}},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, ` + b.Concat("?", "'x'") + `)`, []any{v}},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, upper('` + v + `'))`, nil},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, ? + 0)`, []any{v}},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (` + p + `, CAST(? AS INTEGER))`, []any{v}},
		{`UPDATE ` + tb + ` SET details = ` + b.Concat("details", "?") + ` WHERE id = ` + p, []any{v}},
		{`UPDATE ` + tb + ` SET details = name WHERE id = ` + p, nil},
		{`UPDATE ` + tb + ` SET details = (SELECT note FROM ` + other + ` WHERE id = ` + p + `)`, nil},
		{`INSERT INTO ` + tb + ` (details) SELECT name FROM ` + tb + ` WHERE ` + p + ` = 1`, nil},
		{`INSERT INTO ` + tb + ` (details) SELECT note FROM ` + other + ` WHERE ` + p + ` = 1`, nil},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (` + p + `, ?)` + upsert(b.Concat("details", b.Proposed("details"))), []any{v}},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (` + p + `, ?)` + upsert(b.Concat("details", "?")), []any{v, v}},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (` + p + `, ?, ?)` + upsert(b.Proposed("name")), []any{v, v}},
		// Without a column list, which value goes where depends on the
		// table's definition.
		{`INSERT INTO ` + tb + ` VALUES (` + p + `, 'n', ?)`, []any{v}},
		{`UPDATE ` + tb + ` SET name = 'hit' WHERE details = ? OR ` + p + ` = 1`, []any{v}},
		{`UPDATE ` + tb + ` SET name = 'hit' WHERE details LIKE ? OR ` + p + ` = 1`, []any{v}},
		{`DELETE FROM ` + tb + ` WHERE details = ? OR ` + p + ` = 1`, []any{v}},
		{`DELETE FROM ` + tb + ` WHERE details IN (?, 'x') OR ` + p + ` = 1`, []any{v}},
		{`SELECT id FROM ` + tb + ` WHERE details = ? OR ` + p + ` = 1`, []any{v}},
		{`SELECT id FROM ` + tb + ` t WHERE ` + p + ` = 1 AND t.details <> ?`, []any{v}},
		{`SELECT id FROM ` + tb + ` WHERE upper(details) = upper(?) OR ` + p + ` = 1`, []any{v}},
		{`SELECT a.id FROM ` + tb + ` a JOIN ` + tb + ` b ON a.details = b.details WHERE ? OR ` + p + ` = 1`, []any{v}},
		{`SELECT id FROM ` + tb + ` WHERE details = (SELECT ?) OR ` + p + ` = 1`, []any{v}},
		// SQL the parser rejects.
		{`INSERT INTO ` + tb + ` (details) VALUES (? WHERE ` + p + ` = 1`, []any{v}},
	}
	if b.Extras.Refused != nil {
		refused = append(refused, b.Extras.Refused(tb, other, p, v)...)
	}
	column := tb + ".details"
	for _, r := range refused {
		q := e.Q(r.SQL)
		_, err := e.Sealed.Exec(q, r.Args...)
		RequireRefused(t, err, column, q)
		_, err = e.Sealed.Query(q, r.Args...)
		RequireRefused(t, err, column, q)
		_, err = e.Sealed.Prepare(q)
		RequireRefused(t, err, column, q)
		tx, err := e.Sealed.Begin()
		require.NoError(t, err)
		_, err = tx.Exec(q, r.Args...)
		RequireRefused(t, err, column, q)
		require.NoError(t, tx.Commit())
	}
	require.Zero(t, calls(), "a refused statement reached the server")
	require.Equal(t, 1, e.Count(tb), "a refused statement reached the server")
	require.Equal(t, "keep", e.RawString(tb, "name", 1))
	e.RequireSealed(1, "kept")

	// The probe works: an accepted statement moves it.
	var n int
	require.NoError(t, e.Sealed.QueryRow(`SELECT count(*) FROM `+tb+` WHERE details IS NOT NULL AND `+p+` = 1`).Scan(&n))
	require.Equal(t, 1, n)
	require.Positive(t, calls())
}

// quoteNothing: a refusal names the column and says what to do; it never
// quotes the statement, whose names and strings may be secrets.
func quoteNothing(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	tb, q := e.Table, b.Quote
	for _, s := range []string{
		`UPDATE ` + tb + ` SET details = plain_secret_name`,
		`UPDATE ` + tb + ` SET details = ` + q("plain-secret-name"),
		`UPDATE ` + tb + ` SET details = upper('plain-secret-value')`,
		`UPDATE ` + tb + ` SET details = ` + q("plain-secret-fn") + `(name)`,
		`INSERT INTO ` + tb + ` (details) SELECT ` + q("plain-secret-select"),
		`INSERT INTO ` + tb + ` (details) VALUES ('a' 'plain-secret-syntax`,
		`INSERT INTO ` + tb + ` (details) VALUES (plain_secret_first plain_secret_second)`,
	} {
		_, err := e.Sealed.Exec(s)
		require.ErrorIs(t, err, sqlseal.ErrRefused, s)
		e.RequireQuotesNothing(err, "plain-secret", "plain_secret")
	}
}

// numericLiterals: the text the server stores for a number or a boolean
// is the server's (1e3 becomes 1000): refused, and never quoted.
func numericLiterals(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	for _, v := range []string{"123456789", "1e3", "-5", "TRUE"} {
		_, err := e.Sealed.Exec(`INSERT INTO ` + e.Table + ` (details) VALUES (` + v + `)`)
		require.ErrorIs(t, err, sqlseal.ErrRefused, v)
		e.RequireQuotesNothing(err, v)
	}
	require.Zero(t, e.Count(e.Table))
}
