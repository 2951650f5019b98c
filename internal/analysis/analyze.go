// Package analysis decides, for one SQL text, which values a statement
// writes to protected columns, which of its result columns come from them,
// and whether it must be refused. It works on the dialect-neutral model of
// package query, so every dialect shares the same rules:
//
//	plan := analysis.Analyze(postgres.Parser{}, protected, sql)
//	if plan.Err != nil { /* refuse: nothing is sent */ }
//	for _, p := range plan.Params { /* seal argument p.Ordinal for p.Column */ }
//
// The rules fail closed: a value bound for a protected column must be a bare
// parameter or literal (optionally cast to a string type), NULL, DEFAULT, the
// upsert's proposed value for the same column, or the same column copied
// onto itself; anything else is refused, as is any comparison against a
// protected column and any text that cannot be parsed but names a protected
// table.
package analysis

import (
	"fmt"
	"sort"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Analyze returns the plan for sql. It never returns nil.
func Analyze(parser query.Parser, prot *Protected, sql string) *Plan {
	stmts, err := parser.Parse(sql)
	if err != nil {
		if c, ok := prot.mentioned(sql); ok {
			return &Plan{Err: refuse(c, "the statement names its table but the SQL parser rejects it",
				"fix the syntax, or run statements that sqlseal cannot parse without touching protected tables")}
		}
		return inertPlan
	}
	a := &analyzer{prot: prot, sql: sql, other: map[int]bool{}}
	var results []Result
	returning := 0
	for _, st := range stmts {
		entries := a.statement(st, nil)
		if a.err != nil {
			return &Plan{Err: a.err}
		}
		if r := toResults(entries); r != nil {
			results = r
			returning++
		}
	}
	if results != nil && len(stmts) > 1 {
		c := firstProtected(results)
		return &Plan{Err: refuse(c, "a text of several statements returns it",
			"run the statement that reads it on its own")}
	}
	a.checkParams()
	if a.err != nil {
		return &Plan{Err: a.err}
	}
	if len(a.params) == 0 && len(a.literals) == 0 && results == nil {
		return inertPlan
	}
	sort.Slice(a.params, func(i, j int) bool { return a.params[i].Ordinal < a.params[j].Ordinal })
	sort.Slice(a.literals, func(i, j int) bool { return a.literals[i].Start < a.literals[j].Start })
	return &Plan{Params: a.params, Literals: a.literals, Results: results}
}

type analyzer struct {
	prot     *Protected
	sql      string
	params   []ParamTarget
	literals []LiteralTarget
	other    map[int]bool // parameter ordinals used outside a protected write
	err      error
}

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
	case *query.Utility:
	default:
		if c, ok := a.prot.mentioned(a.sql); ok {
			a.fail(refuse(c, fmt.Sprintf("a statement of a kind sqlseal does not analyse (%T) names its table", st), hintPlain))
		}
	}
	return nil
}

func (a *analyzer) opaque(s *query.Opaque) {
	for _, t := range s.Writes {
		if cs := a.prot.ofTable(t); len(cs) > 0 {
			a.fail(refuse(cs[0], s.What+" writes to its table",
				"sqlseal cannot seal values written by "+s.What+"; write them with INSERT or UPDATE through sqlseal"))
			return
		}
	}
	if blind(s) {
		// EXECUTE runs a statement prepared earlier with SQL-level
		// PREPARE, PREPARE ... FROM @var a text sqlseal cannot see, BINLOG
		// replays raw row events, and a SET of MySQL's sql_mode or
		// PostgreSQL's standard_conforming_strings that changes quoting
		// would make later statements read differently from how sqlseal
		// parses them: refuse while any column is protected.
		if cs := a.prot.Columns(); len(cs) > 0 {
			a.fail(refuse(cs[0], "SQL-level "+s.What+" may write it with values sqlseal cannot see",
				"use the driver's prepared statements (db.Prepare) instead of PREPARE/EXECUTE"))
		}
		return
	}
	if len(s.Writes) == 0 && len(s.Reads) == 0 {
		if c, ok := a.prot.mentioned(a.sql); ok {
			a.fail(refuse(c, s.What+" names its table and sqlseal cannot see what it writes",
				"write protected columns with INSERT or UPDATE through sqlseal"))
		}
	}
}

// checkParams refuses a parameter that is sealed for a protected column and
// also used elsewhere, where the ciphertext would land unexpectedly.
func (a *analyzer) checkParams() {
	seen := map[int]Column{}
	for _, p := range a.params {
		if a.other[p.Ordinal] {
			a.fail(refuse(p.Column, fmt.Sprintf("parameter %d is bound to it and also used elsewhere in the statement", p.Ordinal),
				"pass the value as two separate parameters"))
			return
		}
		if c, ok := seen[p.Ordinal]; ok && c != p.Column {
			a.fail(refuse(p.Column, fmt.Sprintf("parameter %d is bound to it and to %s", p.Ordinal, c),
				"pass the value as two separate parameters"))
			return
		}
		seen[p.Ordinal] = p.Column
	}
}

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

// blind reports whether an opaque statement may write any table with values
// the text does not show.
func blind(s *query.Opaque) bool {
	switch s.What {
	case "EXECUTE", "BINLOG", "SET sql_mode", "SET standard_conforming_strings":
		return true
	case "PREPARE":
		return len(s.Writes) == 0 && len(s.Reads) == 0
	}
	return false
}
