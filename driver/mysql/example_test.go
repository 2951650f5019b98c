package mysql_test

import (
	"database/sql"
	"fmt"
	"log"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/sqlseal/sqlseal/config"
	sealmysql "github.com/sqlseal/sqlseal/driver/mysql"
)

// An application changes its driver name from "mysql" to "sqlseal-mysql"
// and sets SQLSEAL_ENCRYPTION_SECRET_KEY.
func Example() {
	db, err := sql.Open("sqlseal-mysql", "app:pw@tcp(db.internal:3306)/app")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec("INSERT INTO metabase_database (name, details) VALUES (?, ?)",
		"warehouse", `{"host":"wh.internal","password":"hunter2"}`)
	if err != nil {
		log.Fatal(err)
	}
}

// Configuration in code. Nothing connects until the first statement.
func ExampleNewConnector() {
	mc, err := gomysql.ParseDSN("app:pw@tcp(db.internal:3306)/app")
	if err != nil {
		log.Fatal(err)
	}
	connector, err := sealmysql.NewConnector(config.Config{
		SecretKey: "a secret of at least 16 characters",
		Columns:   []string{"accounts.api_token"},
	}, mc)
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	fmt.Println("connector ready")
	// Output: connector ready
}
