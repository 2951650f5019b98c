package mysql_test

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// BenchmarkBlindIndexLookup compares a lookup by a protected token with a
// blind index (rewritten to the indexed sibling column, the token's term
// bound) with the same lookup by an unprotected, indexed token column
// under plain go-sql-driver/mysql, in the same run (testdb.BenchRatio):
// x-mysql is sqlseal's time over the plain driver's. "id" selects the
// row's id and name; "token" also returns the token, which sqlseal opens.
func BenchmarkBlindIndexLookup(b *testing.B) {
	be := conformance.MariaDB(b)
	e := conformance.NewEnv(b, be, "name VARCHAR(100), details TEXT, details_bidx VARBINARY(33) UNIQUE")
	plainTable := e.Name("plain")
	e.Create(plainTable, "name VARCHAR(100), details VARCHAR(100) UNIQUE")
	cfg := e.Config()
	cfg.BlindIndexes = []string{e.Table + ".details"}
	sealed := e.Open(cfg)
	const rows = 1000
	tokens := make([]string, rows)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("tok-%08d-5f3c9a1e2b7d", i)
		_, err := sealed.Exec("INSERT INTO `"+e.Table+"` (name, details) VALUES (?, ?)", fmt.Sprint("n", i), tokens[i])
		require.NoError(b, err)
		_, err = be.Raw.Exec("INSERT INTO `"+plainTable+"` (name, details) VALUES (?, ?)", fmt.Sprint("n", i), tokens[i])
		require.NoError(b, err)
	}
	for _, db := range []*sql.DB{be.Raw, sealed} {
		db.SetMaxIdleConns(4)
	}
	for _, tc := range []struct{ name, cols string }{{"id", "id, name"}, {"token", "id, name, details"}} {
		b.Run(tc.name, func(b *testing.B) {
			i := 0
			testdb.BenchRatio(b, "mysql", be.Raw, sealed, func(b *testing.B, db *sql.DB, isSealed bool) {
				tb := plainTable
				if isSealed {
					tb = e.Table
				}
				i++
				tok := tokens[i%rows]
				var id int64
				var name, got string
				dest := []any{&id, &name}
				if tc.cols != "id, name" {
					dest = append(dest, &got)
				}
				if err := db.QueryRow("SELECT "+tc.cols+" FROM `"+tb+"` WHERE details = ?", tok).Scan(dest...); err != nil {
					b.Fatal(err)
				}
				if len(dest) == 3 && got != tok {
					b.Fatalf("got %q", got)
				}
			})
		})
	}
}
