package mysql_test

import (
	"github.com/sqlseal/sqlseal"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// requireMariaDB skips a test of MariaDB-only syntax on another server.
func requireMariaDB(e *env) {
	e.t.Helper()
	var version string
	require.NoError(e.t, e.raw.QueryRow("SELECT VERSION()").Scan(&version))
	if !strings.Contains(version, "MariaDB") {
		e.t.Skip("MariaDB syntax; server is " + version)
	}
}

// TestInsertReturningSealsAndOpens: INSERT ... RETURNING id, details
// through sqlseal stores ciphertext that opens to the plaintext and
// returns the plaintext.
func TestInsertReturningSealsAndOpens(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	requireMariaDB(e)

	var id int
	var name, back string
	require.NoError(t, e.sealed.QueryRow("INSERT INTO `"+e.table+"` (`name`,`details`) VALUES (?,?) RETURNING id, name, details",
		"a", secretJSON).Scan(&id, &name, &back))
	require.Equal(t, "a", name)
	require.Equal(t, secretJSON, back)
	e.requireSealed(id, secretJSON)
	require.Equal(t, "a", string(e.rawValue(e.table, "name", id)))

	// GORM's Create on MariaDB: RETURNING `id` only.
	var id2 int
	require.NoError(t, e.sealed.QueryRow("INSERT INTO `"+e.table+"` (`name`,`details`) VALUES (?,?) RETURNING `id`",
		"b", "second").Scan(&id2))
	require.Equal(t, id+1, id2)
	e.requireSealed(id2, "second")

	// A literal before the clause is sealed in place; * and an alias are
	// opened.
	var sid int
	var sname, sdetails, aliased string
	require.NoError(t, e.sealed.QueryRow("INSERT INTO `"+e.table+"` (name, details) VALUES ('c', '"+secretJSON+"') RETURNING *").
		Scan(&sid, &sname, &sdetails))
	require.Equal(t, "c", sname)
	require.Equal(t, secretJSON, sdetails)
	e.requireSealed(sid, secretJSON)
	require.NoError(t, e.sealed.QueryRow("SELECT details AS d FROM `"+e.table+"` WHERE id = ?", sid).Scan(&aliased))
	require.Equal(t, secretJSON, aliased)

	// Upsert with RETURNING, through a prepared statement.
	stmt, err := e.sealed.Prepare("INSERT INTO `" + e.table + "` (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details) RETURNING details AS d, id")
	require.NoError(t, err)
	defer stmt.Close()
	var upid int
	require.NoError(t, stmt.QueryRow(id, "upserted").Scan(&back, &upid))
	require.Equal(t, "upserted", back)
	require.Equal(t, id, upid)
	e.requireSealed(id, "upserted")

	// DELETE ... RETURNING opens what it returns.
	rows, err := e.sealed.Query("DELETE FROM `"+e.table+"` WHERE id IN (?, ?) RETURNING id, details", id, id2)
	require.NoError(t, err)
	got := map[int]string{}
	for rows.Next() {
		var rid int
		var d string
		require.NoError(t, rows.Scan(&rid, &d))
		got[rid] = d
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, map[int]string{id: "upserted", id2: "second"}, got)
}

// TestReturningRefusals: what sqlseal does not model in a RETURNING
// clause on a protected table is refused and nothing reaches the server.
func TestReturningRefusals(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	requireMariaDB(e)
	for q, args := range map[string][]any{
		"INSERT INTO `" + e.table + "` (name, details) VALUES (?, ?) RETURNING id = ?":    {"a", secretJSON, 1},
		"INSERT INTO `" + e.table + "` (name, details) VALUES (?, ?) /*! RETURNING id */": {"a", secretJSON},
	} {
		_, err := e.sealed.Exec(q, args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	require.Zero(t, e.count(e.table))
}
