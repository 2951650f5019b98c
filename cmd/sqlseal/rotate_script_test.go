package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sqlseal/sqlseal/codec"
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
// and status in testdata/rotate/*.txt. Each script gets a fresh table
// $TABLE in PostgreSQL ($PG_DSN), MariaDB ($MYSQL_DSN, mysql:// form) and
// SQLite ($SQLITE_DSN), holding: 1 NULL, 2 plaintext, 3 sealed with
// $KEY_A, 4 Metabase's golden ciphertext (also $KEY_A).
func TestRotateScripts(t *testing.T) {
	dsns := map[string]struct{ driver, dsn, cli string }{
		"PG_DSN":    {"pgx", testdb.Postgres(t), ""},
		"MYSQL_DSN": {"mysql", testdb.MySQL(t), ""},
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/rotate",
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
			for k, v := range dsns {
				v.cli = v.dsn
				if v.driver == "mysql" {
					v.cli = "mysql://" + v.dsn
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
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"dbget":  cmdDBGet,
			"dbexec": cmdDBExec,
		},
	})
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
