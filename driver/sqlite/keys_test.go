package sqlite_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
)

// TestLegacyPlaintextReadable: rows written before encryption was turned
// on are returned as they are, next to sealed rows.
func TestLegacyPlaintextReadable(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.rawExec(`INSERT INTO `+e.table+` (details) VALUES (?)`, secretJSON)
	e.exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, secretJSON)
	require.Equal(t, secretJSON, e.rawDetails(1))
	e.requireSealed(2, secretJSON)
	require.Equal(t, secretJSON, e.readDetails(1))
	require.Equal(t, secretJSON, e.readDetails(2))

	// Rewriting a legacy row through sqlseal seals it.
	e.exec(`UPDATE `+e.table+` SET details = ? WHERE id = 1`, secretJSON)
	e.requireSealed(1, secretJSON)

	// With plaintext rejected, a legacy row is an error.
	e.rawExec(`INSERT INTO ` + e.table + ` (details) VALUES ('legacy')`)
	cfg := e.config()
	cfg.RejectPlaintext = true
	strict := e.open(cfg)
	var s string
	err := strict.QueryRow(`SELECT details FROM ` + e.table + ` WHERE id = 3`).Scan(&s)
	require.ErrorIs(t, err, sqlseal.ErrPlaintext)
	require.NotContains(t, err.Error(), "legacy")
	require.NoError(t, strict.QueryRow(`SELECT details FROM `+e.table+` WHERE id = 1`).Scan(&s))
	require.Equal(t, secretJSON, s)
}

// TestPreviousKeysOpen: values sealed with an older key open when it is
// listed as a previous key; new writes use the primary key.
func TestPreviousKeysOpen(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "details "+typ)
			old := e.open(config.Config{SecretKey: oldKey, Columns: []string{e.table + ".details"}})
			_, err := old.Exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, "sealed with the old key")
			require.NoError(t, err)
			require.NoError(t, old.Close())

			db := e.open(config.Config{SecretKey: testKey, PreviousSecretKeys: []string{otherKey, oldKey},
				Columns: []string{e.table + ".details"}})
			_, err = db.Exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, "sealed with the new key")
			require.NoError(t, err)
			e.requireSealed(2, "sealed with the new key")
			rows, err := db.Query(`SELECT details FROM ` + e.table + ` ORDER BY id`)
			require.NoError(t, err)
			var got []string
			for rows.Next() {
				var s string
				require.NoError(t, rows.Scan(&s))
				got = append(got, s)
			}
			require.NoError(t, rows.Err())
			require.Equal(t, []string{"sealed with the old key", "sealed with the new key"}, got)
		})
	}
}

// TestWrongKeyAtConnect: a pool whose keys open none of the stored values
// fails at connect.
func TestWrongKeyAtConnect(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, secretJSON)
	_, err := e.openErr(config.Config{SecretKey: otherKey, Columns: []string{e.table + ".details"}})
	require.ErrorIs(t, err, sqlseal.ErrWrongKey)
	require.Contains(t, err.Error(), e.table+".details")
	require.NotContains(t, err.Error(), otherKey)

	_, err = e.openErr(config.Config{SecretKey: otherKey, PreviousSecretKeys: []string{testKey},
		Columns: []string{e.table + ".details"}})
	require.NoError(t, err)
}

// TestNoKey: without a secret, writes are stored as they are and reading a
// sealed value says the key is missing.
func TestNoKey(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, "sealed")
	db := e.open(config.Config{Columns: []string{e.table + ".details"}})
	_, err := db.Exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, "unencrypted")
	require.NoError(t, err)
	require.Equal(t, "unencrypted", e.rawDetails(2))
	var s string
	require.ErrorIs(t, db.QueryRow(`SELECT details FROM `+e.table+` WHERE id = 1`).Scan(&s), sqlseal.ErrNoKey)
	require.NoError(t, db.QueryRow(`SELECT details FROM `+e.table+` WHERE id = 2`).Scan(&s))
	require.Equal(t, "unencrypted", s)
}

// TestUnsupportedColumnTypes: declared types with NUMERIC or INTEGER
// affinity (JSON among them) would convert or mangle ciphertext; they are
// refused at connect, or, for a table created later, at first use, and
// nothing is written.
func TestUnsupportedColumnTypes(t *testing.T) {
	for _, typ := range []string{"JSON", "INTEGER", "NUMERIC", "REAL"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "")
			e.rawExec(`CREATE TABLE ` + e.table + ` (id INTEGER PRIMARY KEY, details ` + typ + `)`)
			_, err := e.openErr(e.config())
			require.ErrorIs(t, err, sqlseal.ErrColumnType)
			require.Contains(t, err.Error(), e.table+".details")

			later := newEnv(t, "")
			later.exec(`CREATE TABLE ` + later.table + ` (id INTEGER PRIMARY KEY, details ` + typ + `)`)
			_, err = later.sealed.Exec(`INSERT INTO `+later.table+` (details) VALUES (?)`, "1")
			require.ErrorIs(t, err, sqlseal.ErrColumnType)
			require.Zero(t, later.count(later.table))
		})
	}
}
