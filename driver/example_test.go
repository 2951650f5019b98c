package driver_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver"
)

// An application changes its driver name from "pgx" to "sqlseal" and sets
// SQLSEAL_ENCRYPTION_SECRET_KEY; its SQL stays as it is.
func Example() {
	db, err := sql.Open("sqlseal", "postgres://app@db.internal/app")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// details is sealed before it reaches the server...
	_, err = db.Exec(`INSERT INTO metabase_database (name, details) VALUES ($1, $2)`,
		"warehouse", `{"host":"wh.internal","password":"hunter2"}`)
	if err != nil {
		log.Fatal(err)
	}
	// ...and opened when it is read.
	var details string
	err = db.QueryRow(`SELECT details FROM metabase_database WHERE name = $1`, "warehouse").Scan(&details)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(details)
}

// Configuration in code, keeping pgx's connector options. Nothing
// connects until the first statement.
func ExampleNewConnector() {
	connConfig, err := pgx.ParseConfig("postgres://app@db.internal/app")
	if err != nil {
		log.Fatal(err)
	}
	connector, err := driver.NewConnector(config.Config{
		SecretKey:          "a secret of at least 16 characters",
		PreviousSecretKeys: []string{"the secret used before it"},
		Columns:            []string{"accounts.api_token", "billing.cards.token"},
	}, connConfig, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, "SET application_name = 'app'")
		return err
	}))
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	fmt.Println("connector ready")
	// Output: connector ready
}

// A bulk load into a table with a protected column, in a transaction:
// api_token is sealed on the way, id and name are sent as they are.
func ExampleCopyFrom() {
	ctx := context.Background()
	db, err := sql.Open("sqlseal", "postgres://app@db.internal/app")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer tx.Rollback()
	rows := [][]any{
		{int64(1), "alice", "token-of-alice"},
		{int64(2), "bob", nil},
	}
	n, err := driver.CopyFrom(ctx, tx, pgx.Identifier{"public", "accounts"},
		[]string{"id", "name", "api_token"}, pgx.CopyFromRows(rows))
	if err != nil {
		log.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "rows loaded")
}
