package sqlite_test

import (
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sqlseal/sqlseal/config"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
)

// Configuration in code, on an SQLite file: the application writes and
// reads plaintext, the file holds ciphertext.
func ExampleNewConnector() {
	dir, err := os.MkdirTemp("", "sqlseal-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "app.db")

	connector, err := sealsqlite.NewConnector(config.Config{
		SecretKey: "a secret of at least 16 characters",
		Columns:   []string{"accounts.api_token"},
	}, file)
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()

	if _, err := db.Exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, api_token TEXT)`); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO accounts (api_token) VALUES (?)`, "tok_live_123"); err != nil {
		log.Fatal(err)
	}
	var token string
	if err := db.QueryRow(`SELECT api_token FROM accounts WHERE id = 1`).Scan(&token); err != nil {
		log.Fatal(err)
	}
	fmt.Println(token)

	raw, err := sql.Open("sqlite", file) // the plain driver: what is stored
	if err != nil {
		log.Fatal(err)
	}
	defer raw.Close()
	var stored string
	if err := raw.QueryRow(`SELECT api_token FROM accounts WHERE id = 1`).Scan(&stored); err != nil {
		log.Fatal(err)
	}
	fmt.Println(stored != token, len(stored))
	// Output:
	// tok_live_123
	// true 88
}
