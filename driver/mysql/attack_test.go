package mysql_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver/mysql"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// These tests attack the driver the way outside testing did: each is a
// class of statement that once stored plaintext in a protected column or
// opened an unprotected one. After every statement the driver lets
// through, the protected column is scanned with plain go-sql-driver/mysql.

const stolen = "stolen-secret-4e1d"

// requireAtRest proves that every non-NULL value of the protected column
// is ciphertext that opens with testKey.
func (e *env) requireAtRest() {
	e.t.Helper()
	rows, err := e.raw.Query("SELECT details FROM `" + e.table + "` WHERE details IS NOT NULL")
	require.NoError(e.t, err)
	defer rows.Close()
	for rows.Next() {
		var v []byte
		require.NoError(e.t, rows.Scan(&v))
		testdb.OpenStored(e.t, testKey, v, e.binary)
	}
	require.NoError(e.t, rows.Err())
}

// requireNotOpened fails if a value read through sqlseal is the plaintext
// of a planted ciphertext.
func requireNotOpened(t *testing.T, got string) {
	t.Helper()
	require.NotContains(t, got, stolen, "an unprotected column was opened")
}

// openDSN opens a sealed pool on the test server with extra DSN
// parameters.
func (e *env) openDSN(cfg config.Config, edit func(*gomysql.Config)) (*sql.DB, error) {
	e.t.Helper()
	mc, err := gomysql.ParseDSN(e.dsn)
	require.NoError(e.t, err)
	edit(mc)
	c, err := mysql.NewConnector(cfg, mc)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	e.t.Cleanup(func() { db.Close() })
	return db, db.Ping()
}

// Class 1: go-sql-driver/mysql rejects named arguments, with and without
// interpolateParams; nothing is stored.
func TestAttackNamedArguments(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	interp, err := e.openDSN(e.config(), func(c *gomysql.Config) { c.InterpolateParams = true })
	require.NoError(t, err)
	ins := "INSERT INTO `" + e.table + "` (name, details) VALUES (?, ?)"
	for _, db := range []*sql.DB{e.sealed, interp} {
		_, err := db.Exec(ins, "a", sql.Named("details", "plain"))
		require.Error(t, err)
		_, err = db.Exec(ins, sql.Named("name", "a"), "plain")
		require.Error(t, err)
	}
	require.Zero(t, e.count(e.table))
}

// Classes 2 and 8: MariaDB's WITH RECURSIVE lets an entry see the entries
// after it, MySQL's does not: a name that means a later entry on one and a
// table on the other is refused when either reading is protected.
func TestAttackForwardCTE(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	e.rawExec("INSERT INTO `"+e.table+"` (id, name, details) VALUES (1, ?, ?)", sealText(t, testKey, stolen), sealText(t, testKey, "real"))
	tb := "`" + e.table + "`"
	with := "WITH RECURSIVE x AS (SELECT id, details FROM " + tb + "), " + tb + " AS (SELECT id, name AS details FROM test." + tb + ") "
	_, err := e.sealed.Exec("INSERT INTO test." + tb + " (id, details) " + with + "SELECT id + 100, details FROM x")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 1, e.count(e.table))
	e.requireAtRest()
	var got string
	err = e.sealed.QueryRow(with + "SELECT details FROM x").Scan(&got)
	if err == nil {
		requireNotOpened(t, got)
	} else {
		require.ErrorIs(t, err, sqlseal.ErrRefused)
	}
}

// Class 3: session settings changed by other means than a plain SET: the
// combination modes, executable comments and SET statements the parser
// cannot read. The next statement fails and the connection is discarded.
func TestAttackSessionSettings(t *testing.T) {
	e := newEnv(t, "details TEXT")
	for _, q := range []string{
		"SET sql_mode = 'MSSQL'", "SET sql_mode = 'ORACLE'", "SET sql_mode = 'POSTGRESQL'",
		"SET sql_mode = 'DB2'", "SET sql_mode = 'MAXDB'", "SET SESSION sql_mode = 'ANSI'",
		"SET NAMES gbk", "SET character_set_client = sjis",
	} {
		_, err := e.sealed.Exec(q)
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
		conn, err := e.sealed.Conn(ctx)
		require.NoError(t, err)
		_, err = conn.ExecContext(ctx, change)
		require.NoError(t, err, change)
		// Without backslash escapes the server would end the first string
		// at the backslash and store 'plain-exploit' in details; the parser
		// reads one string up to /*' and details = 'sealme'.
		_, err = conn.ExecContext(ctx, "INSERT INTO `"+e.table+"` (name, details) VALUES ('a\\', /*', 'sealme') -- */ 'plain-exploit')")
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, change)
		_, err = conn.ExecContext(ctx, "SELECT 1")
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, "a broken session stays broken")
		require.NoError(t, conn.Close())
	}
	require.Zero(t, e.count(e.table))
	e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "after")
	e.requireSealed(1, "after")
}

// Class 3, several statements in one text: MariaDB reads each statement
// only after the previous one ran.
func TestAttackSessionChangeInMultiStatementText(t *testing.T) {
	e := newEnv(t, "details TEXT")
	db, err := e.openDSN(e.config(), func(c *gomysql.Config) { c.MultiStatements = true })
	require.NoError(t, err)
	_, err = db.Exec("SET @x = 1; INSERT INTO `" + e.table + "` (details) VALUES ('v')")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	_, err = db.Exec("SET @x = 1 /*!, sql_mode = 'NO_BACKSLASH_ESCAPES' */; INSERT INTO `" + e.table + "` (details) VALUES ('v\\')")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Zero(t, e.count(e.table))
	// A change as the last statement is checked before the next text.
	_, err = db.Exec("INSERT INTO `" + e.table + "` (details) VALUES ('v'); SET @x = 1")
	require.NoError(t, err)
	e.requireAtRest()
}

// Class 4: in GBK, BIG5, SJIS and CP932 a backslash byte can be the second
// byte of a character; such sessions are refused at connect.
func TestAttackConnectionCharset(t *testing.T) {
	e := newEnv(t, "details TEXT")
	withCharset := func(cs string) func(*gomysql.Config) {
		return func(c *gomysql.Config) {
			sep := "?"
			if strings.Contains(e.dsn, "?") {
				sep = "&"
			}
			withCS, err := gomysql.ParseDSN(e.dsn + sep + "charset=" + cs)
			require.NoError(t, err)
			*c = *withCS
		}
	}
	for _, cs := range []string{"gbk", "big5", "sjis", "cp932"} {
		_, err := e.openDSN(e.config(), withCharset(cs))
		require.ErrorIs(t, err, sqlseal.ErrSQLMode, cs)
	}
	_, err := e.openDSN(e.config(), withCharset("latin1"))
	require.NoError(t, err)
}

// Class 5: DDL that moves values into a protected column.
func TestAttackDDL(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	other := e.name("other")
	e.rawExec("CREATE TABLE `" + other + "` (id INT, details TEXT)")
	e.rawExec("INSERT INTO `"+e.table+"` (name, details) VALUES ('plain-name', ?)", sealText(t, testKey, "v"))
	tb := "`" + e.table + "`"
	for _, q := range []string{
		"ALTER TABLE " + tb + " CHANGE details details_old TEXT, CHANGE name details TEXT",
		"ALTER TABLE " + tb + " RENAME COLUMN name TO details",
		"RENAME TABLE `" + other + "` TO " + tb,
		"ALTER TABLE `" + other + "` RENAME TO " + tb,
		"ALTER TABLE " + tb + " ALTER COLUMN details SET DEFAULT 'plain'",
		"ALTER TABLE " + tb + " MODIFY details TEXT AS (name) STORED",
	} {
		_, err := e.sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	e.requireAtRest()
	require.Equal(t, 1, e.count(e.table))
}

// Class 6: dynamic SQL computed on the server.
func TestAttackDynamicSQL(t *testing.T) {
	e := newEnv(t, "details TEXT")
	half := len(e.table) / 2
	for _, q := range []string{
		"EXECUTE IMMEDIATE CONCAT('INSERT INTO " + e.table[:half] + "', '" + e.table[half:] + " (details) VALUES (''plain'')')",
		"PREPARE s FROM CONCAT('INSERT INTO " + e.table[:half] + "', '" + e.table[half:] + " (details) VALUES (''plain'')')",
		"BEGIN NOT ATOMIC EXECUTE IMMEDIATE 'SELECT 1'; END",
	} {
		_, err := e.sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	require.Zero(t, e.count(e.table))
}

// Class 7: a prepared SELECT * over two tables is mapped anew at each
// execution: after a column is added to the first table, the columns of the
// second shift, and the one now at the protected column's old position
// (holding a planted ciphertext) is not opened.
func TestAttackPreparedStarAfterAlter(t *testing.T) {
	e := newEnv(t, "pad TEXT, details TEXT")
	other := e.name("other")
	e.rawExec("CREATE TABLE `" + other + "` (note TEXT)")
	e.rawExec("INSERT INTO `" + other + "` VALUES ('n')")
	e.rawExec("INSERT INTO `"+e.table+"` (id, pad, details) VALUES (1, ?, ?)", sealText(t, testKey, stolen), sealText(t, testKey, "real"))
	ctx := context.Background()
	conn, err := e.sealed.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	stmt, err := conn.PrepareContext(ctx, "SELECT * FROM `"+other+"`, `"+e.table+"`")
	require.NoError(t, err)
	defer stmt.Close()
	read := func() []string {
		rows, err := stmt.QueryContext(ctx)
		require.NoError(t, err)
		defer rows.Close()
		cols, err := rows.Columns()
		require.NoError(t, err)
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.True(t, rows.Next())
		require.NoError(t, rows.Scan(ptrs...))
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = v.String
		}
		return out
	}
	require.Equal(t, "real", read()[3]) // note, id, pad, details
	e.rawExec("ALTER TABLE `" + other + "` ADD COLUMN extra TEXT")
	got := read() // note, extra, id, pad, details
	require.Equal(t, "real", got[4])
	for _, v := range got {
		requireNotOpened(t, v)
	}
}

// Class 11: numbers and booleans written to a protected column are
// refused, and the statement never reaches the server.
func TestAttackNumericLiterals(t *testing.T) {
	e := newEnv(t, "details TEXT")
	for _, v := range []string{"123456789", "TRUE", "1e3", "-5", "0x41"} {
		_, err := e.sealed.Exec("INSERT INTO `" + e.table + "` (id, details) VALUES (1, " + v + ")")
		if v == "0x41" {
			require.NoError(t, err, "a hexadecimal literal is a string")
			continue
		}
		require.ErrorIs(t, err, sqlseal.ErrRefused, v)
		require.NotContains(t, err.Error(), v)
	}
	require.Equal(t, 1, e.count(e.table))
	e.requireSealed(1, "A")
}

// Class 12: schema.table.column is the protected column.
func TestAttackThreePartNames(t *testing.T) {
	e := newEnv(t, "details TEXT")
	e.exec("INSERT INTO `"+e.table+"` (details) VALUES (?)", "three")
	var got string
	require.NoError(t, e.sealed.QueryRow("SELECT test.`"+e.table+"`.details FROM `"+e.table+"`").Scan(&got))
	require.Equal(t, "three", got)
}

// Class 14: refusals quote nothing from the statement.
func TestAttackRefusalsQuoteNothing(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	for _, q := range []string{
		"UPDATE `" + e.table + "` SET details = plain_secret_name",
		"UPDATE `" + e.table + "` SET details = UPPER('plain-secret-value')",
		"INSERT INTO `" + e.table + "` (details) VALUES ('a' 'plain-secret-syntax",
	} {
		_, err := e.sealed.Exec(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		require.False(t, strings.Contains(err.Error(), "plain-secret") || strings.Contains(err.Error(), "plain_secret"), "%v", err)
	}
}
