package mysql_test

import (
	"database/sql"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	sealmysql "github.com/sqlseal/sqlseal/driver/mysql"
)

// TestLegacyPlaintextReadable: rows written before encryption was turned
// on are returned as they are, next to sealed rows.
func TestLegacyPlaintextReadable(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.rawExec("INSERT INTO `"+e.table+"` (details) VALUES (?)", secretJSON)
	e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", secretJSON)
	require.Equal(t, secretJSON, string(e.rawDetails(1)))
	e.requireSealed(2, secretJSON)
	require.Equal(t, secretJSON, e.readDetails(1))
	require.Equal(t, secretJSON, e.readDetails(2))

	// Rewriting a legacy row through sqlseal seals it.
	e.exec("UPDATE `"+e.table+"` SET details = ? WHERE id = 1", secretJSON)
	e.requireSealed(1, secretJSON)

	// With plaintext rejected, a legacy row is an error.
	e.rawExec("INSERT INTO `" + e.table + "` (details) VALUES ('legacy')")
	cfg := e.config()
	cfg.RejectPlaintext = true
	strict := e.open(cfg)
	var s string
	err := strict.QueryRow("SELECT details FROM `" + e.table + "` WHERE id = 3").Scan(&s)
	require.ErrorIs(t, err, sqlseal.ErrPlaintext)
	require.NotContains(t, err.Error(), "legacy")
	require.NoError(t, strict.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = 1").Scan(&s))
	require.Equal(t, secretJSON, s)
}

// TestPreviousKeysOpen: values sealed with an older key open when it is
// listed as a previous key; new writes use the primary key.
func TestPreviousKeysOpen(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "details "+typ)
			old := e.open(config.Config{SecretKey: oldKey, Columns: []string{e.table + ".details"}})
			_, err := old.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "sealed with the old key")
			require.NoError(t, err)
			require.NoError(t, old.Close())

			db := e.open(config.Config{SecretKey: testKey, PreviousSecretKeys: []string{otherKey, oldKey},
				Columns: []string{e.table + ".details"}})
			_, err = db.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "sealed with the new key")
			require.NoError(t, err)
			e.requireSealed(2, "sealed with the new key")
			rows, err := db.Query("SELECT details FROM `" + e.table + "` ORDER BY id")
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
// fails at connect, and no statement runs.
func TestWrongKeyAtConnect(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", secretJSON)
	_, err := e.openErr(config.Config{SecretKey: otherKey, Columns: []string{e.table + ".details"}})
	require.ErrorIs(t, err, sqlseal.ErrWrongKey)
	require.Contains(t, err.Error(), e.table+".details")
	require.NotContains(t, err.Error(), otherKey)

	// Listing the right key as a previous key connects.
	_, err = e.openErr(config.Config{SecretKey: otherKey, PreviousSecretKeys: []string{testKey},
		Columns: []string{e.table + ".details"}})
	require.NoError(t, err)
}

// TestNoKey: without a secret, writes are stored as they are and reading a
// sealed value says the key is missing.
func TestNoKey(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "sealed")
	db := e.open(config.Config{Columns: []string{e.table + ".details"}})
	_, err := db.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "unencrypted")
	require.NoError(t, err)
	require.Equal(t, "unencrypted", string(e.rawDetails(2)))
	var s string
	require.ErrorIs(t, db.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = 1").Scan(&s), sqlseal.ErrNoKey)
	require.NoError(t, db.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = 2").Scan(&s))
	require.Equal(t, "unencrypted", s)
}

// TestJSONColumn: a JSON column cannot hold ciphertext (MariaDB's JSON is
// LONGTEXT with a json_valid CHECK constraint, MySQL's a type of its own):
// refused at connect, naming the column. So is an INT column.
func TestJSONColumn(t *testing.T) {
	e := newEnv(t, "")
	e.rawExec("CREATE TABLE `" + e.table + "` (id INT AUTO_INCREMENT PRIMARY KEY, details JSON)")
	_, err := e.openErr(e.config())
	require.ErrorIs(t, err, sqlseal.ErrColumnType)
	require.Contains(t, err.Error(), e.table+".details")

	n := e.name("num")
	e.rawExec("CREATE TABLE `" + n + "` (id INT PRIMARY KEY, details INT)")
	_, err = e.openErr(config.Config{SecretKey: testKey, Columns: []string{n + ".details"}})
	require.ErrorIs(t, err, sqlseal.ErrColumnType)
	require.Contains(t, err.Error(), n+".details")
}

// TestColumnTypeCheckedWhenTableAppears: a protected table created after
// the pool connected, with a type that cannot hold ciphertext, is refused
// on first use and nothing is written.
func TestColumnTypeCheckedWhenTableAppears(t *testing.T) {
	e := newEnv(t, "")
	e.exec("CREATE TABLE `" + e.table + "` (id INT AUTO_INCREMENT PRIMARY KEY, details DOUBLE)")
	_, err := e.sealed.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "1.5")
	require.ErrorIs(t, err, sqlseal.ErrColumnType)
	require.Zero(t, e.count(e.table))
}

// TestQuotingSQLModeRefused: sqlseal parses MySQL's default quoting, so a
// session that reads quotes or backslashes differently is refused at
// connect, and so is a statement that would switch to such a mode.
func TestQuotingSQLModeRefused(t *testing.T) {
	e := newEnv(t, "details TEXT")
	for _, mode := range []string{"ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "ANSI"} {
		mc, err := gomysql.ParseDSN(e.dsn)
		require.NoError(t, err)
		if mc.Params == nil {
			mc.Params = map[string]string{}
		}
		mc.Params["sql_mode"] = "'" + mode + "'"
		c, err := sealmysql.NewConnector(e.config(), mc)
		require.NoError(t, err)
		db := sql.OpenDB(c)
		err = db.Ping()
		db.Close()
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, mode)
	}
	_, err := e.sealed.Exec("SET SESSION sql_mode = 'ANSI_QUOTES'")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	_, err = e.sealed.Exec("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'")
	require.NoError(t, err)
}
