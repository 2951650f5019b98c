//go:build !pgquery_cgo && (!cgo || pgquery_wasm)

package postgres

import (
	"container/list"
	"fmt"
	"runtime/debug"
	"sync"
	_ "unsafe" // go:linkname

	pg_query "github.com/pganalyze/pg_query_go/v6"
	pgquery "github.com/wasilibs/go-pgquery"
	"github.com/wasilibs/go-pgquery/parser"
)

// This file is the parser back-end of builds without cgo (CGO_ENABLED=0),
// or with the build tag pgquery_wasm: libpg_query compiled to WebAssembly
// and run by wazero (github.com/wasilibs/go-pgquery). It returns
// pg_query_go's own parse-tree types. With cgo, pgquery_cgo.go is used.

// parserError is the type of the errors libpg_query reports.
type parserError = parser.Error

// pgMu serialises the calls into the WebAssembly parser. go-pgquery keeps
// a pool of module instances and, when every instance is busy, compiles and
// instantiates a new one in the calling goroutine: over 2 s of CPU and some
// 250 MB of live heap at its peak each time concurrency reaches a new high.
// With one call at a time the process compiles the module once, and a parse
// that arrives while Warm's compilation runs waits for it instead of
// starting another. The engine already analyses one text at a time per
// configuration, so the lock costs little.
var pgMu sync.Mutex

// compiled reports that the pool holds an instance; pgMu guards it.
var compiled bool

func pgParse(sql string) (tree *pg_query.ParseResult, err error) {
	pgMu.Lock()
	defer pgMu.Unlock()
	defer finishCall(&err, true)
	return pgquery.Parse(sql)
}

func pgScan(sql string) (res *pg_query.ScanResult, err error) {
	pgMu.Lock()
	defer pgMu.Unlock()
	defer finishCall(&err, true)
	return pgquery.Scan(sql)
}

var warmOnce sync.Once

// Warm starts, in the background, the one-time compilation of the
// WebAssembly parser that the first Parse would otherwise wait for (about
// 2.5 s of CPU). It returns at once and does the work once per process;
// later calls do nothing. A Parse that comes while the compilation runs
// waits for it rather than compiling a second instance. The engine calls it
// when a connector is created.
func Warm() {
	warmOnce.Do(func() {
		// Taking the lock here, when it is free, makes every Parse that
		// starts after Warm returns queue behind the compilation.
		locked := pgMu.TryLock()
		go func() {
			if !locked {
				pgMu.Lock()
			}
			defer pgMu.Unlock()
			warmLocked()
		}()
	})
}

// warmLocked instantiates a module if the pool has none; pgMu is held.
func warmLocked() {
	var err error
	defer finishCall(&err, false)
	_, err = pgquery.Parse("SELECT 1")
}

// go-pgquery panics when the WebAssembly code traps: text nested a few
// thousand levels deep ("SELECT 1+1+...", about 3,500 operators, or 1,500
// nested subqueries) overflows wazero's call stack. The instance it then
// puts back in its pool is broken: the trap skipped the C code's clean-up
// (its stack pointer, its memory contexts), and it was seen to reject
// every later statement as a syntax error. finishCall turns the panic into
// a syntax error for this text and empties the pool, so that the next call
// instantiates a fresh module. The pool is not exported; these two names
// are go-pgquery's (parser/parser_wazero.go, pinned in go.mod) and
// TestParserTrap checks the recovery. A renamed variable fails the link.
//
//go:linkname abiPool github.com/wasilibs/go-pgquery/parser.abiPool
var abiPool *list.List

//go:linkname abiPoolMu github.com/wasilibs/go-pgquery/parser.abiPoolMu
var abiPoolMu sync.Mutex

// finishCall is deferred, with pgMu held, by every call into go-pgquery.
//
// On a panic it empties the pool, makes the call return a syntax error
// and, if rewarm is set, compiles the replacement in the background.
//
// After the first call, which compiled the module, it hands the compiler's
// garbage back to the operating system: the runtime would otherwise keep
// the heap it grew for the compilation in the process's RSS (measured:
// about 260 MB for minutes, 40 MB once released).
func finishCall(err *error, rewarm bool) {
	if r := recover(); r != nil {
		abiPoolMu.Lock()
		abiPool.Init()
		abiPoolMu.Unlock()
		compiled = false
		// The message names the trap (such as "stack overflow"), never
		// the text; syntaxError cuts it at any quote all the same.
		*err = &parserError{Message: fmt.Sprintf("the parser failed on this statement: %v", r)}
		if rewarm {
			go func() {
				pgMu.Lock()
				defer pgMu.Unlock()
				warmLocked()
			}()
		}
		return
	}
	if !compiled {
		compiled = true
		go debug.FreeOSMemory()
	}
}
