package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// Keys of the rotation scripts. keyA is the secret of Metabase's golden
// vector, so row 4 (Metabase's own ciphertext) opens with it.
const (
	scriptKeyA = "legacy-golden-test-key-0000000000000000000"
	scriptKeyB = "script-key-b-000000000000000000000002"
	scriptKeyC = "script-key-c-000000000000000000000003"
	goldenCT   = "ttCPpQ92by4mOXOJBbhRE28T4c9WN02MBnHrnucZZ69tLceopuoUpgAy/eB2fAyqWZaFHPsuEaXGCdFwQKY9rA=="
)

// TestRotateScripts runs the database scenarios of rotate-encryption-key
// and status in testdata/rotate/*.txt, on the three databases at once:
// $PG_DSN, $MYSQL_DSN (mysql:// form) and $SQLITE_DSN; see scriptParams.
func TestRotateScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, "testdata/rotate", ""))
}

// TestKeysScripts runs the key table scenarios in testdata/keys/*.txt once
// per database, which each script names $DSN.
func TestKeysScripts(t *testing.T) {
	for _, name := range []string{"PG_DSN", "MYSQL_DSN", "SQLITE_DSN"} {
		t.Run(name, func(t *testing.T) {
			testscript.Run(t, scriptParams(t, "testdata/keys", name))
		})
	}
}

// scriptParams are the parameters of the database scripts in dir. Each
// script gets a fresh table $TABLE, protected (SQLSEAL_COLUMNS), in a
// database of its own in PostgreSQL ($PG_DSN) and MariaDB ($MYSQL_DSN,
// mysql:// form) and a file of its own in SQLite
// ($SQLITE_DSN), holding: 1 NULL, 2 plaintext, 3 sealed with $KEY_A, 4
// Metabase's golden ciphertext (also $KEY_A). With dsnVar set, $DSN is
// that variable's DSN.
func scriptParams(t *testing.T, dir, dsnVar string) testscript.Params {
	dsns := map[string]struct{ driver, dsn, cli string }{
		"PG_DSN":    {"pgx", testdb.Postgres(t), ""},
		"MYSQL_DSN": {"mysql", testdb.MySQL(t), ""},
	}
	return testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			b := make([]byte, 5)
			rand.Read(b)
			table := "cli_" + hex.EncodeToString(b)
			env.Setenv("TABLE", table)
			env.Setenv("SQLSEAL_COLUMNS", table+".details")
			env.Setenv("KEY_A", scriptKeyA)
			env.Setenv("KEY_B", scriptKeyB)
			env.Setenv("KEY_C", scriptKeyC)
			all := map[string]struct{ driver, dsn, cli string }{
				"SQLITE_DSN": {"sqlite", filepath.Join(env.WorkDir, "app.db"), filepath.Join(env.WorkDir, "app.db")},
			}
			// Each script gets a database of its own: a key table (keys
			// init) applies to everything its connections see, and keys
			// retire looks at the database's open transactions.
			for k, v := range dsns {
				var drop func()
				var err error
				if v.driver == "mysql" {
					v.dsn, drop, err = testdb.NewMySQLDatabase(v.dsn, table)
				} else {
					v.dsn, drop, err = testdb.NewPostgresDatabase(v.dsn, table)
				}
				if err != nil {
					return err
				}
				env.Defer(drop)
				v.cli = v.dsn
				if v.driver == "mysql" {
					v.cli = "mysql://" + v.dsn
					// The same database as a URL, for the DSN forms' test.
					mc, err := gomysql.ParseDSN(v.dsn)
					if err != nil {
						return err
					}
					env.Setenv("MYSQL_URL", "mysql://"+url.UserPassword(mc.User, mc.Passwd).String()+"@"+mc.Addr+"/"+mc.DBName)
				}
				all[k] = v
			}
			for name, d := range all {
				env.Setenv(name, d.cli)
				db, err := sql.Open(d.driver, d.dsn)
				if err != nil {
					return err
				}
				if err := fillScriptTable(db, d.driver, table); err != nil {
					db.Close()
					return fmt.Errorf("%s: %w", name, err)
				}
				env.Defer(func() {
					db.Exec("DROP TABLE " + table)
					db.Close()
				})
			}
			if dsnVar != "" {
				env.Setenv("DSN", env.Getenv(dsnVar))
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"dbget":     cmdDBGet,
			"dbexec":    cmdDBExec,
			"sealedget": cmdSealedGet,
			"sleep":     cmdSleep,
		},
	}
}

// fillScriptTable creates table with the rows the scripts expect.
func fillScriptTable(db *sql.DB, driver, table string) error {
	text := map[string]string{"pgx": "text", "mysql": "longtext", "sqlite": "text"}[driver]
	if _, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (id integer PRIMARY KEY, details %s)", table, text)); err != nil {
		return err
	}
	k, err := codec.DeriveKey(scriptKeyA)
	if err != nil {
		return err
	}
	ph := "$1, $2"
	if driver == "mysql" {
		ph = "?, ?"
	}
	for id, v := range []any{nil, `{"host":"db.internal","password":"plain-2"}`, k.SealText([]byte(`{"password":"sealed-3"}`)), goldenCT} {
		if _, err := db.Exec("INSERT INTO "+table+" (id, details) VALUES ("+ph+")", id+1, v); err != nil {
			return err
		}
	}
	return nil
}

// cmdDBGet implements "dbget DSNVAR ID": it prints the stored details of
// row ID of $TABLE, as stored, for the script to decrypt.
func cmdDBGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: dbget DSNVAR ID")
	}
	db := openDSNVar(ts, args[0])
	defer db.Close()
	var v sql.NullString
	err := db.QueryRow("SELECT details FROM " + ts.Getenv("TABLE") + " WHERE id = " + args[1]).Scan(&v)
	if neg {
		if err == nil {
			ts.Fatalf("dbget succeeded")
		}
		return
	}
	ts.Check(err)
	if !v.Valid {
		fmt.Fprint(ts.Stdout(), "NULL")
		return
	}
	fmt.Fprint(ts.Stdout(), strings.TrimSpace(v.String))
}

// cmdDBExec runs one statement on the database of a DSN variable, with the
// database's own driver: dbexec DSNVAR SQL.
func cmdDBExec(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: dbexec DSNVAR SQL")
	}
	db := openDSNVar(ts, args[0])
	defer db.Close()
	_, err := db.Exec(args[1])
	ts.Check(err)
}

// openDSNVar opens the database of the DSN in the script's variable name,
// with the database's own driver.
func openDSNVar(ts *testscript.TestScript, name string) *sql.DB {
	ds, err := parseDSN(ts.Getenv(name))
	ts.Check(err)
	db, err := sql.Open(ds.driver, ds.dsn)
	ts.Check(err)
	return db
}

// cmdSealedGet implements "sealedget DSNVAR ID": it prints the details of
// row ID of $TABLE read through the sqlseal driver, configured from the
// script's environment as an application would be.
func cmdSealedGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sealedget DSNVAR ID")
	}
	ds, err := parseDSN(ts.Getenv(args[0]))
	ts.Check(err)
	cfg, err := config.FromLookup(func(k string) (string, bool) {
		v := ts.Getenv(k)
		return v, v != ""
	})
	ts.Check(err)
	db, err := openSealed(ds, cfg)
	ts.Check(err)
	defer db.Close()
	var v sql.NullString
	err = db.QueryRow("SELECT details FROM " + ts.Getenv("TABLE") + " WHERE id = " + args[1]).Scan(&v)
	if neg {
		if err == nil {
			ts.Fatalf("sealedget succeeded")
		}
		fmt.Fprint(ts.Stderr(), err)
		return
	}
	ts.Check(err)
	fmt.Fprint(ts.Stdout(), v.String)
}

// cmdSleep implements "sleep DURATION".
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}
