package mysql_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
)

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
	interp, err := openWith(e, func(c *gomysql.Config) { c.InterpolateParams = true })
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
	db, err := openWith(e, func(c *gomysql.Config) { c.MultiStatements = true })
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
		_, err := openWith(e, withCharset(cs))
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, cs)
	}
	_, err := openWith(e, withCharset("latin1"))
	require.NoError(t, err)
}

// TestQuotingSQLModeRefused: sqlseal parses MySQL's default quoting, so a
// session that reads quotes or backslashes differently is refused at
// connect, and so is a statement that would switch to such a mode.
func TestQuotingSQLModeRefused(t *testing.T) {
	e := newEnv(t, "details TEXT")
	for _, mode := range []string{"ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "ANSI"} {
		_, err := openWith(e, func(c *gomysql.Config) {
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
