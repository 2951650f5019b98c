package analysis

import (
	"sort"

	"github.com/sqlseal/sqlseal/internal/query"
)

// refuseSibling refuses a statement that writes the blind index column of
// c directly: its terms are sqlseal's to write.
func (a *analyzer) refuseSibling(c Column) {
	a.fail(refuseDetail(c, ReasonIndexWrite, "writes its blind index column directly"))
}

// insertIndexes records the sibling values of an INSERT that writes
// blind-indexed columns, after a.insert has checked the values themselves,
// or refuses the statement.
func (a *analyzer) insertIndexes(ins *query.Insert, targets []*Column) {
	if len(a.prot.index) == 0 {
		return
	}
	for _, name := range ins.Columns {
		if c, ok := a.prot.siblingOf(ins.Table, name); ok {
			a.refuseSibling(c)
			return
		}
	}
	for _, as := range ins.OnConflict {
		if c, ok := a.prot.siblingOf(ins.Table, as.Column); ok {
			a.refuseSibling(c)
			return
		}
	}
	for i, t := range targets {
		if t == nil {
			continue
		}
		if _, ok := a.prot.index[*t]; !ok {
			continue
		}
		if ins.Query != nil {
			a.fail(refuseDetail(*t, ReasonIndexWrite, "writes it with INSERT ... SELECT, whose values its blind index cannot follow"))
			return
		}
		if len(ins.Rows) == 0 {
			continue
		}
		if ins.SetForm {
			// INSERT ... SET col = value: the sibling is assigned after it.
			var rowAt []int
			if len(ins.RowAt) == 1 {
				rowAt = ins.RowAt[0]
			}
			if len(ins.Rows) == 1 && i < len(ins.Rows[0]) {
				a.indexValue(EditAddAssign, *t, ins.Rows[0][i], atOf(rowAt, i), 0)
			}
			continue
		}
		end, ok := a.tokenEnd(atOf(ins.ColumnAt, i))
		if !ok {
			a.fail(refuseDetail(*t, ReasonIndexWrite, "writes it where sqlseal cannot add its blind index column (this SQL dialect, or an unusual form)"))
			return
		}
		a.edits = append(a.edits, Edit{Start: end, End: end, Kind: EditAddColumn, Column: *t})
		for r, row := range ins.Rows {
			var rowAt []int
			if r < len(ins.RowAt) {
				rowAt = ins.RowAt[r]
			}
			if i >= len(row) {
				continue // the server rejects a short row
			}
			// The first value of a row follows the row's own "(".
			opens := 0
			if i == 0 {
				opens = 1
			}
			a.indexValue(EditAddValue, *t, row[i], atOf(rowAt, i), opens)
		}
	}
	for _, as := range ins.OnConflict {
		if c, ok := a.prot.lookup(ins.Table, as.Column); ok {
			if _, ok := a.prot.index[c]; ok {
				a.indexValue(EditAddAssign, c, as.Value, as.ValueAt, 0)
			}
		}
	}
}

// updateIndexes records the sibling values of an UPDATE that assigns
// blind-indexed columns, or refuses it.
func (a *analyzer) updateIndexes(u *query.Update, level *scope) {
	if len(a.prot.index) == 0 {
		return
	}
	// Refuse an assignment to a sibling in any table it may target:
	// MySQL resolves an unqualified name among all tables of the UPDATE.
	for _, as := range u.Set {
		for _, src := range level.sources {
			if src.table == nil || (as.Qualifier != "" && as.Qualifier != src.name) {
				continue
			}
			if c, ok := a.prot.siblingOf(*src.table, as.Column); ok {
				a.refuseSibling(c)
				return
			}
		}
	}
	for _, as := range u.Set {
		table := &u.Table
		if as.Qualifier != "" {
			table = nil
			for _, src := range level.sources {
				if src.name == as.Qualifier {
					table = src.table
				}
			}
		}
		c, ok := a.setTarget(table, as, level)
		if !ok {
			continue
		}
		if _, ok := a.prot.index[c]; !ok {
			continue
		}
		if as.Qualifier != "" {
			a.fail(refuseDetail(c, ReasonIndexWrite, "assigns it with a qualified name, where sqlseal cannot add its blind index column"))
			return
		}
		if ref, ok := as.Value.(*query.ColRef); ok && !ownColumn(level, ref) {
			a.fail(refuseDetail(c, ReasonIndexWrite, "copies into it a column of another row or table, whose blind index term sqlseal cannot follow"))
			return
		}
		a.indexValue(EditAddAssign, c, as.Value, as.ValueAt, 0)
	}
}

// ownColumn reports whether ref, copied onto the column of the same name
// by an UPDATE whose sources are level's (the target first), certainly
// names the target row's own column, whose term then stays right: a
// reference qualified by the target's name, or unqualified in an UPDATE
// without other sources. Through another source (FROM the same table
// under another alias, a WITH entry, a derived table) it may be another
// row's value, with another term.
func ownColumn(level *scope, ref *query.ColRef) bool {
	if level == nil || len(level.sources) == 0 || !level.sources[0].target || ref.Schema != "" {
		return false
	}
	if ref.Qualifier != "" {
		return ref.Qualifier == level.sources[0].name
	}
	return len(level.sources) == 1
}

// atOf returns ats[i], 0 when out of range.
func atOf(ats []int, i int) int {
	if i < len(ats) {
		return ats[i]
	}
	return 0
}

// tokenEnd returns the end of the token at position at (one plus its
// offset, as the model records it).
func (a *analyzer) tokenEnd(at int) (int, bool) {
	sp, ok := a.parser.(query.Spanner)
	if !ok || at <= 0 {
		return 0, false
	}
	return sp.TokenEnd(a.sql, at-1)
}

// bare reports whether the token at position at (one plus its offset) is
// preceded by exactly opens opening parentheses: not in parentheses of its
// own. A front-end that cannot tell gets false.
func (a *analyzer) bare(at, opens int) bool {
	en, ok := a.parser.(query.Encloser)
	if !ok || at <= 0 {
		return false
	}
	n, ok := en.OpensBefore(a.sql, at-1)
	return ok && n == opens
}

// indexValue records the sibling value that follows the value e written
// to blind-indexed column c, which starts at position at and is preceded
// by opens opening parentheses that are not its own (the row's, for the
// first value of a VALUES row). A value in parentheses of its own, (?) or
// ('x'), is refused: the sibling's value would land inside them.
func (a *analyzer) indexValue(kind EditKind, c Column, e query.Expr, at, opens int) {
	cannot := func() {
		a.fail(refuseDetail(c, ReasonIndexWrite, "writes it where sqlseal cannot add its blind index column (this SQL dialect, or an unusual form)"))
	}
	switch e.(type) {
	case *query.Param, *query.Literal, *query.Null, *query.Default, *query.Excluded:
		if !a.bare(at, opens) {
			a.fail(refuseDetail(c, ReasonIndexWrite, "writes it with a value in parentheses (write the value without them)"))
			return
		}
	}
	ed := Edit{Kind: kind, Column: c}
	var end int
	var ok bool
	switch v := e.(type) {
	case *query.Param:
		ed.Source, ed.Param = SourceParam, *v
		end, ok = a.tokenEnd(at)
	case *query.Literal:
		if !a.placed(c, v, ReasonIndexWrite) {
			return
		}
		ed.Source, ed.LitStart, ed.LitEnd = SourceLiteral, v.Start, v.End
		end, ok = v.End, at-1 == v.Start
	case *query.Null:
		ed.Source = SourceNull
		end, ok = a.tokenEnd(at)
	case *query.Default:
		ed.Source = SourceDefault
		end, ok = a.tokenEnd(at)
	case *query.Excluded:
		if es, isCall := a.parser.(query.ExcludedSpanner); isCall {
			if at <= 0 {
				cannot()
				return
			}
			ed.Source, ed.RefStart = SourceExcluded, at-1
			ed.NameStart, ed.NameEnd, end, ok = es.ExcludedSpan(a.sql, at-1)
			break
		}
		sp, isSpanner := a.parser.(query.Spanner)
		if !isSpanner || at <= 0 {
			cannot()
			return
		}
		ed.Source = SourceExcluded
		_, end, ok = sp.NameSpan(a.sql, at-1)
	case *query.ColRef:
		// The row's own column copied onto itself (writeValue refused any
		// other column, updateIndexes a column of another row): its blind
		// index stays right.
		return
	default:
		a.fail(refuseDetail(c, ReasonIndexWrite, "writes it with a value its blind index cannot follow (a cast or an expression)"))
		return
	}
	if !ok {
		cannot()
		return
	}
	ed.Start, ed.End = end, end
	a.edits = append(a.edits, ed)
}

// checkIndexes checks the parameters compared with blind-indexed columns
// (each compared with one column only, and used nowhere else: its
// argument is replaced by a term), orders the edits, checks that they do
// not overlap one another or the sealed literals, and numbers the
// placeholders they add. sealed holds the parameters sealed for protected
// columns.
func (a *analyzer) checkIndexes(sealed map[query.Param]Column) {
	if len(a.edits) == 0 && len(a.terms) == 0 {
		return
	}
	seen := map[query.Param]Column{}
	terms := a.terms[:0]
	for _, t := range a.terms {
		if _, ok := sealed[t.Param]; ok || a.other[t.Param] {
			a.fail(refuseDetail(t.Column, ReasonSharedParam, paramName(t.Param)))
			return
		}
		if c, ok := seen[t.Param]; ok {
			if c != t.Column {
				a.fail(refuseDetail(t.Column, ReasonSharedParam, paramName(t.Param)))
				return
			}
			continue
		}
		seen[t.Param] = t.Column
		terms = append(terms, t)
	}
	a.terms = terms
	sort.SliceStable(a.terms, func(i, j int) bool { return a.terms[i].Ordinal < a.terms[j].Ordinal })
	for p := range a.other {
		a.noteParam(p)
	}
	for p := range sealed {
		a.noteParam(p)
	}
	for p := range seen {
		a.noteParam(p)
	}
	if err := a.numberParams(); err != nil {
		return
	}
	// In text order; at one position, insertions before replacements.
	sort.SliceStable(a.edits, func(i, j int) bool {
		x, y := a.edits[i], a.edits[j]
		return x.Start < y.Start || (x.Start == y.Start && x.End < y.End)
	})
	// Where the driver binds placeholders by position, the engine puts
	// the argument of an added one among the others by the count of
	// placeholders before it.
	var offs []int
	if pp, ok := a.parser.(query.PositionalParams); ok && len(a.edits) > 0 {
		offs = pp.ParamOffsets(a.sql)
		if len(offs) != a.maxParam || !sort.IntsAreSorted(offs) {
			a.fail(refuseDetail(a.edits[0].Column, ReasonIndexWrite, "sqlseal cannot place its blind index values among the placeholders of this text"))
			return
		}
		a.positional = true
	}
	last, li := 0, 0
	next := a.maxParam
	for i := range a.edits {
		ed := &a.edits[i]
		// Literals sealed before this edit must end at or before it, and
		// none may start inside it.
		for li < len(a.literals) && a.literals[li].End <= ed.Start {
			li++
		}
		if ed.Start < last || (li < len(a.literals) && a.literals[li].Start < ed.End) ||
			(li < len(a.literals) && a.literals[li].Start < ed.Start) {
			a.fail(refuseDetail(ed.Column, ReasonIndexWrite, "changes the text where sqlseal cannot rewrite it"))
			return
		}
		last = ed.End
		if offs != nil {
			ed.ParamsBefore = sort.SearchInts(offs, ed.Start)
		}
		if ed.Source == SourceParam {
			if ed.Param.Name != "" {
				a.fail(refuseDetail(ed.Column, ReasonIndexWrite, "writes it with a named parameter, after which sqlseal cannot add a placeholder"))
				return
			}
			next++
			ed.NewParam = next
		}
	}
}

// noteParam records the ordinal of a parameter. A named one has one too
// only in SQLite (its parameter index, which a placeholder sqlseal adds
// must not reuse); elsewhere its Ordinal is 0.
func (a *analyzer) noteParam(p query.Param) {
	if p.Ordinal > a.maxParam {
		a.maxParam = p.Ordinal
	}
}

// numberParams adds, when the edits add placeholders in a dialect that
// numbers anonymous ones after the largest before them, the edits that
// write each anonymous placeholder with its number. A text of several
// statements, whose numbering restarts in each, is refused.
func (a *analyzer) numberParams() error {
	var added *Edit
	for i := range a.edits {
		if a.edits[i].Source == SourceParam || hasParamValue(a.edits[i].Values) {
			added = &a.edits[i]
			break
		}
	}
	if added == nil {
		return nil
	}
	c := added.Column
	if a.statements > 1 {
		err := refuseDetail(c, ReasonIndexWrite, "writes it in a text of several statements, where sqlseal cannot add its blind index value")
		a.fail(err)
		return err
	}
	n, ok := a.parser.(query.ParamNumberer)
	if !ok {
		return nil
	}
	reps, err := n.NumberedParams(a.sql)
	if err != nil {
		err := refuseDetail(c, ReasonIndexWrite, "writes it where sqlseal cannot add its blind index value")
		a.fail(err)
		return err
	}
	for _, r := range reps {
		a.edits = append(a.edits, Edit{Start: r.Start, End: r.End, Kind: EditNumberParam, Column: c, Text: r.Text})
	}
	return nil
}

// hasParamValue reports whether a lookup compares with a parameter, whose
// older terms are bound to placeholders added while an index key rotates.
func hasParamValue(vs []LookupValue) bool {
	for _, v := range vs {
		if v.Source == SourceParam {
			return true
		}
	}
	return false
}
