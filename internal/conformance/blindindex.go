package conformance

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// indexEnv is an Env whose details column also has a blind index, kept in
// details_bidx (UNIQUE), and Indexed, a pool configured with it.
type indexEnv struct {
	*Env
	Indexed *sql.DB
	key     *codec.IndexKey
}

// newIndexEnv creates (id, name, details text, details_bidx UNIQUE) and
// opens Indexed with a blind index on details.
func newIndexEnv(t *testing.T, b *Backend) *indexEnv {
	t.Helper()
	return newIndexEnvWith(t, b, func(*config.Config) {})
}

// newIndexEnvWith is newIndexEnv with edit applied to the configuration.
func newIndexEnvWith(t *testing.T, b *Backend, edit func(*config.Config)) *indexEnv {
	t.Helper()
	e := NewEnv(t, b, "name VARCHAR(100), details "+b.TextTypes[0]+", details_bidx "+b.TermType+" UNIQUE")
	cfg := e.Config()
	cfg.BlindIndexes = []string{e.Table + ".details"}
	edit(&cfg)
	x := b.IndexKey
	if x == nil {
		k, err := codec.DeriveKey(Key)
		require.NoError(t, err)
		x, err = codec.NewSecretIndexKey(k)
		require.NoError(t, err)
	}
	return &indexEnv{Env: e, Indexed: e.Open(cfg), key: x}
}

// term is the term ENVELOPE.md gives plaintext in details.
func (e *indexEnv) term(plaintext string) []byte {
	return e.key.Term([]byte(plaintext), keytable.Label(e.Table, "details"))
}

// exec runs q through Indexed; it must succeed.
func (e *indexEnv) exec(q string, args ...any) sql.Result {
	e.T.Helper()
	res, err := e.Indexed.ExecContext(e.Ctx, e.Q(q), args...)
	require.NoError(e.T, err, q)
	return res
}

// requireRow proves that row id holds want sealed in details and its term
// in details_bidx at rest (NULL for NULL), and reads want back through
// Indexed.
func (e *indexEnv) requireRow(id int64, want *string) {
	e.T.Helper()
	raw := e.RawValue(e.Table, "details_bidx", id)
	if want == nil {
		require.Nil(e.T, raw, "details_bidx of row %d", id)
		require.Nil(e.T, e.RawDetails(id), "details of row %d", id)
		return
	}
	e.RequireSealed(id, *want)
	require.Equal(e.T, e.term(*want), raw, "details_bidx of row %d", id)
	require.Equal(e.T, *want, e.ReadDetailsWith(e.Indexed, id))
}

// refusedHere checks, on a backend without the rewrites, that a write and
// a lookup of the column are refused; it reports whether it did.
func (e *indexEnv) refusedHere() bool {
	e.T.Helper()
	if e.B.BlindIndexRewrites {
		return false
	}
	for _, q := range []string{
		`INSERT INTO ` + e.Table + ` (name, details) VALUES (?, ?)`,
		`SELECT id FROM ` + e.Table + ` WHERE details = ? AND name = ?`,
	} {
		_, err := e.Indexed.ExecContext(e.Ctx, e.Q(q), "tok", "n")
		require.ErrorIs(e.T, err, sqlseal.ErrRefused, q)
	}
	require.Zero(e.T, e.Count(e.Table))
	return true
}

func blindIndexWrites(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	tb := e.Table
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-a")
	e.exec(`INSERT INTO ` + tb + ` (name, details) VALUES ('b', 'tok-b')`)
	e.requireRow(1, ptr("tok-a"))
	e.requireRow(2, ptr("tok-b"))

	e.exec(`UPDATE `+tb+` SET details = ? WHERE name = ?`, "tok-a2", "a")
	e.exec(`UPDATE ` + tb + ` SET details = NULL WHERE id = 2`)
	e.requireRow(1, ptr("tok-a2"))
	e.requireRow(2, nil)

	// Prepared statements and transactions.
	stmt, err := e.Indexed.PrepareContext(e.Ctx, e.Q(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`))
	require.NoError(t, err)
	for _, v := range []string{"tok-3", "tok-4"} {
		_, err := stmt.ExecContext(e.Ctx, v, v)
		require.NoError(t, err)
	}
	require.NoError(t, stmt.Close())
	tx, err := e.Indexed.BeginTx(e.Ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(e.Ctx, e.Q(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`), "t", "tok-5")
	require.NoError(t, err)
	require.NoError(t, tx.Commit())
	e.requireRow(3, ptr("tok-3"))
	e.requireRow(4, ptr("tok-4"))
	e.requireRow(5, ptr("tok-5"))

	// An upsert keeps the term of the value it writes.
	e.exec(`INSERT INTO `+tb+` (id, name, details) VALUES (?, ?, ?)`+b.Upsert("details = "+b.Proposed("details")), 1, "a", "tok-up")
	e.requireRow(1, ptr("tok-up"))

	if b.InsertReturning {
		var id int64
		var got string
		require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`INSERT INTO `+tb+` (name, details) VALUES (?, ?) RETURNING id, details`), "r", "tok-6").Scan(&id, &got))
		require.Equal(t, int64(6), id)
		require.Equal(t, "tok-6", got)
		e.requireRow(6, ptr("tok-6"))
	}

	// A term added among the placeholders, not after them all: the
	// other columns keep the arguments bound to them (MySQL binds ? by
	// position).
	e.exec(`INSERT INTO `+tb+` (details, name) VALUES (?, ?)`, "tok-mid", "mid")
	var mid int64
	require.NoError(t, b.Raw.QueryRowContext(e.Ctx, e.Q(`SELECT id FROM `+tb+` WHERE name = ?`), "mid").Scan(&mid))
	e.requireRow(mid, ptr("tok-mid"))
	e.exec(`UPDATE `+tb+` SET details = ?, name = ? WHERE name = ?`, "tok-mid2", "mid2", "mid")
	require.Equal(t, "mid2", e.RawString(tb, "name", mid))
	e.requireRow(mid, ptr("tok-mid2"))
}

func blindIndexLookups(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	tb := e.Table
	for _, v := range []string{"tok-1", "tok-2", "tok-3", "tok-4"} {
		e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "n-"+v, v)
	}
	var id int64
	var got string
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT id, details FROM `+tb+` WHERE details = ?`), "tok-2").Scan(&id, &got))
	require.Equal(t, int64(2), id)
	require.Equal(t, "tok-2", got)
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, `SELECT id FROM `+tb+` WHERE details = 'tok-3'`).Scan(&id))
	require.Equal(t, int64(3), id)
	var n int
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` t WHERE t.details IN (?, ?, 'tok-4', 'nope')`), "tok-1", "tok-2").Scan(&n))
	require.Equal(t, 3, n)
	err := e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT id FROM `+tb+` WHERE details = ?`), "tok-unknown").Scan(&id)
	require.ErrorIs(t, err, sql.ErrNoRows)

	// A self-join on equal terms.
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` a JOIN `+tb+` b ON a.details = b.details WHERE a.id = ?`), 1).Scan(&n))
	require.Equal(t, 1, n)

	// Prepared, in a transaction, and in UPDATE and DELETE filters.
	tx, err := e.Indexed.BeginTx(e.Ctx, nil)
	require.NoError(t, err)
	stmt, err := tx.PrepareContext(e.Ctx, e.Q(`SELECT id FROM `+tb+` WHERE details = ?`))
	require.NoError(t, err)
	for want, v := range map[int64]string{1: "tok-1", 4: "tok-4"} {
		require.NoError(t, stmt.QueryRowContext(e.Ctx, v).Scan(&id))
		require.Equal(t, want, id)
	}
	require.NoError(t, stmt.Close())
	res, err := tx.ExecContext(e.Ctx, e.Q(`UPDATE `+tb+` SET name = ? WHERE details = ?`), "renamed", "tok-1")
	require.NoError(t, err)
	affected, _ := res.RowsAffected()
	require.Equal(t, int64(1), affected)
	res, err = tx.ExecContext(e.Ctx, e.Q(`DELETE FROM `+tb+` WHERE details = ?`), "tok-4")
	require.NoError(t, err)
	affected, _ = res.RowsAffected()
	require.Equal(t, int64(1), affected)
	require.NoError(t, tx.Commit())
	require.Equal(t, "renamed", e.RawString(tb, "name", 1))
	require.Equal(t, 3, e.Count(tb))

	// IS NULL tests the column itself.
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, NULL)`, "null")
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, `SELECT count(*) FROM `+tb+` WHERE details IS NULL`).Scan(&n))
	require.Equal(t, 1, n)
}

func blindIndexUnique(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	e.exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "a", "same-secret")
	_, err := e.Indexed.ExecContext(e.Ctx, e.Q(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`), "b", "same-secret")
	require.Error(t, err)
	require.NotErrorIs(t, err, sqlseal.ErrRefused)
	msg := strings.ToLower(err.Error())
	require.True(t, strings.Contains(msg, "unique") || strings.Contains(msg, "duplicate"), "want the server's unique violation, got %v", err)
	require.NotContains(t, err.Error(), "same-secret")
	require.Equal(t, 1, e.Count(e.Table))
}

func blindIndexRefused(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	tb, other := e.Table, e.Name("other")
	e.Create(other, "note "+b.TextTypes[0]+", tok "+b.TermType)
	e.RawExec(`INSERT INTO ` + other + ` (note, tok) VALUES ('x', NULL)`)
	if b.BlindIndexRewrites {
		e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "a", "tok-a")
	} else {
		e.RawExec(`INSERT INTO ` + tb + ` (name) VALUES ('a')`)
	}
	before := e.RawValue(tb, "details_bidx", 1)
	for _, q := range []string{
		// The sibling written directly, however it is named.
		`INSERT INTO ` + tb + ` (name, details_bidx) VALUES ('x', ?)`,
		`UPDATE ` + tb + ` SET details_bidx = ? WHERE id = 1`,
		`UPDATE ` + tb + ` SET details_bidx = (SELECT tok FROM ` + other + ` WHERE note = ?)`,
		`INSERT INTO ` + tb + ` (name, details_bidx) SELECT note, tok FROM ` + other + ` WHERE note = ?`,
		// The column written where its term cannot follow.
		`INSERT INTO ` + tb + ` (name, details) SELECT note, details FROM ` + tb + ` WHERE name = ?`,
		`UPDATE ` + tb + ` SET details = name WHERE name = ?`,
		`INSERT INTO ` + tb + ` (id, name, details) VALUES (1, ?, 'v')` + b.Upsert("details = "+b.Proposed("name")),
		`INSERT INTO ` + tb + ` (id, name) VALUES (1, ?)` + b.Upsert("details_bidx = "+b.Proposed("details_bidx")),
		// Comparisons a blind index cannot answer.
		`SELECT id FROM ` + tb + ` WHERE details <> ?`,
		`SELECT id FROM ` + tb + ` WHERE details LIKE ?`,
		`SELECT id FROM ` + tb + ` WHERE details > ?`,
		`SELECT id FROM ` + tb + ` WHERE lower(details) = ?`,
		`SELECT id FROM ` + tb + ` WHERE details BETWEEN ? AND ?`,
	} {
		n := strings.Count(q, "?")
		args := make([]any, n)
		for i := range args {
			args[i] = "tok-a"
		}
		_, err := e.Indexed.ExecContext(e.Ctx, e.Q(q), args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		e.RequireQuotesNothing(err, "tok-a", other)
		require.Equal(t, before, e.RawValue(tb, "details_bidx", 1), q)
		require.Equal(t, 1, e.Count(tb), q)
	}
}

func blindIndexMissingSibling(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details "+b.TextTypes[0])
	cfg := e.Config()
	cfg.BlindIndexes = []string{e.Table + ".details"}
	_, err := e.OpenErr(cfg)
	require.ErrorIs(t, err, sqlseal.ErrNoBlindIndexColumn)
	require.Contains(t, err.Error(), "details_bidx")

	cfg.BlindIndexes = []string{e.Table + ".details:" + "tok_idx"}
	e.RawExec(`ALTER TABLE ` + e.Table + ` ADD tok_idx ` + b.TextTypes[0])
	_, err = e.OpenErr(cfg)
	if b.Name != "sqlite" { // SQLite's declared types do not constrain values
		require.ErrorIs(t, err, sqlseal.ErrNoBlindIndexColumn)
	}
}

// indexedRow is an application's model of the indexed table.
type indexedRow struct {
	ID      int64  `db:"id"`
	Name    string `db:"name"`
	Details string `db:"details"`
}

func blindIndexClients(t *testing.T, b *Backend) {
	e := newIndexEnv(t, b)
	if e.refusedHere() {
		return
	}
	// sqlx, unchanged.
	x := sqlx.NewDb(e.Indexed, b.SqlxDriver)
	_, err := x.NamedExecContext(e.Ctx, `INSERT INTO `+e.Table+` (name, details) VALUES (:name, :details)`, indexedRow{Name: "sqlx", Details: "tok-sqlx"})
	require.NoError(t, err)
	var got indexedRow
	require.NoError(t, x.GetContext(e.Ctx, &got, x.Rebind(`SELECT id, name, details FROM `+e.Table+` WHERE details = ?`), "tok-sqlx"))
	require.Equal(t, indexedRow{ID: 1, Name: "sqlx", Details: "tok-sqlx"}, got)
	e.requireRow(1, ptr("tok-sqlx"))

	// GORM, unchanged: Create, then Where("details = ?", t).First(&u).
	for name, dialector := range b.Gorm {
		for _, prepare := range []bool{false, true} {
			g, err := gorm.Open(dialector(e.Indexed), &gorm.Config{PrepareStmt: prepare, Logger: logger.Default.LogMode(logger.Silent)})
			require.NoError(t, err, name)
			tok := "tok-gorm-" + name
			if prepare {
				tok += "-prepared"
			}
			row := indexedRow{Name: name, Details: tok}
			require.NoError(t, g.Table(e.Table).Select("name", "details").Create(&row).Error, name)
			var u indexedRow
			require.NoError(t, g.Table(e.Table).Where("details = ?", tok).First(&u).Error, name)
			require.Equal(t, tok, u.Details)
			require.NotZero(t, u.ID)
			e.requireRow(u.ID, ptr(tok))
			err = g.Table(e.Table).Where("details = ?", "missing").First(&u).Error
			require.True(t, errors.Is(err, gorm.ErrRecordNotFound), "%s: %v", name, err)
		}
	}
}

// blindIndexRotation: while the key table's index key is being rotated
// (a new active index key, the old one in state decrypt), rows still
// holding terms of the old key are found by every lookup shape, and new
// writes get terms of the new key.
func blindIndexRotation(t *testing.T, b *Backend) {
	if b.DataKeys == nil || !b.BlindIndexRewrites {
		t.Skip("index key rotation needs a key table (WithKeyTable) and the rewrites")
	}
	e := newIndexEnvWith(t, b, func(c *config.Config) { c.KeyRefresh = time.Millisecond })
	tb := e.Table
	for _, v := range []string{"tok-1", "tok-2"} {
		e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, v, v)
	}
	e.requireRow(1, ptr("tok-1"))

	// A new index key; the old one only matches lookups. Restored after.
	newKey := rotateIndexKey(t, b, e)

	// New writes get the new key's terms.
	e.exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?)`, "tok-3", "tok-3")
	require.Equal(t, newKey.Term([]byte("tok-3"), keytable.Label(tb, "details")), e.RawValue(tb, "details_bidx", 3))

	// Lookups find rows under either key.
	var id int64
	for want, v := range map[int64]string{1: "tok-1", 2: "tok-2", 3: "tok-3"} {
		require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT id FROM `+tb+` WHERE details = ?`), v).Scan(&id))
		require.Equal(t, want, id)
	}
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, `SELECT id FROM `+tb+` WHERE 'tok-2' = details`).Scan(&id))
	require.Equal(t, int64(2), id)
	// The older terms' placeholders come before a later one's argument.
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT id FROM `+tb+` WHERE details = ? AND name = ?`), "tok-2", "tok-2").Scan(&id))
	require.Equal(t, int64(2), id)
	var n int
	require.NoError(t, e.Indexed.QueryRowContext(e.Ctx, e.Q(`SELECT count(*) FROM `+tb+` WHERE name <> 'x' AND details IN (?, 'tok-3', ?)`), "tok-1", "tok-2").Scan(&n))
	require.Equal(t, 3, n)
	stmt, err := e.Indexed.PrepareContext(e.Ctx, e.Q(`UPDATE `+tb+` SET name = ? WHERE details = ?`))
	require.NoError(t, err)
	res, err := stmt.ExecContext(e.Ctx, "renamed", "tok-1")
	require.NoError(t, err)
	require.NoError(t, stmt.Close())
	affected, _ := res.RowsAffected()
	require.Equal(t, int64(1), affected)
	require.Equal(t, "renamed", e.RawString(tb, "name", 1))
}
