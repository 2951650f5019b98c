package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/testdb"
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
	db, err := conformance.OpenMySQL(e, func(c *gomysql.Config) { c.InterpolateParams = true })
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
	db, err := conformance.OpenMySQL(e, func(c *gomysql.Config) { c.MultiStatements, c.InterpolateParams = true, true })
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

// TestReplaceReturning: MariaDB's REPLACE ... RETURNING seals what it
// writes and opens what it returns. (INSERT and DELETE ... RETURNING are
// writes/returning of the conformance kit.)
func TestReplaceReturning(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	requireMariaDB(e)
	e.Exec("INSERT INTO `"+e.Table+"` (name, details) VALUES (?, ?)", "a", conformance.Details)
	var back string
	require.NoError(t, e.Sealed.QueryRow("REPLACE INTO `"+e.Table+"` (id, details) VALUES (?, ?) RETURNING details", 1, "replaced").Scan(&back))
	require.Equal(t, "replaced", back)
	e.RequireSealed(1, "replaced")
	require.NoError(t, e.Sealed.QueryRow("REPLACE `"+e.Table+"` SET id = ?, name = ?, details = ? RETURNING id, details AS d", 2, "b", "set form").Scan(new(int), &back))
	require.Equal(t, "set form", back)
	e.RequireSealed(2, "set form")
}

// TestReturningRefusals: what sqlseal does not model in a RETURNING
// clause on a protected table is refused and nothing reaches the server.
func TestReturningRefusals(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	requireMariaDB(e)
	for q, args := range map[string][]any{
		"INSERT INTO `" + e.Table + "` (name, details) VALUES (?, ?) RETURNING id = ?":    {"a", conformance.Details, 1},
		"INSERT INTO `" + e.Table + "` (name, details) VALUES (?, ?) /*! RETURNING id */": {"a", conformance.Details},
	} {
		_, err := e.Sealed.Exec(q, args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	require.Zero(t, e.Count(e.Table))
}

// These tests attack the driver the way outside testing did, with the
// classes of statement that are MySQL's and MariaDB's own (the others are
// in internal/conformance's attacks): each once stored plaintext in a
// protected column or opened an unprotected one. After every statement the
// driver lets through, the protected column is scanned with plain
// go-sql-driver/mysql.

// Class 1: go-sql-driver/mysql rejects named arguments, with and without
// interpolateParams; nothing is stored.
func TestAttackNamedArguments(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	interp, err := conformance.OpenMySQL(e, func(c *gomysql.Config) { c.InterpolateParams = true })
	require.NoError(t, err)
	ins := "INSERT INTO `" + e.Table + "` (name, details) VALUES (?, ?)"
	for _, db := range []*sql.DB{e.Sealed, interp} {
		_, err := db.Exec(ins, "a", sql.Named("details", "plain"))
		require.Error(t, err)
		_, err = db.Exec(ins, sql.Named("name", "a"), "plain")
		require.Error(t, err)
	}
	require.Zero(t, e.Count(e.Table))
}

// Class 3: session settings changed by other means than a plain SET: the
// combination modes, executable comments and SET statements the parser
// cannot read. The next statement fails and the connection is discarded.
func TestAttackSessionSettings(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	for _, q := range []string{
		"SET sql_mode = 'MSSQL'", "SET sql_mode = 'ORACLE'", "SET sql_mode = 'POSTGRESQL'",
		"SET sql_mode = 'DB2'", "SET sql_mode = 'MAXDB'", "SET SESSION sql_mode = 'ANSI'",
		"SET NAMES gbk", "SET character_set_client = sjis",
	} {
		_, err := e.Sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	ctx := context.Background()
	for _, change := range []string{
		"SET @a = 1 /*M!, sql_mode = 'NO_BACKSLASH_ESCAPES' */",
		"/*!100000 SET sql_mode = 'ANSI_QUOTES' */",
		"SET sql_mode = 'NO_BACKSLASH_ESCAPES', @a = CAST(1 AS INTEGER)",
		"SET @@sql_mode = CONCAT(@@sql_mode, ',ANSI')",
		"SET NAMES big5",
	} {
		conn, err := e.Sealed.Conn(ctx)
		require.NoError(t, err)
		_, err = conn.ExecContext(ctx, change)
		require.NoError(t, err, change)
		// Without backslash escapes the server would end the first string
		// at the backslash and store 'plain-exploit' in details; the parser
		// reads one string up to /*' and details = 'sealme'.
		_, err = conn.ExecContext(ctx, "INSERT INTO `"+e.Table+"` (name, details) VALUES ('a\\', /*', 'sealme') -- */ 'plain-exploit')")
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, change)
		_, err = conn.ExecContext(ctx, "SELECT 1")
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, "a broken session stays broken")
		require.NoError(t, conn.Close())
	}
	require.Zero(t, e.Count(e.Table))
	e.Exec("INSERT INTO `"+e.Table+"` (details) VALUES (?)", "after")
	e.RequireSealed(1, "after")
}

// Class 3, several statements in one text: MariaDB reads each statement
// only after the previous one ran.
func TestAttackSessionChangeInMultiStatementText(t *testing.T) {
	e := newEnv(t, "details TEXT")
	db, err := conformance.OpenMySQL(e, func(c *gomysql.Config) { c.MultiStatements = true })
	require.NoError(t, err)
	_, err = db.Exec("SET @x = 1; INSERT INTO `" + e.Table + "` (details) VALUES ('v')")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	_, err = db.Exec("SET @x = 1 /*!, sql_mode = 'NO_BACKSLASH_ESCAPES' */; INSERT INTO `" + e.Table + "` (details) VALUES ('v\\')")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Zero(t, e.Count(e.Table))
	// A change as the last statement is checked before the next text.
	_, err = db.Exec("INSERT INTO `" + e.Table + "` (details) VALUES ('v'); SET @x = 1")
	require.NoError(t, err)
	e.RequireAtRest()
}

// Class 4: in GBK, BIG5, SJIS and CP932 a backslash byte can be the second
// byte of a character; such sessions are refused at connect.
func TestAttackConnectionCharset(t *testing.T) {
	e := newEnv(t, "details TEXT")
	withCharset := func(cs string) func(*gomysql.Config) {
		return func(c *gomysql.Config) {
			dsn := c.FormatDSN()
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			withCS, err := gomysql.ParseDSN(dsn + sep + "charset=" + cs)
			require.NoError(t, err)
			*c = *withCS
		}
	}
	for _, cs := range []string{"gbk", "big5", "sjis", "cp932"} {
		_, err := conformance.OpenMySQL(e, withCharset(cs))
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, cs)
	}
	_, err := conformance.OpenMySQL(e, withCharset("latin1"))
	require.NoError(t, err)
}

// TestQuotingSQLModeRefused: sqlseal parses MySQL's default quoting, so a
// session that reads quotes or backslashes differently is refused at
// connect, and so is a statement that would switch to such a mode.
func TestQuotingSQLModeRefused(t *testing.T) {
	e := newEnv(t, "details TEXT")
	for _, mode := range []string{"ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "ANSI"} {
		_, err := conformance.OpenMySQL(e, func(c *gomysql.Config) {
			if c.Params == nil {
				c.Params = map[string]string{}
			}
			c.Params["sql_mode"] = "'" + mode + "'"
		})
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, mode)
	}
	_, err := e.Sealed.Exec("SET SESSION sql_mode = 'ANSI_QUOTES'")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	_, err = e.Sealed.Exec("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'")
	require.NoError(t, err)
}

// Class 7 on MySQL: with the protected column configured with its
// database, a statement that names the table without it is not opened
// after USE made another database the current one, prepared before or
// not.
func TestAttackAfterUse(t *testing.T) {
	e := newEnv(t, "details TEXT")
	evil := testdb.Name(t, "evil")
	e.RawExec("CREATE DATABASE `" + evil + "`")
	t.Cleanup(func() { e.Raw.Exec("DROP DATABASE IF EXISTS `" + evil + "`") })
	e.RawExec("CREATE TABLE `" + evil + "`.`" + e.Table + "` (id INT, details TEXT)")
	e.RawExec("INSERT INTO `"+evil+"`.`"+e.Table+"` VALUES (1, ?)", conformance.Planted(t))
	e.RawExec("INSERT INTO `"+e.Table+"` (id, details) VALUES (1, ?)", conformance.SealText(t, conformance.Key, "real"))

	db := e.Open(e.ConfigFor(e.B.Schema + "." + e.Table + ".details"))
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	sel := "SELECT details FROM `" + e.Table + "` WHERE id = ?"
	stmt, err := conn.PrepareContext(ctx, sel)
	require.NoError(t, err)
	defer stmt.Close()
	var got string
	require.NoError(t, stmt.QueryRowContext(ctx, 1).Scan(&got))
	require.Equal(t, "real", got)

	_, err = conn.ExecContext(ctx, "USE `"+evil+"`")
	require.NoError(t, err)
	require.NoError(t, stmt.QueryRowContext(ctx, 1).Scan(&got))
	conformance.RequireNotOpened(t, got)
	require.NoError(t, conn.QueryRowContext(ctx, sel, 1).Scan(&got))
	conformance.RequireNotOpened(t, got)

	_, err = conn.ExecContext(ctx, "USE `"+e.B.Schema+"`")
	require.NoError(t, err)
	require.NoError(t, conn.QueryRowContext(ctx, sel, 1).Scan(&got))
	require.Equal(t, "real", got)
}
