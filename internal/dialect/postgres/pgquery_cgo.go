//go:build pgquery_cgo

package postgres

import (
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// This file is the cgo parser back-end, selected by the build tag
// pgquery_cgo: libpg_query linked in through pg_query_go. It needs
// CGO_ENABLED=1 and a C compiler; pgquery_wazero.go is the default.

// parserError is the type of the errors libpg_query reports.
type parserError = parser.Error

func pgParse(sql string) (*pg_query.ParseResult, error) { return pg_query.Parse(sql) }

func pgScan(sql string) (*pg_query.ScanResult, error) { return pg_query.Scan(sql) }

var warmOnce sync.Once

// Warm parses a statement in the background, once per process, so that the
// first real Parse does not pay for initialising the parse tree's protobuf
// types (some milliseconds). It returns at once.
func Warm() {
	warmOnce.Do(func() {
		go func() { _, _ = pg_query.Parse("SELECT 1") }()
	})
}
