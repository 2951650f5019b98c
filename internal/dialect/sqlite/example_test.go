package sqlite_test

import (
	"fmt"

	"github.com/sqlseal/sqlseal/internal/dialect/sqlite"
	"github.com/sqlseal/sqlseal/internal/query"
)

func Example() {
	sql := `INSERT OR REPLACE INTO metabase_database (name, details) VALUES (:name, '{"host":"h"}')`
	stmts, err := sqlite.Parser{}.Parse(sql)
	if err != nil {
		fmt.Println(err)
		return
	}
	ins := stmts[0].(*query.Insert)
	name := ins.Rows[0][0].(*query.Param)
	details := ins.Rows[0][1].(*query.Literal)
	fmt.Println(ins.Table, ins.Columns)
	fmt.Printf("name: parameter %d, named %q\n", name.Ordinal, name.Name)
	fmt.Printf("details: literal %s at %d:%d\n", sql[details.Start:details.End], details.Start, details.End)
	// Output:
	// metabase_database [name details]
	// name: parameter 1, named ":name"
	// details: literal '{"host":"h"}' at 72:86
}
