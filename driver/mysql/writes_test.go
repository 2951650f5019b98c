package mysql_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"github.com/sqlseal/sqlseal"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExecSealsParameters(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	res, err := e.sealed.Exec("INSERT INTO `"+e.table+"` (`name`, `details`) VALUES (?, ?)", "a", secretJSON)
	require.NoError(t, err)
	id, err := res.LastInsertId()
	require.NoError(t, err)
	require.EqualValues(t, 1, id)
	e.requireSealed(1, secretJSON)
	require.Equal(t, secretJSON, e.readDetails(1))
	// The unprotected column is stored as written.
	require.Equal(t, "a", string(e.rawValue(e.table, "name", 1)))
}

// TestShapes runs each MySQL statement shape that writes details and
// checks the row it wrote, at rest and through sqlseal.
func TestShapes(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	tb := e.table
	steps := []struct {
		sql  string
		args []any
		id   int
		want string
	}{
		{"INSERT INTO `" + tb + "` (`name`, `details`) VALUES (?, ?), (?, ?)", []any{"a", "one", "b", "two"}, 2, "two"},
		{"INSERT INTO test.`" + tb + "` (details) VALUES (?)", []any{"three"}, 3, "three"},
		{"INSERT INTO " + tb + " SET name = ?, details = ?", []any{"d", "four"}, 4, "four"},
		{"UPDATE `" + tb + "` SET details = ? WHERE id = ?", []any{"one-b", 1}, 1, "one-b"},
		{"UPDATE " + tb + " SET name = ?, details = ? WHERE id = ? LIMIT 1", []any{"n", "two-b", 2}, 2, "two-b"},
		{"INSERT INTO " + tb + " (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details)", []any{3, "three-b"}, 3, "three-b"},
		{"INSERT INTO " + tb + " (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = ?", []any{3, "unused", "three-c"}, 3, "three-c"},
		{"INSERT INTO " + tb + " (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details)", []any{5, "five"}, 5, "five"},
		{"REPLACE INTO " + tb + " (id, name, details) VALUES (?, ?, ?)", []any{4, "r", "four-b"}, 4, "four-b"},
		{"REPLACE " + tb + " SET id = ?, details = ?", []any{6, "six"}, 6, "six"},
		{"INSERT INTO " + tb + " (id, name, details) VALUES (10, 'lit', '{\"literal\":true}')", nil, 10, `{"literal":true}`},
		{"INSERT INTO " + tb + " (id, name, details) VALUES (11, \"dq\", \"double quoted\")", nil, 11, "double quoted"},
		{"INSERT INTO " + tb + " (id, details) VALUES (12, _utf8mb4'introduced')", nil, 12, "introduced"},
		{"INSERT INTO " + tb + " (id, details) VALUES (13, 'it''s ' 'adjacent')", nil, 13, "it's adjacent"},
		{"UPDATE " + tb + " SET details = 'updated literal' WHERE id = 10", nil, 10, "updated literal"},
		{"INSERT INTO " + tb + " (id, details) SELECT 14, details FROM " + tb + " WHERE id = 13", nil, 14, "it's adjacent"},
		{"insert into " + tb + " (ID, Details) values (?, ?)", []any{15, "upper-case names"}, 15, "upper-case names"},
		{"INSERT INTO " + tb + " /* ? */ (name, details) -- ?\nVALUES ('what?', ?) # ?", []any{"question marks"}, 16, "question marks"},
		{"INSERT INTO " + tb + " (name, details) VALUES (\"?\", ?)", []any{"dq question mark"}, 17, "dq question mark"},
		{"INSERT INTO " + tb + " (name, details) VALUES ('it\\'s ?', ?)", []any{"escaped quote"}, 18, "escaped quote"},
	}
	for _, s := range steps {
		_, err := e.sealed.Exec(s.sql, s.args...)
		require.NoError(t, err, s.sql)
		e.requireSealed(s.id, s.want)
		require.Equal(t, s.want, e.readDetails(s.id), s.sql)
	}
}

// TestMultiTableUpdate: an UPDATE that joins another table and sets the
// protected column must seal the value or refuse; it must never store
// plaintext.
func TestMultiTableUpdate(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	other := e.name("other")
	e.rawExec("CREATE TABLE `" + other + "` (id INT PRIMARY KEY, label VARCHAR(100), details TEXT)")
	e.rawExec("INSERT INTO `"+other+"` (id, label, details) VALUES (1, 'x', ?)", "other-plain")
	e.exec("INSERT INTO `"+e.table+"` (name, details) VALUES (?, ?)", "x", "before")

	shapes := []struct {
		sql  string
		args []any
		want string
	}{
		{"UPDATE `" + e.table + "` a JOIN `" + other + "` b ON a.name = b.label SET a.details = ? WHERE b.id = ?", []any{"joined-1", 1}, "joined-1"},
		{"UPDATE `" + e.table + "` AS a, `" + other + "` AS b SET a.details = ? WHERE a.name = b.label", []any{"joined-2"}, "joined-2"},
		{"UPDATE `" + e.table + "` a JOIN `" + other + "` b ON a.name = b.label SET a.details = 'joined literal', b.label = b.label", nil, "joined literal"},
	}
	for _, s := range shapes {
		_, err := e.sealed.Exec(s.sql, s.args...)
		if err != nil {
			require.ErrorIs(t, err, sqlseal.ErrRefused, s.sql)
			require.Contains(t, err.Error(), e.table+".details")
			continue
		}
		e.requireSealed(1, s.want)
		require.Equal(t, s.want, e.readDetails(1), s.sql)
	}
	// The other table's details column is not protected: never sealed.
	require.Equal(t, "other-plain", string(e.rawValue(other, "details", 1)))
	_, err := e.sealed.Exec("UPDATE `"+e.table+"` a JOIN `"+other+"` b ON a.name = b.label SET b.details = ?", "other-2")
	require.NoError(t, err)
	require.Equal(t, "other-2", string(e.rawValue(other, "details", 1)))
}

// TestMultiTableUpdateUnqualifiedColumn: in a multi-table UPDATE the
// unqualified SET column details belongs to the protected table even when
// that table is not the first one listed.
func TestMultiTableUpdateUnqualifiedColumn(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	third := e.name("third")
	e.rawExec("CREATE TABLE `" + third + "` (id INT PRIMARY KEY, label VARCHAR(100))")
	e.rawExec("INSERT INTO `" + third + "` (id, label) VALUES (1, 'x')")
	e.exec("INSERT INTO `"+e.table+"` (name, details) VALUES (?, ?)", "x", "before")
	for i, q := range []string{
		"UPDATE `" + third + "` c JOIN `" + e.table + "` a ON a.name = c.label SET c.label = 'x', details = ?",
		"UPDATE `" + third + "` c, `" + e.table + "` a SET details = ? WHERE a.name = c.label",
		"UPDATE `" + third + "` c, (SELECT 1) d, `" + e.table + "` SET details = ?",
	} {
		want := fmt.Sprintf("joined-%d", i)
		_, err := e.sealed.Exec(q, want)
		if err != nil {
			require.ErrorIs(t, err, sqlseal.ErrRefused, q)
			require.Contains(t, err.Error(), e.table+".details")
			continue
		}
		e.requireSealed(1, want)
	}
}

// TestInsertWithoutColumnList: VALUES without a column list writes
// details by position; it is sealed or refused, never plaintext.
func TestInsertWithoutColumnList(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	_, err := e.sealed.Exec("INSERT INTO `"+e.table+"` VALUES (?, ?, ?)", 1, "n", "positional")
	if err != nil {
		require.ErrorIs(t, err, sqlseal.ErrRefused)
		require.Zero(t, e.count(e.table), "a refused statement reached the server")
		return
	}
	e.requireSealed(1, "positional")
	require.Equal(t, "positional", e.readDetails(1))
}

func TestColumnTypes(t *testing.T) {
	for _, typ := range []string{"TEXT", "VARCHAR(1000)", "LONGTEXT", "MEDIUMTEXT", "BLOB", "VARBINARY(1000)", "LONGBLOB"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "details "+typ)
			e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", secretJSON)
			e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", []byte(secretJSON))
			e.exec("INSERT INTO `" + e.table + "` (details) VALUES ('literal value')")
			e.exec("INSERT INTO `" + e.table + "` (details) VALUES (X'6865782076616c7565')") // "hex value"
			for id, want := range []string{secretJSON, secretJSON, "literal value", "hex value"} {
				e.requireSealed(id+1, want)
				require.Equal(t, want, e.readDetails(id+1))
			}
			if e.binary {
				// iv, the padded plaintext, and the tag.
				require.Len(t, e.rawDetails(1), 16+(len(secretJSON)/16+1)*16+32)
			}
			var b []byte
			require.NoError(t, e.sealed.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = 1").Scan(&b))
			require.Equal(t, secretJSON, string(b))
		})
	}
}

type valuer struct{ s string }

func (v valuer) Value() (driver.Value, error) { return v.s, nil }

type nullValuer struct{}

func (nullValuer) Value() (driver.Value, error) { return nil, nil }

func TestValueTypes(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "details "+typ)
			str := "pointer"
			var nilStr *string
			values := []struct {
				v    any
				want *string
			}{
				{"string", ptr("string")},
				{[]byte("bytes"), ptr("bytes")},
				{&str, ptr("pointer")},
				{nil, nil},
				{nilStr, nil},
				{sql.NullString{String: "ns", Valid: true}, ptr("ns")},
				{sql.NullString{}, nil},
				{json.RawMessage(`{"raw":1}`), ptr(`{"raw":1}`)},
				{valuer{"valuer"}, ptr("valuer")},
				{nullValuer{}, nil},
			}
			for i, v := range values {
				_, err := e.sealed.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", v.v)
				require.NoError(t, err, "%T", v.v)
				if v.want == nil {
					require.Nil(t, e.rawDetails(i+1), "%T stays NULL", v.v)
					var ns sql.NullString
					require.NoError(t, e.sealed.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = ?", i+1).Scan(&ns))
					require.False(t, ns.Valid)
					continue
				}
				e.requireSealed(i+1, *v.want)
				require.Equal(t, *v.want, e.readDetails(i+1))
			}
			for _, bad := range []any{987654321, 9876.54321, true} {
				_, err := e.sealed.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", bad)
				require.ErrorIs(t, err, sqlseal.ErrUnsupportedValue, "%T", bad)
				require.Contains(t, err.Error(), e.table+".details")
				require.NotContains(t, err.Error(), fmt.Sprint(bad))
			}
			require.Equal(t, len(values), e.count(e.table), "a refused value reached the server")
		})
	}
}

func ptr(s string) *string { return &s }

// TestTableCreatedLater: the configured table does not exist when the
// pool connects; it is created through sqlseal, then written.
func TestTableCreatedLater(t *testing.T) {
	for _, typ := range []string{"TEXT", "VARBINARY(1000)"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "")
			e.exec("CREATE TABLE `" + e.table + "` (id INT AUTO_INCREMENT PRIMARY KEY, details " + typ + ")")
			e.binary = isBinaryDDL("details " + typ)
			e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", secretJSON)
			e.requireSealed(1, secretJSON)
			require.Equal(t, secretJSON, e.readDetails(1))
		})
	}
}

func TestPreparedAndTransactions(t *testing.T) {
	e := newEnv(t, "details TEXT")
	tx, err := e.sealed.Begin()
	require.NoError(t, err)
	stmt, err := tx.Prepare("INSERT INTO `" + e.table + "` (details) VALUES (?)")
	require.NoError(t, err)
	for _, v := range []string{"p1", "p2"} {
		_, err = stmt.Exec(v)
		require.NoError(t, err)
	}
	require.NoError(t, stmt.Close())
	_, err = tx.Exec("UPDATE `"+e.table+"` SET details = ? WHERE id = ?", "p2-tx", 2)
	require.NoError(t, err)
	var s string
	require.NoError(t, tx.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = ?", 2).Scan(&s))
	require.Equal(t, "p2-tx", s)
	require.NoError(t, tx.Commit())
	e.requireSealed(1, "p1")
	e.requireSealed(2, "p2-tx")

	// A rolled back write leaves nothing.
	tx, err = e.sealed.Begin()
	require.NoError(t, err)
	_, err = tx.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "rolled back")
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	require.Equal(t, 2, e.count(e.table))

	sel, err := e.sealed.Prepare("SELECT details FROM `" + e.table + "` WHERE id = ?")
	require.NoError(t, err)
	defer sel.Close()
	for id, want := range []string{"p1", "p2-tx"} {
		require.NoError(t, sel.QueryRow(id+1).Scan(&s))
		require.Equal(t, want, s)
	}
}

// TestInterpolateParams: with interpolateParams=true go-sql-driver/mysql
// sends arguments inside the SQL text instead of preparing; they are
// sealed all the same.
func TestInterpolateParams(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	if strings.Contains(e.dsn, "?") {
		e.dsn += "&interpolateParams=true"
	} else {
		e.dsn += "?interpolateParams=true"
	}
	db := e.open(e.config())
	_, err := db.Exec("INSERT INTO `"+e.table+"` (name, details) VALUES (?, ?)", "n", secretJSON)
	require.NoError(t, err)
	e.requireSealed(1, secretJSON)
	var s string
	require.NoError(t, db.QueryRow("SELECT details FROM `"+e.table+"` WHERE id = ?", 1).Scan(&s))
	require.Equal(t, secretJSON, s)
}

// TestReturning: MariaDB's INSERT, REPLACE and DELETE ... RETURNING seal
// what they write and open what they return.
func TestReturning(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	requireMariaDB(e)
	// Exec discards the returned rows; the value is sealed all the same.
	_, err := e.sealed.Exec("INSERT INTO `"+e.table+"` (name, details) VALUES (?, ?) RETURNING id", "a", secretJSON)
	require.NoError(t, err)
	e.requireSealed(1, secretJSON)
	var id int
	var back string
	require.NoError(t, e.sealed.QueryRow("INSERT INTO `"+e.table+"` (name, details) VALUES (?, ?) RETURNING id, details", "b", secretJSON).Scan(&id, &back))
	require.Equal(t, secretJSON, back)
	e.requireSealed(id, secretJSON)
	require.NoError(t, e.sealed.QueryRow("REPLACE INTO `"+e.table+"` (id, details) VALUES (?, ?) RETURNING details", id, "replaced").Scan(&back))
	require.Equal(t, "replaced", back)
	e.requireSealed(id, "replaced")
	require.NoError(t, e.sealed.QueryRow("DELETE FROM `"+e.table+"` WHERE id = ? RETURNING details", id).Scan(&back))
	require.Equal(t, "replaced", back)
}

// TestMultiStatements: with multiStatements=true (arguments need
// interpolateParams=true) the ? of every statement count from the start of
// the text; each value written to details is sealed and a refused
// statement anywhere in the text stops the whole text.
func TestMultiStatements(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	sep := "?"
	if strings.Contains(e.dsn, "?") {
		sep = "&"
	}
	e.dsn += sep + "multiStatements=true&interpolateParams=true"
	db := e.open(e.config())
	_, err := db.Exec("INSERT INTO `"+e.table+"` (name) VALUES (?); INSERT INTO `"+e.table+"` (details) VALUES (?)", "plain name", "second")
	require.NoError(t, err)
	require.Equal(t, "plain name", string(e.rawValue(e.table, "name", 1)))
	require.Nil(t, e.rawDetails(1))
	e.requireSealed(2, "second")

	_, err = db.Exec("INSERT INTO `"+e.table+"` (details) VALUES (?); UPDATE `"+e.table+"` SET details = UPPER(?)", "a", "b")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 2, e.count(e.table))
	e.requireSealed(2, "second")
}
