package mysql_test

import (
	"fmt"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestMultiTableUpdate: an UPDATE that joins another table and sets the
// protected column must seal the value or refuse; it must never store
// plaintext.
func TestMultiTableUpdate(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	other := e.Name("other")
	e.RawExec("CREATE TABLE `" + other + "` (id INT PRIMARY KEY, label VARCHAR(100), details TEXT)")
	e.RawExec("INSERT INTO `"+other+"` (id, label, details) VALUES (1, 'x', ?)", "other-plain")
	e.Exec("INSERT INTO `"+e.Table+"` (name, details) VALUES (?, ?)", "x", "before")

	shapes := []struct {
		sql  string
		args []any
		want string
	}{
		{"UPDATE `" + e.Table + "` a JOIN `" + other + "` b ON a.name = b.label SET a.details = ? WHERE b.id = ?", []any{"joined-1", 1}, "joined-1"},
		{"UPDATE `" + e.Table + "` AS a, `" + other + "` AS b SET a.details = ? WHERE a.name = b.label", []any{"joined-2"}, "joined-2"},
		{"UPDATE `" + e.Table + "` a JOIN `" + other + "` b ON a.name = b.label SET a.details = 'joined literal', b.label = b.label", nil, "joined literal"},
	}
	for _, s := range shapes {
		_, err := e.Sealed.Exec(s.sql, s.args...)
		if err != nil {
			require.ErrorIs(t, err, sqlseal.ErrRefused, s.sql)
			require.Contains(t, err.Error(), e.Table+".details")
			continue
		}
		e.RequireSealed(1, s.want)
		require.Equal(t, s.want, e.ReadDetails(1), s.sql)
	}
	// The other table's details column is not protected: never sealed.
	require.Equal(t, "other-plain", e.RawString(other, "details", 1))
	_, err := e.Sealed.Exec("UPDATE `"+e.Table+"` a JOIN `"+other+"` b ON a.name = b.label SET b.details = ?", "other-2")
	require.NoError(t, err)
	require.Equal(t, "other-2", e.RawString(other, "details", 1))
}

// TestMultiTableUpdateUnqualifiedColumn: in a multi-table UPDATE the
// unqualified SET column details belongs to the protected table even when
// that table is not the first one listed.
func TestMultiTableUpdateUnqualifiedColumn(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	third := e.Name("third")
	e.RawExec("CREATE TABLE `" + third + "` (id INT PRIMARY KEY, label VARCHAR(100))")
	e.RawExec("INSERT INTO `" + third + "` (id, label) VALUES (1, 'x')")
	e.Exec("INSERT INTO `"+e.Table+"` (name, details) VALUES (?, ?)", "x", "before")
	for i, q := range []string{
		"UPDATE `" + third + "` c JOIN `" + e.Table + "` a ON a.name = c.label SET c.label = 'x', details = ?",
		"UPDATE `" + third + "` c, `" + e.Table + "` a SET details = ? WHERE a.name = c.label",
		"UPDATE `" + third + "` c, (SELECT 1) d, `" + e.Table + "` SET details = ?",
	} {
		want := fmt.Sprintf("joined-%d", i)
		_, err := e.Sealed.Exec(q, want)
		if err != nil {
			require.ErrorIs(t, err, sqlseal.ErrRefused, q)
			require.Contains(t, err.Error(), e.Table+".details")
			continue
		}
		e.RequireSealed(1, want)
	}
}

// TestInterpolateParams: with interpolateParams=true go-sql-driver/mysql
// sends arguments inside the SQL text instead of preparing; they are
// sealed all the same.
func TestInterpolateParams(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	db, err := openWith(e, func(c *gomysql.Config) { c.InterpolateParams = true })
	require.NoError(t, err)
	_, err = db.Exec("INSERT INTO `"+e.Table+"` (name, details) VALUES (?, ?)", "n", conformance.Details)
	require.NoError(t, err)
	e.RequireSealed(1, conformance.Details)
	require.Equal(t, conformance.Details, e.ReadDetailsWith(db, 1))
}

// TestMultiStatements: with multiStatements=true (arguments need
// interpolateParams=true) the ? of every statement count from the start of
// the text; each value written to details is sealed and a refused
// statement anywhere in the text stops the whole text.
func TestMultiStatements(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	db, err := openWith(e, func(c *gomysql.Config) { c.MultiStatements, c.InterpolateParams = true, true })
	require.NoError(t, err)
	_, err = db.Exec("INSERT INTO `"+e.Table+"` (name) VALUES (?); INSERT INTO `"+e.Table+"` (details) VALUES (?)", "plain name", "second")
	require.NoError(t, err)
	require.Equal(t, "plain name", e.RawString(e.Table, "name", 1))
	require.Nil(t, e.RawDetails(1))
	e.RequireSealed(2, "second")

	_, err = db.Exec("INSERT INTO `"+e.Table+"` (details) VALUES (?); UPDATE `"+e.Table+"` SET details = UPPER(?)", "a", "b")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 2, e.Count(e.Table))
	e.RequireSealed(2, "second")
}
