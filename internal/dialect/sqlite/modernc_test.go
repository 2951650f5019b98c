package sqlite

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"modernc.org/libc"
	_ "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	. "github.com/sqlseal/sqlseal/internal/dialect/dialecttest"
	"github.com/sqlseal/sqlseal/internal/query"
)

// These tests check the front-end against the SQLite that
// modernc.org/sqlite embeds: that SQLite reads the text as the front-end
// says. Which argument the driver binds to each parameter is checked with
// the binder, in internal/backend/sqlite.

func openMemory(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestDoubleQuotedStringInValues(t *testing.T) {
	db := openMemory(t)
	const insert = `INSERT INTO t (a) VALUES ("a"), ("it's")`
	_, err := db.Exec(`CREATE TABLE t (a TEXT)`)
	require.NoError(t, err)
	_, err = db.Exec(insert)
	require.NoError(t, err)
	var got []string
	rows, err := db.Query(`SELECT a FROM t ORDER BY rowid`)
	require.NoError(t, err)
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		got = append(got, s)
	}
	require.NoError(t, rows.Err())
	// SQLite read "a" as a string, not as the column a.
	require.Equal(t, []string{"a", "it's"}, got)

	stmts, err := Parser{}.Parse(insert)
	require.NoError(t, err)
	rowsIR := stmts[0].(*query.Insert).Rows
	require.Equal(t, StrLit(insert, `"a"`, "a"), rowsIR[0][0])
	require.Equal(t, StrLit(insert, `"it's"`, "it's"), rowsIR[1][0])
}

func TestStringsAsNames(t *testing.T) {
	db := openMemory(t)
	_, err := db.Exec(`CREATE TABLE t (id INTEGER, a TEXT)`)
	require.NoError(t, err)
	for _, q := range []string{
		`INSERT INTO 't' ('id', 'a') VALUES (1, 'x')`,
		`UPDATE 't' SET 'a' = 'y' WHERE 't'.'id' = 1`,
	} {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
	var a string
	require.NoError(t, db.QueryRow(`SELECT a FROM t`).Scan(&a))
	require.Equal(t, "y", a)

	stmts, err := Parser{}.Parse(`UPDATE 't' SET 'a' = 'y' WHERE 't'.'id' = 1`)
	require.NoError(t, err)
	up := stmts[0].(*query.Update)
	require.Equal(t, query.Table{Name: "t"}, up.Table)
	require.Equal(t, "a", up.Set[0].Column)
	require.Equal(t, StrLit(`UPDATE 't' SET 'a' = 'y' WHERE 't'.'id' = 1`, `'y'`, "y"), up.Set[0].Value)
}

func TestKeywordsMatchSQLite(t *testing.T) {
	tls := libc.NewTLS()
	defer tls.Close()
	pz := libc.Xmalloc(tls, 8)
	pn := libc.Xmalloc(tls, 8)
	defer libc.Xfree(tls, pz)
	defer libc.Xfree(tls, pn)
	n := int(sqlite3.Xsqlite3_keyword_count(tls))
	want := map[string]bool{}
	for i := 0; i < n; i++ {
		require.Equal(t, int32(sqlite3.SQLITE_OK), sqlite3.Xsqlite3_keyword_name(tls, int32(i), pz, pn))
		p := readPointer(pz)
		l := int(binary.NativeEndian.Uint32(libc.GoBytes(pn, 4)))
		want[string(libc.GoBytes(p, l))] = true
	}
	require.Equal(t, want, keywords, fmt.Sprintf("SQLite has %d keywords", n))
}

// readPointer reads the C pointer stored at p.
func readPointer(p uintptr) uintptr {
	if strconv.IntSize == 32 {
		return uintptr(binary.NativeEndian.Uint32(libc.GoBytes(p, 4)))
	}
	return uintptr(binary.NativeEndian.Uint64(libc.GoBytes(p, 8)))
}
