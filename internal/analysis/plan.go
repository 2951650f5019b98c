package analysis

import "github.com/sqlseal/sqlseal/internal/query"

// Plan is what the analysis of one SQL text found. A Plan is immutable and
// shared by every execution of the same text.
type Plan struct {
	// Params are the bind parameters written to protected columns, in
	// ordinal order.
	Params []ParamTarget
	// Literals are the literals written to protected columns, in text
	// order; they do not overlap.
	Literals []LiteralTarget
	// Results describes the result columns when at least one of them may
	// come from a protected column; nil otherwise.
	Results []Result
	// Err is set when the statement must be refused; it wraps ErrRefused.
	Err error
}

// Inert reports whether executions of the text need no sealing, no opening
// and no refusal: the statement touches no protected column.
func (p *Plan) Inert() bool {
	return p.Err == nil && len(p.Params) == 0 && len(p.Literals) == 0 && p.Results == nil
}

// ParamTarget is a bind parameter whose value is written to Column. Name is
// set for a named parameter.
type ParamTarget struct {
	Ordinal int
	Name    string
	Column  Column
}

// LiteralTarget is a literal in the SQL text, text[Start:End], whose Value is
// written to Column.
type LiteralTarget struct {
	Start, End int
	Value      string
	Column     Column
}

// Result is one entry of a result column list: a single column, opened if
// Column is set, or the expansion of `*` over a table, whose protected
// columns are opened by name.
type Result struct {
	Column *Column
	// Star is set for the expansion of * over a base table; its width is
	// only known at run time.
	Star *Star
	// Check is set when Column was reached through an unqualified table
	// name while its configuration names a schema: the engine opens the
	// column only after confirming that the server resolves the name
	// Check to Column.Schema (the search path may pick another schema's
	// table of the same name, whose values must not be opened).
	Check string
}

// Star is the expansion of * over a base table (or a table function, with
// Table empty and no Protected columns). When Table has no schema and a
// protected column's configuration names one, the engine confirms the
// server's resolution of Table.Name as for Result.Check.
type Star struct {
	Table     query.Table
	Protected []Column
}

var inertPlan = &Plan{}
