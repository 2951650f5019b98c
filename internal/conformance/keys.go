package conformance

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
)

// legacy is a value written before encryption was turned on.
const legacy = `{"host":"legacy","password":"plain"}`

// legacyPlaintext: rows written before encryption was turned on are
// returned as they are, next to sealed rows, unless plaintext is
// rejected; rewriting one through sqlseal seals it.
func legacyPlaintext(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	e.RawExec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, legacy)
	e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, Details)
	require.Equal(t, legacy, e.RawString(e.Table, "details", 1))
	e.RequireSealed(2, Details)
	require.Equal(t, legacy, e.ReadDetails(1))
	require.Equal(t, Details, e.ReadDetails(2))

	// Rejected when configured so; sealed rows still open.
	cfg := e.Config()
	cfg.RejectPlaintext = true
	strict := e.Open(cfg)
	var s string
	err := strict.QueryRow(`SELECT details FROM ` + e.Table + ` WHERE id = 1`).Scan(&s)
	require.ErrorIs(t, err, sqlseal.ErrPlaintext)
	require.Contains(t, err.Error(), e.Table+".details")
	e.RequireQuotesNothing(err, `plain"`, "legacy")
	require.Equal(t, Details, e.ReadDetailsWith(strict, 2))

	// Rewriting the legacy row through sqlseal seals it.
	e.Exec(`UPDATE `+e.Table+` SET details = ? WHERE id = 1`, legacy)
	e.RequireSealed(1, legacy)
	require.Equal(t, legacy, e.ReadDetailsWith(strict, 1))
}

// previousKeys: values sealed with an older key open when it is listed as
// a previous key, and not without it; new writes and rewrites use the
// primary key only.
func previousKeys(t *testing.T, b *Backend) {
	for _, typ := range []string{"TEXT", b.BinaryTypes[0]} {
		t.Run(kindName(typ), func(t *testing.T) {
			e := NewEnv(t, b, "details "+typ)
			cols := []string{e.Table + ".details"}
			const before, after = `{"sealed":"old"}`, `{"sealed":"new"}`
			old := e.Open(config.Config{SecretKey: OldKey, Columns: cols})
			_, err := old.Exec(e.Q(`INSERT INTO `+e.Table+` (details) VALUES (?)`), before)
			require.NoError(t, err)
			require.NoError(t, old.Close())

			// Without the old key, the column's values do not open:
			// refused at connect.
			_, err = e.OpenErr(e.Config())
			require.ErrorIs(t, err, sqlseal.ErrWrongKey)

			db := e.Open(config.Config{SecretKey: Key, PreviousSecretKeys: []string{OtherKey, OldKey}, Columns: cols})
			require.Equal(t, before, e.ReadDetailsWith(db, 1))
			_, err = db.Exec(e.Q(`INSERT INTO `+e.Table+` (details) VALUES (?)`), after)
			require.NoError(t, err)
			e.RequireSealed(2, after)
			k, err := codec.DeriveKey(OldKey)
			require.NoError(t, err)
			stored := Str(e.RawDetails(2))
			if e.Binary {
				_, err = k.Open([]byte(stored))
			} else {
				_, err = k.OpenText(stored)
			}
			require.Error(t, err, "a new value was sealed with the previous key")

			rows, err := db.Query(`SELECT details FROM ` + e.Table + ` ORDER BY id`)
			require.NoError(t, err)
			var got []string
			for rows.Next() {
				var s string
				require.NoError(t, rows.Scan(&s))
				got = append(got, s)
			}
			require.NoError(t, rows.Err())
			require.Equal(t, []string{before, after}, got)

			// Rewriting the old row re-seals it with the primary key.
			_, err = db.Exec(e.Q(`UPDATE `+e.Table+` SET details = ? WHERE id = 1`), before)
			require.NoError(t, err)
			e.RequireSealed(1, before)
		})
	}
}

// wrongKeyAtConnect: a pool whose keys open none of the stored values
// fails at connect, naming the column and not the key; the right key as a
// previous key is enough to connect and read.
func wrongKeyAtConnect(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?), (?), (?)`, "a", nil, "b")
	cols := []string{e.Table + ".details"}
	_, err := e.OpenErr(config.Config{SecretKey: OtherKey, Columns: cols})
	require.ErrorIs(t, err, sqlseal.ErrWrongKey)
	require.Contains(t, err.Error(), e.Table+".details")
	require.NotContains(t, err.Error(), OtherKey)

	db := e.Open(config.Config{SecretKey: OtherKey, PreviousSecretKeys: []string{Key}, Columns: cols})
	require.Equal(t, "b", e.ReadDetailsWith(db, 3))
}

// unknownKeyFailsNamingColumn: a value sealed with a key sqlseal does not
// have fails to open, naming the column and quoting nothing; the error is
// per value, and other rows still read.
func unknownKeyFailsNamingColumn(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "good", Details)
	e.RawExec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "bad", SealText(t, OtherKey, `{"password":"stolen"}`))
	for _, q := range []string{
		`SELECT details FROM ` + e.Table + ` WHERE id = 2`,
		`SELECT name, details AS d FROM ` + e.Table + ` t WHERE t.id = 2`,
		`SELECT * FROM ` + e.Table + ` WHERE id = 2`,
	} {
		rows, err := e.Sealed.Query(q)
		require.NoError(t, err)
		for rows.Next() {
			t.Fatalf("%s: a row came back", q)
		}
		err = rows.Err()
		rows.Close()
		require.ErrorIs(t, err, sqlseal.ErrCannotOpen, q)
		require.Contains(t, err.Error(), e.Table+".details", q)
		require.NotContains(t, err.Error(), "stolen")
	}
	require.Equal(t, Details, e.ReadDetails(1))
}

// noKey: without a secret, writes are stored as they are and reading a
// sealed value says the key is missing.
func noKey(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, "sealed")
	db := e.Open(config.Config{Columns: []string{e.Table + ".details"}})
	_, err := db.Exec(e.Q(`INSERT INTO `+e.Table+` (details) VALUES (?)`), `{"plain":true}`)
	require.NoError(t, err)
	require.Equal(t, `{"plain":true}`, e.RawString(e.Table, "details", 2))
	require.Equal(t, `{"plain":true}`, e.ReadDetailsWith(db, 2))
	var s string
	err = db.QueryRow(`SELECT details FROM ` + e.Table + ` WHERE id = 1`).Scan(&s)
	require.ErrorIs(t, err, sqlseal.ErrNoKey)
	require.Contains(t, err.Error(), e.Table+".details")
	require.Empty(t, s)
}

// connectorsKeepTheirOwnKeys: two connectors with the same columns share
// the analysis of a SQL text, but each seals and opens with its own keys.
func connectorsKeepTheirOwnKeys(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	other := e.Open(config.Config{SecretKey: OtherKey, Columns: []string{e.Table + ".details"}})
	ins := e.Q(`INSERT INTO ` + e.Table + ` (id, details) VALUES (?, ?)`)
	_, err := e.Sealed.Exec(ins, 1, "under test key")
	require.NoError(t, err)
	_, err = other.Exec(ins, 2, "under other key")
	require.NoError(t, err)
	require.Equal(t, "under test key", e.ReadDetails(1))
	require.Equal(t, "under other key", e.ReadDetailsWith(other, 2))
	var s string
	require.ErrorIs(t, other.QueryRow(e.Q(`SELECT details FROM `+e.Table+` WHERE id = ?`), 1).Scan(&s), sqlseal.ErrCannotOpen)
}

// disabledWithPreviousKeyReadsBoth: disabling encryption online, the
// application runs with no key and the old key as a previous one. It
// writes plaintext and still reads both the sealed rows and the plaintext
// ones.
func disabledWithPreviousKeyReadsBoth(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES (1, ?)`, "sealed before")
	e.RequireSealed(1, "sealed before")

	disabled := e.Open(config.Config{PreviousSecretKeys: []string{Key}, Columns: []string{e.Table + ".details"}})
	_, err := disabled.Exec(e.Q(`INSERT INTO `+e.Table+` (id, details) VALUES (2, ?)`), "written plain")
	require.NoError(t, err)
	require.Equal(t, "written plain", e.RawString(e.Table, "details", 2))
	for id, want := range map[int64]string{1: "sealed before", 2: "written plain"} {
		require.Equal(t, want, e.ReadDetailsWith(disabled, id))
	}
}
