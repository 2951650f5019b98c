//go:build pgquery_cgo || (cgo && !pgquery_wasm)

package postgres

import (
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// This file is the parser back-end of builds with cgo: libpg_query linked in
// through pg_query_go. It is faster to start, parse and test than the
// WebAssembly back-end (pgquery_wazero.go), and a build with cgo compiles
// libpg_query's C in any case: pg_query_go's package of parse-tree types,
// which go-pgquery uses too, imports its cgo parser whenever cgo is on. The
// build tag pgquery_wasm selects the WebAssembly back-end all the same;
// pgquery_cgo insists on this one (a build without cgo then fails).

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
