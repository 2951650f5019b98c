package mysql

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sync"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"

	// The parser needs a driver for value expressions.
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Parser lowers MySQL and MariaDB SQL text into query statements. The zero
// value is ready to use, and a Parser is safe for concurrent use.
type Parser struct{}

var _ query.Parser = (*Parser)(nil)

// tidbParsers holds TiDB parsers, which are not safe for concurrent use.
var tidbParsers = sync.Pool{New: func() any { return parser.New() }}

// Parse parses sql, which may hold several statements separated by
// semicolons, and lowers each statement. Text the parser rejects is an
// error wrapping ErrSyntax; SQL the front-end refuses to model is an error
// wrapping ErrUnsupported. Errors never quote the SQL text.
func (p *Parser) Parse(sql string) (stmts []query.Statement, err error) {
	defer func() {
		if r := recover(); r != nil {
			stmts, err = nil, fmt.Errorf("%w: the parser failed on this statement", ErrSyntax)
		}
	}()
	stmts, err = parse(sql)
	if err == nil && len(stmts) == 1 {
		locate(sql, stmts[0])
	}
	return stmts, err
}

// parse is Parse without the guard against a panicking parser.
func parse(sql string) ([]query.Statement, error) {
	sc := scan(sql)
	orig, err := parseAST(sql)
	if err != nil {
		if sc.hasReturning() {
			// The TiDB parser does not know MariaDB's RETURNING. A text
			// it accepts is never read as having one (it would be a MySQL
			// text with an unquoted name returning).
			return parseReturning(sql, sc)
		}
		if dynamicSQL.MatchString(sql) {
			// MariaDB runs text the TiDB parser does not know, among it
			// EXECUTE IMMEDIATE and anonymous BEGIN NOT ATOMIC blocks,
			// whose statements are computed on the server.
			return []query.Statement{&query.Opaque{Kind: query.OpaqueCode}}, nil
		}
		return nil, err
	}
	return lowerText(sql, sc, orig)
}

// lowerText lowers orig, the parse of sql, which sc is the scan of.
func lowerText(sql string, sc scanned, orig []ast.StmtNode) ([]query.Statement, error) {
	params, err := numberParamsAs(orig, sc.ordinals())
	if err != nil {
		return nil, err
	}
	var stmts []query.Statement
	if len(sc.tokens) == 0 {
		stmts, err = lowerAll(orig, &sites{mode: modeDirect}, params)
	} else {
		stmts, err = lowerLocated(sql, sc, orig, params)
	}
	if err != nil {
		return nil, err
	}
	if sc.conditional {
		if touchesData(stmts) {
			return nil, fmt.Errorf("%w: version-conditional and vendor comments (/*!NNNNN, /*M!, /*T!) in a statement that reads or writes table data", ErrUnsupported)
		}
		// What the server runs of such a comment is not what the parser
		// read: the statement may change the session.
		for _, s := range stmts {
			s.(*query.Utility).Session = true
		}
	}
	return stmts, nil
}

// lowerLocated lowers a text that has string literals. It parses the text
// again with the literals replaced by markers, checks that both parses
// lower to the same statements, and lowers the marked one with every
// literal located. If any of that fails, literals stay unlocated.
func lowerLocated(sql string, sc scanned, orig []ast.StmtNode, params map[ast.ParamMarkerExpr]int) ([]query.Statement, error) {
	direct := func() ([]query.Statement, error) {
		return lowerAll(orig, &sites{mode: modeDirect}, params)
	}
	m := newMarkers(sql)
	marked, err := parseAST(markText(sql, sc.tokens, m))
	if err != nil {
		return direct()
	}
	markedParams, err := numberParamsAs(marked, sc.ordinals())
	if err != nil {
		return direct()
	}
	recOrig := &sites{mode: modeRecord}
	a, err := lowerAll(orig, recOrig, params)
	if err != nil {
		return nil, err
	}
	recMarked := &sites{mode: modeRecord}
	b, err := lowerAll(marked, recMarked, markedParams)
	if err != nil || !reflect.DeepEqual(a, b) ||
		len(recOrig.values) != len(recMarked.values) || len(recOrig.names) != len(recMarked.names) {
		return direct()
	}
	loc := &sites{
		mode:   modeLocate,
		values: recOrig.values,
		names:  recOrig.names,
		toks:   sc.tokens,
		marks:  m,
		used:   make([]bool, len(sc.tokens)),
	}
	return lowerAll(marked, loc, markedParams)
}

// parseAST parses sql with a pooled TiDB parser.
func parseAST(sql string) ([]ast.StmtNode, error) {
	tp := tidbParsers.Get().(*parser.Parser)
	stmts, _, err := tp.ParseSQL(sql)
	// The parser reuses its result slice on the next call.
	stmts = slices.Clone(stmts)
	tidbParsers.Put(tp) // not reached if the parser panics
	if err != nil {
		return nil, syntaxError(err)
	}
	return stmts, nil
}

// touchesData reports whether any statement is not a query.Utility: it may
// read or write table data.
func touchesData(stmts []query.Statement) bool {
	for _, s := range stmts {
		if _, ok := s.(*query.Utility); !ok {
			return true
		}
	}
	return false
}

// dynamicSQL matches the words of statements that run SQL computed on the
// server: EXECUTE [IMMEDIATE], PREPARE, BEGIN NOT ATOMIC, BINLOG, and
// CALL. A text the parser rejects is read as such a statement when it
// holds one of them anywhere (in a string or comment too, which errs on the
// side of refusing).
var dynamicSQL = regexp.MustCompile(`(?i)\b(execute|prepare|atomic|binlog|call)\b`)
