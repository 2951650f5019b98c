// Package analysis decides, for one SQL text, which values a statement
// writes to protected columns, which of its result columns come from them,
// and whether it must be refused. It works on the dialect-neutral model of
// package query, so every dialect shares the same rules:
//
//	plan := analysis.Analyze(postgres.Parser{}, protected, sql)
//	if plan.Err != nil { /* refuse: nothing is sent */ }
//	for _, p := range plan.Params { /* seal the argument bound to p for p.Column */ }
//
// The rules fail closed: a value bound for a protected column must be a bare
// parameter or string literal (optionally cast to a string or binary type),
// NULL, DEFAULT, the upsert's proposed value for the same column, or the
// same column copied onto itself; anything else is refused, as is any
// comparison against a protected column, any statement that may write a
// protected column with values its text does not show, DDL that renames
// something to a protected column or has the server compute its values, and
// any text that cannot be parsed but names a protected table.
//
// A Plan keeps positions in the text, never values: literal values are
// decoded from the text again when they are sealed.
package analysis

import (
	"errors"
	"sort"
	"strconv"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Analyze returns the plan for sql. It never returns nil.
func Analyze(parser query.Parser, prot *Protected, sql string) *Plan {
	p, parsed := analyze(parser, prot, sql)
	if p.Err != nil {
		advise(p.Err, parser, sql, parsed)
	}
	return p
}

// advise adds the parser's advice about sql to a refusal (query.Adviser).
func advise(err error, parser query.Parser, sql string, parsed bool) {
	var re *RefusalError
	adv, ok := parser.(query.Adviser)
	if !ok || !errors.As(err, &re) {
		return
	}
	re.Advice = adv.Advice(sql, parsed)
}

// syntaxDetail says why the parser rejected a text: the parser's message
// without text of the statement (query.SyntaxError), or the front-end's
// error, which never quotes the text either (query.Parser).
func syntaxDetail(err error) string {
	var se query.SyntaxError
	if errors.As(err, &se) {
		return se.Cause()
	}
	return err.Error()
}

// analyze is Analyze; parsed reports that the parser accepted sql.
func analyze(parser query.Parser, prot *Protected, sql string) (*Plan, bool) {
	stmts, err := parser.Parse(sql)
	if err != nil {
		if c, ok := prot.mentioned(sql); ok {
			return &Plan{Err: refuseDetail(c, ReasonUnparsed, syntaxDetail(err))}, false
		}
		// What the text does is unknown, so it may change the session.
		return sessionPlan, false
	}
	a := &analyzer{prot: prot, parser: parser, sql: sql, other: map[query.Param]bool{}, statements: len(stmts)}
	var results []Result
	sessionBeforeLast := false
	for i, st := range stmts {
		entries := a.statement(st, nil)
		if a.err != nil {
			return &Plan{Err: a.err}, true
		}
		if a.session && i < len(stmts)-1 {
			sessionBeforeLast = true
		}
		if r := toResults(entries); r != nil {
			if len(stmts) > 1 {
				return &Plan{Err: refuse(firstProtected(r), ReasonSeveral)}, true
			}
			results = r
		}
	}
	a.checkParams()
	if a.err != nil {
		return &Plan{Err: a.err}, true
	}
	if len(a.params) == 0 && len(a.literals) == 0 && len(a.edits) == 0 && len(a.terms) == 0 && results == nil && !sessionBeforeLast {
		if a.session {
			return sessionPlan, true
		}
		return inertPlan, true
	}
	plan := &Plan{Params: a.params, Literals: a.literals, Edits: a.edits, Terms: a.terms, MaxParam: a.maxParam, Positional: a.positional,
		Results: results, Session: a.session, SessionBeforeLast: sessionBeforeLast}
	for p := range a.other {
		plan.Others = append(plan.Others, p)
	}
	sort.Slice(plan.Others, func(i, j int) bool { return plan.Others[i].Ordinal < plan.Others[j].Ordinal })
	return plan, true
}

// sessionPlan is the plan of a text that touches no protected column but
// may change session settings.
var sessionPlan = &Plan{Session: true}

// analyzer holds the state of analysing one text.
type analyzer struct {
	prot       *Protected
	parser     query.Parser
	sql        string
	params     []ParamTarget
	literals   []LiteralTarget
	edits      []Edit
	terms      []TermTarget
	other      map[query.Param]bool // parameters used outside a protected write
	maxParam   int                  // the largest ordinal of a parameter
	statements int                  // how many statements the text holds
	positional bool                 // the edits add placeholders the driver binds by position
	session    bool
	err        error
}

// fail records the first refusal.
func (a *analyzer) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// statement analyses one statement and returns its result columns.
func (a *analyzer) statement(st query.Statement, parent *scope) []entry {
	switch s := st.(type) {
	case *query.Select:
		return a.selectEntries(s, parent)
	case *query.Insert:
		return a.insert(s, parent)
	case *query.Update:
		return a.update(s, parent)
	case *query.Delete:
		return a.delete(s, parent)
	case *query.Opaque:
		a.opaque(s)
	case *query.DDL:
		a.ddl(s)
	case *query.Utility:
		a.session = a.session || s.Session
	default:
		// A statement kind this package does not know: refuse it if it
		// may touch a protected table.
		if c, ok := a.prot.mentioned(a.sql); ok {
			a.fail(refuseDetail(c, ReasonUnanalysed, "a statement of an unknown kind"))
		}
	}
	return nil
}

// opaque refuses a statement sqlseal cannot see into when it may write a
// protected table, and a blind statement whenever any column is protected.
func (a *analyzer) opaque(s *query.Opaque) {
	// A procedure may change session settings.
	a.session = a.session || s.Kind == query.OpaqueCall
	for _, t := range s.Writes {
		if cs := a.prot.ofTable(t); len(cs) > 0 {
			a.fail(refuseDetail(cs[0], ReasonUnanalysed, s.Kind.String()))
			return
		}
	}
	blind := s.Kind.Blind() || (s.Kind == query.OpaquePrepare && len(s.Writes) == 0 && len(s.Reads) == 0)
	if blind {
		// EXECUTE runs a statement prepared earlier with SQL-level
		// PREPARE, PREPARE ... FROM @var a text sqlseal cannot see, BINLOG
		// replays raw row events, an anonymous code block computes its
		// statements on the server, and a setting that changes how SQL
		// text is read would make later statements read differently from
		// how sqlseal parses them.
		if cs := a.prot.Columns(); len(cs) > 0 {
			a.fail(refuseDetail(cs[0], ReasonBlind, s.Kind.String()))
		}
		return
	}
	if len(s.Writes) == 0 && len(s.Reads) == 0 {
		if c, ok := a.prot.mentioned(a.sql); ok {
			a.fail(refuseDetail(c, ReasonUnanalysed, s.Kind.String()))
		}
	}
}

// ddl refuses DDL that gives a protected column values that were never
// sealed: a table or column renamed to a protected one (or a schema renamed
// to a protected column's schema), and a protected column whose values the
// server computes.
func (a *analyzer) ddl(d *query.DDL) {
	for _, r := range d.Renames {
		to := r.To
		if to.Schema == "" {
			to.Schema = r.From.Schema
		}
		if cs := a.prot.ofTable(to); len(cs) > 0 {
			a.fail(refuse(cs[0], ReasonRenamed))
			return
		}
	}
	for _, r := range d.ColumnRenames {
		if c, ok := a.prot.lookup(r.Table, r.To); ok {
			a.fail(refuse(c, ReasonRenamed))
			return
		}
		if c, ok := a.prot.siblingOf(r.Table, r.To); ok {
			a.fail(refuseDetail(c, ReasonIndexWrite, "renames a column to its blind index column"))
			return
		}
	}
	for _, r := range d.SchemaRenames {
		for _, c := range a.prot.Columns() {
			if c.Schema == r.To {
				a.fail(refuse(c, ReasonRenamed))
				return
			}
		}
	}
	for _, f := range d.Fills {
		cs := a.prot.ofTable(f.Table)
		for _, c := range cs {
			if f.Column == "" || c.Name == f.Column {
				a.fail(refuseDetail(c, ReasonFilled, fillName(f.Source)))
				return
			}
		}
		if c, ok := a.prot.siblingOf(f.Table, f.Column); ok && f.Column != "" {
			a.fail(refuseDetail(c, ReasonIndexWrite, "has the server compute its blind index column ("+fillName(f.Source)+")"))
			return
		}
	}
}

// fillName names a fill source in sqlseal's words.
func fillName(s query.FillSource) string {
	switch s {
	case query.FillDefault:
		return "a DEFAULT"
	case query.FillGenerated:
		return "a generated column"
	case query.FillUsing:
		return "the USING expression of a type change"
	}
	return "a computed value"
}

// checkParams refuses a parameter that is sealed for a protected column and
// also used elsewhere, where the ciphertext would land unexpectedly, or
// written to two protected columns. The engine checks the same for the
// arguments the driver binds, which can differ (SQLite binds one argument
// to several parameters).
func (a *analyzer) checkParams() {
	seen := map[query.Param]Column{}
	out := a.params[:0]
	for _, p := range a.params {
		if a.other[p.Param] {
			a.fail(refuseDetail(p.Column, ReasonSharedParam, paramName(p.Param)))
			return
		}
		if c, ok := seen[p.Param]; ok {
			if c != p.Column {
				a.fail(refuseDetail(p.Column, ReasonSharedParam, paramName(p.Param)))
				return
			}
			continue // the same parameter written twice to one column
		}
		seen[p.Param] = p.Column
		out = append(out, p)
	}
	a.params = out
	sort.SliceStable(a.params, func(i, j int) bool { return a.params[i].Ordinal < a.params[j].Ordinal })
	sort.Slice(a.literals, func(i, j int) bool { return a.literals[i].Start < a.literals[j].Start })
	lits := a.literals[:0]
	for i, l := range a.literals {
		if i > 0 && l == a.literals[i-1] {
			continue // analysed twice (a recursive WITH entry's first arm)
		}
		if len(lits) > 0 && l.Start < lits[len(lits)-1].End {
			a.fail(refuseDetail(l.Column, ReasonConstant, "a literal sqlseal cannot place in the text"))
			return
		}
		lits = append(lits, l)
	}
	a.literals = lits
	a.checkIndexes(seen)
}

// paramName names a parameter by its number, never by anything else of the
// text.
func paramName(p query.Param) string {
	return "parameter " + strconv.Itoa(p.Ordinal)
}

// toResults returns the result description of entries, nil when none may
// come from a protected column.
func toResults(entries []entry) []Result {
	need := false
	for _, e := range entries {
		if e.col != nil || (e.star != nil && len(e.star.Protected) > 0) {
			need = true
			break
		}
	}
	if !need {
		return nil
	}
	out := make([]Result, len(entries))
	for i, e := range entries {
		out[i] = Result{Column: e.col, Star: e.star, Check: e.check}
	}
	return out
}

// firstProtected returns the first protected column of rs.
func firstProtected(rs []Result) Column {
	for _, r := range rs {
		if r.Column != nil {
			return *r.Column
		}
		if r.Star != nil && len(r.Star.Protected) > 0 {
			return r.Star.Protected[0]
		}
	}
	return Column{}
}
