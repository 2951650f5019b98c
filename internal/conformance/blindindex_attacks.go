package conformance

import (
	"context"
	"database/sql"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// The scenarios of this file are findings of an adversarial review of the
// blind index (issue 11): each fails on the code it was written against.

// blindIndexUpdateFromOtherRow: UPDATE ... FROM copied another row's
// ciphertext into the column; the copy was let through as "the column
// copied onto itself", but the sibling kept the old row's term. The row
// then held tok-2x while a lookup for tok-1 found it and one for tok-2x
// did not. Such a copy is now refused before anything is sent; the
// target row's own column (unqualified without other sources, or
// qualified by the target's name or alias) may still be copied onto
// itself.
func blindIndexUpdateFromOtherRow(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-1")
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "b", "tok-2x")
	refused := []string{
		`UPDATE ` + tb + ` SET details = o.details FROM ` + tb + ` AS o WHERE o.id = 2 AND ` + tb + `.id = 1`,
		`UPDATE ` + tb + ` AS a SET details = o.details FROM ` + tb + ` AS o WHERE o.id = 2 AND a.id = 1`,
		// The same through a WITH entry, a derived table, a renamed column.
		`WITH c AS (SELECT details FROM ` + tb + ` WHERE id = 2) UPDATE ` + tb + ` SET details = c.details FROM c WHERE ` + tb + `.id = 1`,
		`UPDATE ` + tb + ` SET details = d.details FROM (SELECT details FROM ` + tb + ` WHERE id = 2) AS d WHERE ` + tb + `.id = 1`,
		`UPDATE ` + tb + ` SET details = d.t FROM (SELECT details AS t FROM ` + tb + ` WHERE id = 2) AS d WHERE ` + tb + `.id = 1`,
	}
	own := []string{
		`UPDATE ` + tb + ` SET details = details WHERE id = 1`,
		`UPDATE ` + tb + ` AS a SET details = a.details FROM ` + tb + ` AS o WHERE o.id = 2 AND a.id = 1`,
	}
	if b.Name == "mariadb" {
		// MySQL has no UPDATE ... FROM: its multi-table UPDATE.
		refused = []string{
			`UPDATE ` + tb + ` AS a, ` + tb + ` AS o SET a.details = o.details WHERE o.id = 2 AND a.id = 1`,
			`UPDATE ` + tb + ` AS a JOIN ` + tb + ` AS o ON o.id = 2 SET a.details = o.details WHERE a.id = 1`,
			`UPDATE ` + tb + ` AS a JOIN (SELECT details FROM ` + tb + ` WHERE id = 2) AS d SET a.details = d.details WHERE a.id = 1`,
			`UPDATE ` + tb + ` AS a, ` + tb + ` AS o SET a.details = o.details, o.name = 'x' WHERE o.id = 2 AND a.id = 1`,
		}
		own = own[:1]
	}
	for _, q := range refused {
		_, err := e.Indexed.ExecContext(e.Ctx, e.Q(q))
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		// Nothing reached the server: row 1 keeps its value and term.
		require.Equal(t, "tok-1", e.ReadDetailsWith(e.Indexed, 1), q)
		assert.Equal(t, e.term("tok-1"), e.RawValue(tb, "details_bidx", 1), q)
	}
	// The target row's own column copied onto itself keeps value and term.
	for _, q := range own {
		e.exec(q)
		require.Equal(t, "tok-1", e.ReadDetailsWith(e.Indexed, 1), q)
		assert.Equal(t, e.term("tok-1"), e.RawValue(tb, "details_bidx", 1), q)
	}
	var n int
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` WHERE details = ?`), "tok-2x").Scan(&n))
	assert.Equal(t, 1, n)
}

// blindIndexCompareOutsideWhere: an equality of the column with a
// parameter outside WHERE/ON/HAVING (an aggregate's FILTER, a CASE in the
// select list, ORDER BY) was neither rewritten nor refused: the server
// compared the ciphertext with the plaintext argument, which was sent to
// it in clear, and the answer was wrong (never equal). It is now refused
// before anything is sent (ReasonLookup); the same comparison in WHERE is
// answered from the blind index.
func blindIndexCompareOutsideWhere(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-1")
	shapes := []string{
		`SELECT CASE WHEN details = ? THEN 1 ELSE 0 END FROM ` + tb + ` WHERE id = 1`,
		`SELECT sum(CASE WHEN details IN (?) THEN 1 ELSE 0 END) FROM ` + tb,
	}
	if b.Name == "mariadb" {
		shapes = append(shapes, `SELECT details = ? FROM `+tb+` WHERE id = 1`, `SELECT id FROM `+tb+` ORDER BY details = ? LIMIT 1`)
	} else {
		shapes = append(shapes, `SELECT count(*) FILTER (WHERE details = ?) FROM `+tb)
	}
	for _, q := range shapes {
		var got int
		err := e.Indexed.QueryRowContext(e.Ctx, e.Q(q), "tok-1").Scan(&got)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		var r *sqlseal.RefusalError
		require.ErrorAs(t, err, &r, q)
		assert.Equal(t, sqlseal.ReasonLookup, r.Reason, q)
		assert.NotContains(t, err.Error(), "tok-1", q)
	}
	var got int
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` WHERE details = ?`), "tok-1").Scan(&got))
	assert.Equal(t, 1, got)
}

// blindIndexUniqueViolationDetail: a duplicate token in a UNIQUE sibling
// makes PostgreSQL's error carry the term in its Detail ("Key
// (details_bidx)=(\x01...) already exists."), which sqlseal passed on
// unchanged; applications log PgError fields. The term is a stable
// pseudonym of the value (docs: "what a blind index leaks"). sqlseal now
// withholds Detail and Where for protected tables and columns, and keeps
// the SQLSTATE code and the constraint's name.
func blindIndexUniqueViolationDetail(t *testing.T, b *Backend) {
	if b.Name == "mariadb" {
		blindIndexDuplicateEntryMessage(t, b)
		return
	}
	if b.Name != "postgres" {
		t.Skip(b.Name + "'s errors quote no stored value")
	}
	e := newIndexEnv(t, b)
	e.exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "a", "dup-secret")
	_, err := e.Indexed.ExecContext(e.Ctx, e.Q(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`), "b", "dup-secret")
	require.Error(t, err)
	var pg *pgconn.PgError
	require.ErrorAs(t, err, &pg)
	hex := codecHex(e.term("dup-secret"))
	require.NotContains(t, pg.Detail, hex, "the error's Detail quotes the term")
	require.NotContains(t, pg.Detail, hex[2:10], "the error's Detail quotes the term")
	require.NotContains(t, pg.Where, hex[2:10], "the error's Where quotes the term")
	// Applications still detect the duplicate.
	assert.Equal(t, "23505", pg.Code, "SQLSTATE unique_violation")
	assert.NotEmpty(t, pg.ConstraintName)
	// A NOT NULL violation's Detail quotes the whole row, sealed value and
	// term included.
	e.RawExec(`ALTER TABLE ` + e.Table + ` ALTER COLUMN name SET NOT NULL`)
	_, err = e.Indexed.ExecContext(e.Ctx, e.Q(`INSERT INTO `+e.Table+` (name, details) VALUES (NULL, ?)`), "other-secret")
	require.ErrorAs(t, err, &pg)
	assert.Equal(t, "23502", pg.Code, "SQLSTATE not_null_violation")
	require.NotContains(t, pg.Detail, codecHex(e.term("other-secret"))[2:10], "the error's Detail quotes the term")
	// A deferred UNIQUE fails at COMMIT, with the same Detail.
	var unique string
	require.NoError(t, e.Raw.QueryRowContext(e.Ctx, `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'u'`, e.Table).Scan(&unique))
	e.RawExec(`ALTER TABLE ` + e.Table + ` DROP CONSTRAINT ` + unique)
	e.RawExec(`ALTER TABLE ` + e.Table + ` ADD CONSTRAINT ` + e.Table + `_deferred UNIQUE (details_bidx) DEFERRABLE INITIALLY DEFERRED`)
	tx, err := e.Indexed.BeginTx(e.Ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(e.Ctx, `INSERT INTO `+e.Table+` (name, details) VALUES ($1, $2)`, "c", "dup-secret")
	require.NoError(t, err, "deferred: checked at COMMIT")
	err = tx.Commit()
	require.ErrorAs(t, err, &pg)
	assert.Equal(t, "23505", pg.Code, "SQLSTATE unique_violation at COMMIT")
	require.NotContains(t, pg.Detail, hex[2:10], "the COMMIT error's Detail quotes the term")
}

// blindIndexDuplicateEntryMessage: MariaDB quotes the duplicate value in
// the message itself ("Duplicate entry '\x01...' for key 'details_bidx'"),
// here the term's raw bytes. sqlseal withholds it and keeps the error
// number and the key's name.
func blindIndexDuplicateEntryMessage(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	e.exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "a", "dup-secret")
	_, err := e.Indexed.ExecContext(e.Ctx, e.Q(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`), "b", "dup-secret")
	require.Error(t, err)
	var my *gomysql.MySQLError
	require.ErrorAs(t, err, &my)
	assert.Equal(t, uint16(1062), my.Number, "ER_DUP_ENTRY")
	// MariaDB writes the entry's bytes as \xNN: the term starts with its
	// version byte, 0x01.
	assert.NotContains(t, err.Error(), `'\x01`, "the error quotes the term")
	assert.Contains(t, my.Message, "withheld", "the error says a value was withheld")
	assert.Contains(t, my.Message, "details_bidx", "the key's name stays")
}

func codecHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := []byte(`\x`)
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// rotateIndexKey makes a new active index key in b's key table, the
// current one in state decrypt, and restores it at the end of the test.
func rotateIndexKey(t *testing.T, b *Backend, e *indexEnv) *codec.IndexKey {
	t.Helper()
	ctx := context.Background()
	master, err := config.Config{SecretKey: Key}.MasterKey(ctx)
	require.NoError(t, err)
	family := b.Name
	if family == "mariadb" {
		family = "mysql"
	}
	flavor, err := keytable.FlavorOf(family)
	require.NoError(t, err)
	entries, err := keytable.LoadIfExists(ctx, b.Raw, flavor)
	require.NoError(t, err)
	old, err := keytable.Active(entries, keytable.PurposeIndex)
	require.NoError(t, err)
	ne, err := keytable.NewKey(ctx, b.Raw, flavor, master, keytable.PurposeIndex)
	require.NoError(t, err)
	t.Cleanup(func() {
		b.Raw.Exec(e.Q(`DELETE FROM `+keytable.Table+` WHERE id = ?`), int64(ne.ID))
		b.Raw.Exec(e.Q(`UPDATE `+keytable.Table+` SET state = 'active' WHERE id = ?`), int64(old.ID))
	})
	newKey, err := codec.UnwrapIndexKey(ctx, master, ne.ID, ne.Wrapped)
	require.NoError(t, err)
	time.Sleep(10 * time.Millisecond)
	return newKey
}

// blindIndexRotationParenthesized: a lookup whose value is in parentheses,
// col = (?) or col IN ((?)), worked until an index key rotated; then the
// older-terms edits were inserted inside the parentheses: col = ($1 OR
// sib IN (...)) and sib IN (($1, old)). PostgreSQL failed the statement
// (bytea = boolean); SQLite compared the sibling with a boolean and
// silently found no row. Such a lookup is now refused before anything is
// sent, before and during a rotation alike (so it never stops working
// halfway); the same lookups without parentheses match both terms.
func blindIndexRotationParenthesized(t *testing.T, b *Backend) {
	if b.DataKeys == nil || !b.BlindIndexRewrites {
		t.Skip("index key rotation needs a key table (WithKeyTable) and the rewrites")
	}
	e := newIndexEnvWith(t, b, func(c *config.Config) { c.KeyRefresh = time.Millisecond })
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-1")
	refused := []string{
		`SELECT id FROM ` + tb + ` WHERE details = (?)`,
		`SELECT id FROM ` + tb + ` WHERE details IN ((?))`,
		`SELECT id FROM ` + tb + ` WHERE details IN ('nope', (?))`,
	}
	accepted := []string{
		`SELECT id FROM ` + tb + ` WHERE (details = ?)`,
		`SELECT id FROM ` + tb + ` WHERE details IN ('nope', ?)`,
	}
	lookup := func(q string) (int64, error) {
		var id int64
		err := e.Indexed.QueryRowContext(e.Ctx, e.Q(q), "tok-1").Scan(&id)
		return id, err
	}
	check := func(when string) {
		for _, q := range refused {
			_, err := lookup(q)
			require.ErrorIs(t, err, sqlseal.ErrRefused, "%s: %s", when, q)
		}
		for _, q := range accepted {
			id, err := lookup(q)
			require.NoError(t, err, "%s: %s", when, q)
			assert.Equal(t, int64(1), id, "%s: %s", when, q)
		}
	}
	check("before rotation")
	rotateIndexKey(t, b, e)
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "b", "tok-2")
	check("while the index key rotates")
	var id int64
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT id FROM `+tb+` WHERE (details = ?)`), "tok-2").Scan(&id))
	assert.Equal(t, int64(2), id)
}

// blindIndexRotationSQLiteParams: on SQLite, a lookup by a named parameter
// (details = :t with sql.Named, as modernc documents) or by a placeholder
// used twice (details = ? OR details = ?1) works until an index key
// rotates; then it is refused ("the number of arguments differs from the
// statement's placeholders") for the whole rotation: the count of
// arguments is checked against the largest anonymous ordinal only.
func blindIndexRotationSQLiteParams(t *testing.T, b *Backend) {
	if b.DataKeys == nil || !b.BlindIndexRewrites || b.Name != "sqlite" {
		t.Skip("SQLite's parameter forms while an index key rotates (WithKeyTable)")
	}
	e := newIndexEnvWith(t, b, func(c *config.Config) { c.KeyRefresh = time.Millisecond })
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-1")
	cases := []struct {
		q    string
		args []any
	}{
		{`SELECT count(*) FROM ` + tb + ` WHERE details = :t`, []any{sql.Named("t", "tok-1")}},
		{`SELECT count(*) FROM ` + tb + ` WHERE details = ? OR details = ?1`, []any{"tok-1"}},
	}
	count := func(q string, args []any) (int, error) {
		var n int
		err := e.Indexed.QueryRowContext(e.Ctx, q, args...).Scan(&n)
		return n, err
	}
	for _, c := range cases {
		n, err := count(c.q, c.args)
		require.NoError(t, err, "before rotation: %s", c.q)
		require.Equal(t, 1, n, c.q)
	}
	rotateIndexKey(t, b, e)
	for _, c := range cases {
		n, err := count(c.q, c.args)
		if assert.NoError(t, err, "while the index key rotates: %s", c.q) {
			assert.Equal(t, 1, n, c.q)
		}
	}
}

// blindIndexNormalizeInvalidUTF8: with the lower (or trim+lower)
// normalization, strings.ToLower replaces every byte that is not valid
// UTF-8 by U+FFFD, so distinct values share a term: a lookup for one
// returns the row of another, and a UNIQUE sibling refuses the second.
// Normalization must be injective on what it does not fold (keep invalid
// bytes as they are).
func blindIndexNormalizeInvalidUTF8(t *testing.T, b *Backend) {
	e := newIndexEnvWith(t, b, func(c *config.Config) { c.BlindIndexes[0] += "/lower" })
	if e.refusedHere() {
		return
	}
	tb := e.Table
	stored, other := []byte("\xff-Tok-\xc3"), []byte("\xfe-tok-\xc0")
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", stored)
	var n int
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` WHERE details = ?`), other).Scan(&n))
	assert.Zero(t, n, "a lookup for a different value finds the row")
	_, err := e.Indexed.ExecContext(e.Ctx, e.Q(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`), "b", other)
	assert.NoError(t, err, "a different value is refused by the UNIQUE sibling")
}

// blindIndexRotationUnique: README: "a UNIQUE constraint on the sibling
// must mean 'unique value'". While an index key rotates, a value written
// again gets the new key's term, which differs from the old row's, so the
// UNIQUE sibling lets the duplicate in. This is documented (README, "A
// UNIQUE sibling does not hold across a rotation"), not prevented: the
// scenario checks that the documented behaviour is the actual one, that a
// lookup (which matches both terms) finds both rows, so that an
// application can check before writing, and that outside a rotation the
// duplicate is refused.
func blindIndexRotationUnique(t *testing.T, b *Backend) {
	if b.DataKeys == nil || !b.BlindIndexRewrites {
		t.Skip("index key rotation needs a key table (WithKeyTable) and the rewrites")
	}
	e := newIndexEnvWith(t, b, func(c *config.Config) { c.KeyRefresh = time.Millisecond })
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "same-token")
	_, err := e.Indexed.ExecContext(e.Ctx, e.Q(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`), "b", "same-token")
	require.Error(t, err, "outside a rotation the UNIQUE sibling refuses a duplicate")
	rotateIndexKey(t, b, e)
	var n int
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` WHERE details = ?`), "same-token").Scan(&n))
	require.Equal(t, 1, n, "a lookup during the rotation finds the row written before it")
	_, err = e.Indexed.ExecContext(e.Ctx, e.Q(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`), "c", "same-token")
	require.NoError(t, err, "documented: during a rotation the UNIQUE sibling does not see the duplicate")
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` WHERE details = ?`), "same-token").Scan(&n))
	assert.Equal(t, 2, n, "a lookup during the rotation finds both rows")
}

// blindIndexRotationPreparedLookup: an application prepares its lookup
// once (database/sql *Stmt, as GORM's PrepareStmt does) and keeps it. Once
// an index key rotates, rows written meanwhile carry the new key's terms,
// but the prepared lookup "keeps the keys it was prepared with" and does
// not match them: it silently misses every row written since the rotation,
// until the process restarts. A lookup should match the terms of every key
// a row may carry (old and new), whenever it was prepared: a prepared
// statement now prepares its text again when it finds the index keys
// changed.
func blindIndexRotationPreparedLookup(t *testing.T, b *Backend) {
	if b.DataKeys == nil || !b.BlindIndexRewrites {
		t.Skip("index key rotation needs a key table (WithKeyTable) and the rewrites")
	}
	e := newIndexEnvWith(t, b, func(c *config.Config) { c.KeyRefresh = time.Millisecond })
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-old")
	stmt, err := e.Indexed.PrepareContext(e.Ctx, e.Q(`SELECT id FROM `+tb+` WHERE details = ?`))
	require.NoError(t, err)
	defer stmt.Close()
	var id int64
	require.NoError(t, stmt.QueryRowContext(e.Ctx, "tok-old").Scan(&id))
	rotateIndexKey(t, b, e)
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "b", "tok-new")
	err = stmt.QueryRowContext(e.Ctx, "tok-new").Scan(&id)
	if assert.NoError(t, err, "the prepared lookup misses the row written after the rotation") {
		assert.Equal(t, int64(2), id)
	}
	// And it still finds the row written under the old key.
	require.NoError(t, stmt.QueryRowContext(e.Ctx, "tok-old").Scan(&id))
	assert.Equal(t, int64(1), id)
	// A write prepared before the rotation writes the new key's term.
	ins, err := e.Indexed.PrepareContext(e.Ctx, e.Q(`UPDATE `+tb+` SET details = ? WHERE id = ?`))
	require.NoError(t, err)
	defer ins.Close()
	_, err = ins.ExecContext(e.Ctx, "tok-old2", int64(1))
	require.NoError(t, err)
	require.NoError(t, stmt.QueryRowContext(e.Ctx, "tok-old2").Scan(&id))
	assert.Equal(t, int64(1), id)
}

// blindIndexParenthesizedWrite: a value in parentheses, SET details = (?)
// or VALUES (..., (?)), was accepted as a bare parameter, but the sibling's
// assignment or value was inserted inside the parentheses: SET details =
// ($1, details_bidx = $2) and VALUES (..., ($2, $3)). The server then
// either failed, or (PostgreSQL, assignment I/O cast of a record to text)
// stored the text "(<sealed>,f)" in the column and left the sibling with
// the old term. Such a value is now refused before anything is sent; the
// same value without parentheses is written with its term.
func blindIndexParenthesizedWrite(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-1")
	for _, c := range []struct {
		q    string
		args []any
	}{
		{`UPDATE ` + tb + ` SET details = (?) WHERE id = 1`, []any{"tok-1b"}},
		{`UPDATE ` + tb + ` SET details = ('tok-1c') WHERE id = 1`, nil},
		{`INSERT INTO ` + tb + ` (name, details) VALUES ('b', (?))`, []any{"tok-2"}},
		{`INSERT INTO ` + tb + ` (details, name) VALUES ((?), 'b')`, []any{"tok-2"}},
		{`INSERT INTO ` + tb + ` (name, details) VALUES ('b', ((NULL)))`, nil},
	} {
		_, err := e.Indexed.ExecContext(e.Ctx, e.Q(c.q), c.args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, c.q)
	}
	// Nothing reached the server: row 1 keeps its value and term, no row 2.
	e.RequireSealed(1, "tok-1")
	assert.Equal(t, e.term("tok-1"), e.RawValue(tb, "details_bidx", 1))
	var n int
	require.NoError(t, e.Raw.QueryRowContext(e.Ctx, `SELECT count(*) FROM `+tb).Scan(&n))
	assert.Equal(t, 1, n, "a refused INSERT reached the server")
	// The first value of a row follows the row's own parenthesis.
	e.exec(`INSERT INTO `+tb+` (details, name) VALUES (?, 'c')`, "tok-3")
	e.RequireSealed(2, "tok-3")
	assert.Equal(t, e.term("tok-3"), e.RawValue(tb, "details_bidx", 2))
}

// blindIndexParenthesizedUpsert: the upsert form of the same finding,
// DO UPDATE SET details = (EXCLUDED.details), became SET details =
// (EXCLUDED.details, details_bidx = EXCLUDED.details_bidx), which the
// server rejected (PostgreSQL: column reference "details_bidx" is
// ambiguous; SQLite: row value misused). It is now refused before anything
// is sent.
func blindIndexParenthesizedUpsert(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-1")
	q := `INSERT INTO ` + tb + ` (id, name, details) VALUES (1, 'a', ?)` + b.Upsert("details = ("+b.Proposed("details")+")")
	_, err := e.Indexed.ExecContext(e.Ctx, e.Q(q), "tok-up")
	require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	e.RequireSealed(1, "tok-1")
	assert.Equal(t, e.term("tok-1"), e.RawValue(tb, "details_bidx", 1), "%s: term", q)
}

// blindIndexSiblingIsProtected: the end-to-end form of config's
// TestBlindIndexSiblingIsProtectedAcrossQualification. With
// SQLSEAL_COLUMNS=public.t.details,t.note and
// SQLSEAL_BLIND_INDEXES=public.t.details:note the driver connects, and
// every write of details put its term, a value sqlseal did not seal, into
// the protected column note. The configuration is now refused (config
// compares table.column whatever the schema qualification).
func blindIndexSiblingIsProtected(t *testing.T, b *Backend) {
	if b.Name != "postgres" {
		t.Skip("PostgreSQL's public schema")
	}
	e := NewEnv(t, b, "name VARCHAR(100), details text, note bytea")
	cfg := e.Config()
	cfg.Columns = []string{"public." + e.Table + ".details", e.Table + ".note"}
	cfg.BlindIndexes = []string{"public." + e.Table + ".details:note"}
	_, err := e.OpenErr(cfg)
	require.ErrorIs(t, err, config.ErrInvalid, "the configuration is refused when the driver is opened")
	var n int
	require.NoError(t, e.Raw.QueryRowContext(e.Ctx, `SELECT count(*) FROM `+e.Table).Scan(&n))
	assert.Zero(t, n)
}
