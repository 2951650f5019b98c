package mysql_test

import (
	"fmt"

	"github.com/sqlseal/sqlseal/internal/dialect/mysql"
	"github.com/sqlseal/sqlseal/internal/query"
)

func Example() {
	var p mysql.Parser
	sql := "INSERT INTO `Metabase_Database` (name, details) VALUES (?, '{\"host\":\"db\"}')"
	stmts, err := p.Parse(sql)
	if err != nil {
		fmt.Println(err)
		return
	}
	ins := stmts[0].(*query.Insert)
	fmt.Println(ins.Table, ins.Columns)
	fmt.Printf("%+v\n", *ins.Rows[0][0].(*query.Param))
	lit := ins.Rows[0][1].(*query.Literal)
	fmt.Println(lit.Value, sql[lit.Start:lit.End])

	_, err = p.Parse("SELECT details FROM metabase_database WHERE")
	fmt.Println(err)
	// Output:
	// metabase_database [name details]
	// {Ordinal:1 Name:}
	// {"host":"db"} '{"host":"db"}'
	// mysql: syntax error at line 1 column 43, at the end of the text
}
