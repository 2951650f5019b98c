package mysql_test

import (
	"database/sql"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/driver/mysql"
	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// MySQL's own write shapes (INSERT ... SET, REPLACE, ON DUPLICATE KEY
// UPDATE with VALUES(col)) keep blind index terms, and a term added in the
// middle of the ? placeholders takes its argument at its place: every
// other column gets the value the application bound to it. Both with
// prepared statements and with interpolateParams.
func TestBlindIndexMySQLShapes(t *testing.T) {
	for _, interpolate := range []bool{false, true} {
		e := newEnv(t, "name VARCHAR(100), note VARCHAR(100), details TEXT, details_bidx VARBINARY(33) UNIQUE")
		cfg := e.Config()
		cfg.BlindIndexes = []string{e.Table + ".details"}
		mc, err := gomysql.ParseDSN(e.B.DSN)
		require.NoError(t, err)
		mc.InterpolateParams = interpolate
		conn, err := mysql.NewConnector(cfg, mc)
		db, err := conformance.OpenPool(t, conn, err)
		require.NoError(t, err)
		k, err := codec.DeriveKey(conformance.Key)
		require.NoError(t, err)
		x, err := codec.NewSecretIndexKey(k)
		require.NoError(t, err)
		tb := "`" + e.Table + "`"
		requireRow := func(id int64, details, name, note string) {
			t.Helper()
			e.RequireSealed(id, details)
			require.Equal(t, x.Term([]byte(details), keytable.Label(e.Table, "details")), e.RawValue(e.Table, "details_bidx", id))
			require.Equal(t, name, e.RawString(e.Table, "name", id))
			require.Equal(t, note, e.RawString(e.Table, "note", id))
		}
		exec := func(q string, args ...any) {
			t.Helper()
			_, err := db.Exec(q, args...)
			require.NoError(t, err, q)
		}

		exec("INSERT INTO "+tb+" SET name = ?, details = ?, note = ?", "n1", "tok-1", "o1")
		requireRow(1, "tok-1", "n1", "o1")
		exec("INSERT INTO "+tb+" (details, name, note) VALUES (?, ?, ?), (?, ?, 'o3')", "tok-2", "n2", "o2", "tok-3", "n3")
		requireRow(2, "tok-2", "n2", "o2")
		requireRow(3, "tok-3", "n3", "o3")
		exec("REPLACE INTO "+tb+" (id, details, name, note) VALUES (?, ?, ?, ?)", 3, "tok-3r", "n3r", "o3r")
		requireRow(3, "tok-3r", "n3r", "o3r")
		exec("INSERT INTO "+tb+" (id, details, name) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details), note = ?", 1, "tok-1u", "ignored", "o1u")
		requireRow(1, "tok-1u", "n1", "o1u")
		exec("UPDATE "+tb+" SET details = ?, name = ? WHERE note = ?", "tok-2u", "n2u", "o2")
		requireRow(2, "tok-2u", "n2u", "o2")
		exec("UPDATE "+tb+" SET details = 'tok-lit' WHERE id = ?", 2)
		requireRow(2, "tok-lit", "n2u", "o2")

		var id int64
		require.NoError(t, db.QueryRow("SELECT id FROM "+tb+" WHERE details = ? AND name = ?", "tok-3r", "n3r").Scan(&id))
		require.Equal(t, int64(3), id)
		require.NoError(t, db.QueryRow("SELECT id FROM "+tb+" WHERE ? = details AND note = 'o1u'", "tok-1u").Scan(&id))
		require.Equal(t, int64(1), id)
		var n int
		require.NoError(t, db.QueryRow("SELECT count(*) FROM "+tb+" WHERE details IN ('tok-lit', ?) AND id > ?", "tok-1u", 0).Scan(&n))
		require.Equal(t, 2, n)
		err = db.QueryRow("SELECT id FROM "+tb+" WHERE details = ?", "tok-1").Scan(&id)
		require.ErrorIs(t, err, sql.ErrNoRows)
	}
}
