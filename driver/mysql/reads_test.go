package mysql_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"
)

// readsEnv holds two sealed rows and, in the unprotected column note, a
// valid ciphertext of "stolen" that must never be opened. A second table
// joins on conn_id and also has an unprotected details column holding a
// valid ciphertext.
func readsEnv(t *testing.T) (*env, string) {
	e := newEnv(t, "name VARCHAR(100), note TEXT, details TEXT")
	stolen := sealText(t, testKey, "stolen")
	e.exec("INSERT INTO `"+e.table+"` (name, note, details) VALUES (?, ?, ?), (?, ?, ?)",
		"one", stolen, "first secret", "two", stolen, "second secret")
	other := e.name("other")
	e.rawExec("CREATE TABLE `" + other + "` (id INT PRIMARY KEY, conn_id INT, details TEXT)")
	e.rawExec("INSERT INTO `"+other+"` VALUES (1, 1, ?), (2, 2, ?)", stolen, stolen)
	return e, other
}

func TestReads(t *testing.T) {
	e, other := readsEnv(t)
	tb := e.table
	stolen := string(e.rawValue(tb, "note", 1))
	queries := []struct {
		sql  string
		args []any
		want []any // per column: a string to compare, or stolenMark
	}{
		{"SELECT details FROM " + tb + " WHERE id = ?", []any{1}, []any{"first secret"}},
		{"SELECT `details` AS d, name AS `n` FROM `" + tb + "` WHERE id = ?", []any{1}, []any{"first secret", "one"}},
		{"SELECT details d FROM " + tb + " WHERE name = 'two'", nil, []any{"second secret"}},
		{"SELECT c.details, c.note FROM " + tb + " AS c WHERE c.id = ?", []any{2}, []any{"second secret", stolenMark}},
		{"SELECT test." + tb + ".details FROM test." + tb + " WHERE id = 1", nil, []any{"first secret"}},
		{"SELECT * FROM " + tb + " WHERE id = ?", []any{1}, []any{"1", "one", stolenMark, "first secret"}},
		{"SELECT c.*, o.details FROM " + tb + " c JOIN " + other + " o ON o.conn_id = c.id WHERE c.id = ?", []any{2},
			[]any{"2", "two", stolenMark, "second secret", stolenMark}},
		{"SELECT o.details, c.details FROM " + other + " o LEFT JOIN " + tb + " c ON c.id = o.conn_id WHERE o.id = ?", []any{1},
			[]any{stolenMark, "first secret"}},
		{"SELECT o.*, c.* FROM " + other + " o, " + tb + " c WHERE c.id = o.conn_id AND o.id = 2", nil,
			[]any{"2", "2", stolenMark, "2", "two", stolenMark, "second secret"}},
		{"SELECT x.secret FROM (SELECT details AS secret FROM " + tb + " WHERE id = 1) x", nil, []any{"first secret"}},
		{"WITH w AS (SELECT id, details FROM " + tb + ") SELECT details FROM w WHERE id = ?", []any{2}, []any{"second secret"}},
		{"SELECT details FROM " + tb + " WHERE id = 1 UNION ALL SELECT note FROM " + tb + " WHERE id = 1", nil, nil},
		{"SELECT note AS details FROM " + tb + " WHERE id = 1", nil, []any{stolenMark}},
	}
	for _, q := range queries {
		rows, err := e.sealed.Query(q.sql, q.args...)
		if q.want == nil {
			// A union of a protected and an unprotected column: refused, or
			// the unprotected value is not opened.
			if err == nil {
				var got []string
				for rows.Next() {
					var s string
					require.NoError(t, rows.Scan(&s))
					got = append(got, s)
				}
				require.NoError(t, rows.Err())
				require.NotContains(t, got, "stolen", q.sql)
			}
			continue
		}
		require.NoError(t, err, q.sql)
		require.True(t, rows.Next(), q.sql)
		got := make([]sql.NullString, len(q.want))
		dest := make([]any, len(q.want))
		for i := range got {
			dest[i] = &got[i]
		}
		require.NoError(t, rows.Scan(dest...), q.sql)
		require.False(t, rows.Next(), q.sql)
		require.NoError(t, rows.Close())
		for i, w := range q.want {
			if w == stolenMark {
				require.Equal(t, stolen, got[i].String, "%s: column %d of an unprotected column was opened", q.sql, i)
				continue
			}
			require.Equal(t, w, got[i].String, "%s: column %d", q.sql, i)
		}
	}
}

const stolenMark = "\x00stolen"

func TestReadsPreparedAndTransactions(t *testing.T) {
	e, _ := readsEnv(t)
	stmt, err := e.sealed.Prepare("SELECT id, note, details FROM `" + e.table + "` WHERE id = ?")
	require.NoError(t, err)
	defer stmt.Close()
	var (
		id         int
		note, det  string
		stolenNote = string(e.rawValue(e.table, "note", 1))
	)
	for i, want := range []string{"first secret", "second secret"} {
		require.NoError(t, stmt.QueryRow(i+1).Scan(&id, &note, &det))
		require.Equal(t, want, det)
		require.Equal(t, stolenNote, note)
	}

	tx, err := e.sealed.Begin()
	require.NoError(t, err)
	defer tx.Rollback()
	rows, err := tx.Query("SELECT details FROM `" + e.table + "` ORDER BY id")
	require.NoError(t, err)
	var got []string
	for rows.Next() {
		require.NoError(t, rows.Scan(&det))
		got = append(got, det)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{"first secret", "second secret"}, got)
	require.NoError(t, tx.Stmt(stmt).QueryRow(2).Scan(&id, &note, &det))
	require.Equal(t, "second secret", det)
}

// TestReadNullAndEmpty: NULL stays NULL and an empty string round-trips.
func TestReadNullAndEmpty(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?), (?)", nil, "")
	require.Nil(t, e.rawDetails(1))
	e.requireSealed(2, "")
	var ns sql.NullString
	require.NoError(t, e.sealed.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = 1").Scan(&ns))
	require.False(t, ns.Valid)
	require.NoError(t, e.sealed.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = 2").Scan(&ns))
	require.True(t, ns.Valid)
	require.Equal(t, "", ns.String)
}

// TestReadScalarSubquery: a scalar subquery in the select list returns a
// protected column; it is opened.
func TestReadScalarSubquery(t *testing.T) {
	e, _ := readsEnv(t)
	var s string
	require.NoError(t, e.sealed.QueryRow("SELECT (SELECT details FROM `"+e.table+"` WHERE id = 2) AS s").Scan(&s))
	require.Equal(t, "second secret", s)
}
