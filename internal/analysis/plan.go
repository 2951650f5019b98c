package analysis

import "github.com/sqlseal/sqlseal/internal/query"

// Plan is what the analysis of one SQL text found. A Plan is immutable and
// shared by every execution of the same text. It holds positions in the
// text, never values from it.
type Plan struct {
	// Params are the bind parameters written to protected columns, in
	// ordinal order. A parameter written to the same column twice appears
	// once.
	Params []ParamTarget
	// Others are the other parameters of the text, each once: the engine
	// checks that no argument the driver binds to a protected parameter
	// is also bound to one of these.
	Others []query.Param
	// Literals are the string literals written to protected columns, in
	// text order; they do not overlap.
	Literals []LiteralTarget
	// Edits are the changes of the text that keep blind indexes: lookups
	// rewritten to the sibling column, sibling values added to writes. In
	// text order; they do not overlap each other or Literals.
	Edits []Edit
	// Terms are the bind parameters compared with blind-indexed columns,
	// in ordinal order: their arguments are replaced by their terms.
	Terms []TermTarget
	// MaxParam is the largest ordinal of a placeholder of the text
	// (positional, or in SQLite any parameter's index); placeholders that
	// Edits add are numbered after it. Set when Edits add placeholders.
	MaxParam int
	// Positional reports that the driver binds placeholders by their
	// place in the text (MySQL's ?): the argument of each placeholder
	// that Edits add goes after the Edit.ParamsBefore first arguments of
	// the text (and after those added before it), not at the end.
	Positional bool
	// Results describes the result columns when at least one of them may
	// come from a protected column; nil otherwise.
	Results []Result
	// Session reports that the text may change session settings (see
	// query.Utility.Session), or could not be parsed and so may.
	Session bool
	// SessionBeforeLast reports that a statement other than the last of
	// the text may change session settings: a server that reads each
	// statement of a text only after the previous one ran (MySQL) may read
	// the later ones differently from the parser.
	SessionBeforeLast bool
	// Err is set when the statement must be refused; it wraps ErrRefused.
	Err error
}

// Inert reports whether executions of the text need no sealing, no opening,
// no refusal and no session check: the statement touches no protected
// column.
func (p *Plan) Inert() bool {
	return p.Err == nil && len(p.Params) == 0 && len(p.Literals) == 0 && len(p.Edits) == 0 && len(p.Terms) == 0 &&
		p.Results == nil && !p.Session && !p.SessionBeforeLast
}

// Via is the kind of type a value is cast to on its way to a protected
// column; the engine checks it against the column's kind, which only the
// catalog knows.
type Via uint8

const (
	// ViaNone: the value is written as it is.
	ViaNone Via = iota
	// ViaText: the value is cast to a string type that keeps it whole.
	ViaText
	// ViaBinary: the value is cast to a binary type.
	ViaBinary
)

// ParamTarget is a bind parameter whose value is written to Column.
type ParamTarget struct {
	query.Param
	Column Column
	Via    Via
}

// LiteralTarget is a string literal in the SQL text, text[Start:End], whose
// value is written to Column. The value is not kept: the parser's
// LiteralValue decodes it from the text when it is sealed (the analysis
// checked that it decodes to what the parser read).
type LiteralTarget struct {
	Start, End int
	Column     Column
	Via        Via
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
	// column only after confirming, for this execution, that the server
	// resolves the name Check to Column.Schema (the search path, a
	// temporary table or the current database may pick another table of
	// the same name, whose values must not be opened).
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
