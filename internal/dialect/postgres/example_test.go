package postgres_test

import (
	"fmt"

	"github.com/sqlseal/sqlseal/internal/dialect/postgres"
	"github.com/sqlseal/sqlseal/internal/query"
)

func ExampleParser_Parse() {
	sql := `INSERT INTO metabase_database (name, details) VALUES ($1, '{"host":"db"}') RETURNING id`
	stmts, err := postgres.Parser{}.Parse(sql)
	if err != nil {
		fmt.Println(err)
		return
	}
	ins := stmts[0].(*query.Insert)
	fmt.Println("table:", ins.Table, "columns:", ins.Columns)
	fmt.Println("name gets parameter", ins.Rows[0][0].(*query.Param).Ordinal)
	lit := ins.Rows[0][1].(*query.Literal)
	fmt.Printf("details gets literal %s = %q\n", sql[lit.Start:lit.End], lit.Value)
	// Output:
	// table: metabase_database columns: [name details]
	// name gets parameter 1
	// details gets literal '{"host":"db"}' = "{\"host\":\"db\"}"
}

func ExampleFoldIdent() {
	fmt.Println(postgres.FoldIdent("Metabase_Database"), postgres.FoldIdent(`"MixedCase"`))
	// Output: metabase_database MixedCase
}
