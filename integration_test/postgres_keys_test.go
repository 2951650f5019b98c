package integration_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
)

func TestPGLegacyPlaintextRow(t *testing.T) {
	p := newPG(t).create("details text")
	const legacy = `{"host":"legacy","password":"plain"}`
	p.rawExec(`INSERT INTO `+p.table+` (details) VALUES ($1), ($2)`, legacy, pgSealText(t, pgKey, pgDetails))

	// Accepted by default: written before encryption was turned on.
	db := p.sealed()
	require.Equal(t, legacy, p.readDetails(db, 1))
	require.Equal(t, pgDetails, p.readDetails(db, 2))

	// Rejected when configured so; sealed rows still open.
	cfg := p.config()
	cfg.RejectPlaintext = true
	strict := p.open(cfg)
	var s string
	err := strict.QueryRow(`SELECT details FROM ` + p.table + ` WHERE id = 1`).Scan(&s)
	require.ErrorIs(t, err, sqlseal.ErrPlaintext)
	require.Contains(t, err.Error(), p.table+".details")
	require.NotContains(t, err.Error(), "plain\"")
	require.Equal(t, pgDetails, p.readDetails(strict, 2))

	// Rewriting the legacy row through sqlseal seals it.
	_, err = db.Exec(`UPDATE `+p.table+` SET details = $1 WHERE id = 1`, legacy)
	require.NoError(t, err)
	p.requireSealed(1, legacy)
	require.Equal(t, legacy, p.readDetails(strict, 1))
}

func TestPGPreviousKeyOpensOlderRows(t *testing.T) {
	p := newPG(t).create("details text")
	p.rawExec(`INSERT INTO `+p.table+` (details) VALUES ($1)`, pgSealText(t, pgOldKey, `{"sealed":"old"}`))

	// Without the old key, the column's values do not open: refused at
	// connect.
	_, err := p.openErr(p.config())
	require.ErrorIs(t, err, sqlseal.ErrWrongKey)

	cfg := p.config()
	cfg.PreviousSecretKeys = []string{pgOldKey}
	db := p.open(cfg)
	require.Equal(t, `{"sealed":"old"}`, p.readDetails(db, 1))

	// New writes use the primary key only.
	_, err = db.Exec(`INSERT INTO `+p.table+` (details) VALUES ($1)`, `{"sealed":"new"}`)
	require.NoError(t, err)
	p.requireSealed(2, `{"sealed":"new"}`)
	old, err := codec.DeriveKey(pgOldKey)
	require.NoError(t, err)
	_, err = old.OpenText(p.rawValue(p.table, "details", 2).(string))
	require.Error(t, err, "a new value was sealed with the previous key")

	// Rewriting the old row re-seals it with the primary key.
	_, err = db.Exec(`UPDATE `+p.table+` SET details = $1 WHERE id = 1`, `{"sealed":"old"}`)
	require.NoError(t, err)
	p.requireSealed(1, `{"sealed":"old"}`)
}

func TestPGValueSealedWithUnknownKeyFailsNamingColumn(t *testing.T) {
	p := newPG(t).create("name text, details text")
	db := p.sealed()
	_, err := db.Exec(`INSERT INTO `+p.table+` (name, details) VALUES ($1, $2)`, "good", pgDetails)
	require.NoError(t, err)
	p.rawExec(`INSERT INTO `+p.table+` (name, details) VALUES ($1, $2)`, "bad", pgSealText(t, pgBadKey, `{"password":"stolen"}`))

	for _, q := range []string{
		`SELECT details FROM ` + p.table + ` WHERE id = 2`,
		`SELECT name, details AS d FROM ` + p.table + ` t WHERE t.id = 2`,
		`SELECT * FROM ` + p.table + ` WHERE id = 2`,
	} {
		rows, err := db.Query(q)
		require.NoError(t, err)
		for rows.Next() {
			t.Fatalf("%s: a row came back", q)
		}
		err = rows.Err()
		rows.Close()
		require.ErrorIs(t, err, sqlseal.ErrCannotOpen, q)
		require.Contains(t, err.Error(), p.table+".details", q)
		require.NotContains(t, err.Error(), "stolen")
	}
	// The error is per value: other rows still read.
	require.Equal(t, pgDetails, p.readDetails(db, 1))
}

func TestPGNoKeyPassesWritesThroughAndRefusesSealedReads(t *testing.T) {
	p := newPG(t).create("details text")
	p.rawExec(`INSERT INTO `+p.table+` (details) VALUES ($1)`, pgSealText(t, pgKey, pgDetails))
	db := p.open(config.Config{SecretKey: "", Columns: []string{p.table + ".details"}})

	_, err := db.Exec(`INSERT INTO `+p.table+` (details) VALUES ($1)`, `{"plain":true}`)
	require.NoError(t, err)
	require.Equal(t, `{"plain":true}`, p.rawValue(p.table, "details", 2))
	require.Equal(t, `{"plain":true}`, p.readDetails(db, 2))

	var s string
	err = db.QueryRow(`SELECT details FROM ` + p.table + ` WHERE id = 1`).Scan(&s)
	require.ErrorIs(t, err, sqlseal.ErrNoKey)
	require.Contains(t, err.Error(), p.table+".details")
	require.Empty(t, s)
}

func TestPGWrongKeyFailsAtConnect(t *testing.T) {
	p := newPG(t).create("details text")
	p.rawExec(`INSERT INTO `+p.table+` (details) VALUES ($1), (NULL), ($2)`, pgSealText(t, pgKey, "a"), pgSealText(t, pgKey, "b"))

	_, err := p.openErr(config.Config{SecretKey: pgBadKey, Columns: []string{p.table + ".details"}})
	require.ErrorIs(t, err, sqlseal.ErrWrongKey)
	require.Contains(t, err.Error(), p.table+".details")
	require.NotContains(t, err.Error(), pgBadKey)

	// The right key as a previous key is enough to connect and read.
	db := p.open(config.Config{SecretKey: pgBadKey, PreviousSecretKeys: []string{pgKey}, Columns: []string{p.table + ".details"}})
	require.Equal(t, "b", p.readDetails(db, 3))
}

func TestPGJSONColumnsRefusedAtConnect(t *testing.T) {
	for _, typ := range []string{"jsonb", "json", "integer"} {
		t.Run(typ, func(t *testing.T) {
			p := newPG(t).create("details " + typ)
			_, err := p.openErr(p.config())
			require.ErrorIs(t, err, sqlseal.ErrColumnType)
			require.Contains(t, err.Error(), p.table+".details")
		})
	}
}

func TestPGTableCreatedAfterConnect(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		p := newPG(t)
		db := p.sealed() // the table does not exist yet
		_, err := db.Exec(`CREATE TABLE ` + p.table + ` (id serial PRIMARY KEY, details text)`)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO `+p.table+` (details) VALUES ($1)`, pgDetails)
		require.NoError(t, err)
		p.requireSealed(1, pgDetails)
		require.Equal(t, pgDetails, p.readDetails(db, 1))
	})
	t.Run("bytea", func(t *testing.T) {
		p := newPG(t)
		db := p.sealed()
		// A statement that reads the table before it exists must not fix
		// its type as text.
		_, err := db.Query(`SELECT details FROM ` + p.table)
		require.Error(t, err)
		_, err = db.Exec(`CREATE TABLE ` + p.table + ` (id serial PRIMARY KEY, details bytea)`)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO `+p.table+` (details) VALUES ($1)`, []byte(pgDetails))
		require.NoError(t, err)
		stored, ok := p.rawValue(p.table, "details", 1).([]byte)
		require.True(t, ok)
		require.True(t, codec.LooksSealedRaw(stored), "bytea holds %q", stored)
		p.requireSealed(1, pgDetails)
		var b []byte
		require.NoError(t, db.QueryRow(`SELECT details FROM `+p.table+` WHERE id = 1`).Scan(&b))
		require.Equal(t, pgDetails, string(b))
	})
	t.Run("jsonb", func(t *testing.T) {
		p := newPG(t)
		db := p.sealed()
		_, err := db.Exec(`CREATE TABLE ` + p.table + ` (id serial PRIMARY KEY, details jsonb)`)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO `+p.table+` (details) VALUES ($1)`, pgDetails)
		require.ErrorIs(t, err, sqlseal.ErrColumnType)
		require.Zero(t, p.count(p.table), "the value reached a jsonb column")
	})
}
