package mysql_test

import (
	"database/sql"
	"fmt"
	"log"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/sqlseal/sqlseal/config"
	sealmysql "github.com/sqlseal/sqlseal/driver/mysql"
)

// Configuration in code, with go-sql-driver's configuration built field
// by field; a column may be named with its database. Nothing connects
// until the first statement.
func ExampleNewConnector() {
	mc := gomysql.NewConfig()
	mc.User, mc.Passwd = "app", "pw"
	mc.Net, mc.Addr, mc.DBName = "tcp", "db.internal:3306", "app"
	mc.ParseTime = true
	cfg := config.Config{SecretKey: "a secret of at least 16 characters", Columns: []string{"app.accounts.api_token"}}
	connector, err := sealmysql.NewConnector(cfg, mc)
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	fmt.Println("connector ready")
	// Output: connector ready
}

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
