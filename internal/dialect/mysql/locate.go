package mysql

import (
	"strings"

	"github.com/sqlseal/sqlseal/internal/query"
)

// The TiDB parser records no position for column names, column lists or
// most values, which blind index rewrites need (query.Spanner). locate
// finds them in the tokens of the text, anchored on what is known for
// certain (the offsets of ? placeholders and of located string literals)
// or on the clause structure of INSERT and UPDATE, and checks every
// position against the lowered statement: a name token must spell the
// column the statement names, a value must be one token that the clause's
// commas delimit. What does not check out stays unknown (0), and the
// analysis refuses a rewrite that needs it.

// locator holds the tokens of a single-statement text.
type locator struct {
	toks    []lexTok
	paramAt []int // offset of the placeholder of each ordinal, minus one
}

// locate records the positions of stmt, the only statement of sql.
func locate(sql string, stmt query.Statement) {
	l := &locator{toks: lexTokens(sql), paramAt: scan(sql).paramAt}
	switch s := stmt.(type) {
	case *query.Insert:
		l.insert(s)
	case *query.Update:
		if set := l.word("set", 0); set >= 0 {
			s.Set = l.assigns(s.Set, set+1, "where", "order", "limit")
		}
	}
	var joins []*query.Op
	query.Walk([]query.Statement{stmt}, func(e query.Expr) {
		if op, ok := e.(*query.Op); ok {
			if l.comparison(op) {
				joins = append(joins, op)
			}
		}
	})
	l.joins(joins)
}

// joins locates the comparisons of two column references (a.col =
// b.col), which have no known offset to anchor on. Each must be written
// as exactly the two references around "=", between tokens that bind
// less tightly than "=" (so that the text is not part of another
// expression), and the text must hold as many such occurrences of the
// same references as there are comparisons of them: then, being the same
// text, which is which does not matter.
func (l *locator) joins(ops []*query.Op) {
	groups := map[string][]*query.Op{}
	var keys []string
	for _, op := range ops {
		a, b := op.Args[0].(*query.ColRef), op.Args[1].(*query.ColRef)
		k := strings.Join(refParts(a), ".") + "=" + strings.Join(refParts(b), ".")
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], op)
	}
	for _, k := range keys {
		group := groups[k]
		a, b := group[0].Args[0].(*query.ColRef), group[0].Args[1].(*query.ColRef)
		var found [][2]int
		for i := range l.toks {
			if !l.refFrom(i, a) {
				continue
			}
			eq := i + 2*len(refParts(a)) - 1
			if eq+1 >= len(l.toks) || !l.toks[eq].is("=") || !l.refFrom(eq+1, b) {
				continue
			}
			after := eq + 1 + 2*len(refParts(b)) - 1
			if (i > 0 && !joinBefore[l.toks[i-1].text]) || (after < len(l.toks) && !joinAfter[l.toks[after].text]) ||
				(i > 0 && l.toks[i-1].kind != lexPunct && l.toks[i-1].kind != lexWord) ||
				(after < len(l.toks) && l.toks[after].kind != lexPunct && l.toks[after].kind != lexWord) {
				return
			}
			found = append(found, [2]int{i, eq + 1})
		}
		if len(found) != len(group) {
			return
		}
		for n, op := range group {
			x, y := op.Args[0].(*query.ColRef), op.Args[1].(*query.ColRef)
			x.At, y.At = l.toks[found[n][0]].start+1, l.toks[found[n][1]].start+1
			op.ArgAt = []int{x.At, y.At}
		}
	}
}

// joinBefore and joinAfter are the tokens that may come right before and
// after a located a.col = b.col: they bind less tightly than "=".
var (
	joinBefore = map[string]bool{"(": true, ",": true, "and": true, "or": true, "xor": true, "not": true,
		"on": true, "where": true, "having": true, "when": true, "then": true, "else": true, "&&": true, "||": true}
	joinAfter = map[string]bool{")": true, ",": true, ";": true, "and": true, "or": true, "xor": true,
		"where": true, "group": true, "order": true, "limit": true, "having": true, "join": true, "inner": true,
		"left": true, "right": true, "cross": true, "straight_join": true, "natural": true, "union": true,
		"on": true, "then": true, "else": true, "end": true, "when": true, "&&": true, "||": true}
)

// word returns the index of the first token from index from that is the
// word w outside parentheses, -1 if none is.
func (l *locator) word(w string, from int) int {
	depth := 0
	for k := from; k < len(l.toks); k++ {
		t := l.toks[k]
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
		case depth == 0 && t.is(w):
			return k
		}
	}
	return -1
}

// insert locates the column list, the VALUES rows or SET values, and the
// ON DUPLICATE KEY UPDATE values of an INSERT or REPLACE.
func (l *locator) insert(ins *query.Insert) {
	if dup := l.word("duplicate", 0); dup >= 3 && l.toks[dup-1].is("on") &&
		dup+2 < len(l.toks) && l.toks[dup+1].is("key") && l.toks[dup+2].is("update") {
		ins.OnConflict = l.assigns(ins.OnConflict, dup+3, "returning")
	}
	if ins.Query != nil || len(ins.Rows) == 0 {
		return
	}
	if ins.SetForm {
		set := l.word("set", 0)
		if set < 0 || len(ins.Rows) != 1 {
			return
		}
		as := make([]query.Assign, len(ins.Columns))
		for i, c := range ins.Columns {
			as[i] = query.Assign{Column: c, Value: ins.Rows[0][i]}
		}
		as = l.assigns(as, set+1, "on", "returning")
		row := make([]int, len(as))
		for i, a := range as {
			row[i] = a.ValueAt
		}
		ins.RowAt = [][]int{row}
		return
	}
	v := l.word("values", 0)
	if v < 0 {
		v = l.word("value", 0)
	}
	if v < 1 {
		return
	}
	if ins.Columns != nil {
		ins.ColumnAt = l.columnList(v-1, ins.Columns)
	}
	ins.RowAt = l.rows(v+1, ins.Rows)
}

// columnList locates the names of the column list that ends with the ")"
// at index end, if it lists cols.
func (l *locator) columnList(end int, cols []string) []int {
	if !l.toks[end].is(")") {
		return nil
	}
	open := opening(l.toks, end)
	if open < 1 || !l.toks[open-1].isName() {
		return nil
	}
	parts := split(l.toks, open+1, end)
	if len(parts) != len(cols) {
		return nil
	}
	at := make([]int, len(cols))
	for i, p := range parts {
		last := l.ref(p[0], p[1])
		if last < 0 || l.toks[last].text != cols[i] {
			return nil
		}
		at[i] = l.toks[last].start + 1
	}
	return at
}

// ref returns the index of the last name of the dotted name that is
// exactly toks[from:to], -1 if it is anything else.
func (l *locator) ref(from, to int) int {
	if to <= from || (to-from)%2 == 0 {
		return -1
	}
	for k := from; k < to; k++ {
		if (k-from)%2 == 0 && !l.toks[k].isName() || (k-from)%2 == 1 && !l.toks[k].is(".") {
			return -1
		}
	}
	return to - 1
}

// rows locates the values of the VALUES rows that start at index from.
func (l *locator) rows(from int, rows [][]query.Expr) [][]int {
	out := make([][]int, 0, len(rows))
	k := from
	for r, row := range rows {
		if r > 0 {
			if k >= len(l.toks) || !l.toks[k].is(",") {
				return nil
			}
			k++
		}
		if k < len(l.toks) && l.toks[k].is("row") {
			k++
		}
		if k >= len(l.toks) || !l.toks[k].is("(") {
			return nil
		}
		end := closing(l.toks, k)
		if end < 0 {
			return nil
		}
		parts := split(l.toks, k+1, end)
		if len(parts) != len(row) {
			return nil
		}
		at := make([]int, len(row))
		for i, p := range parts {
			at[i] = l.value(p[0], p[1], row[i])
		}
		out = append(out, at)
		k = end + 1
	}
	return out
}

// value returns one plus the offset of the value e whose text is exactly
// toks[from:to]: one token (a placeholder, a string, NULL, DEFAULT), a run
// of strings, or VALUES(col); 0 for anything else.
func (l *locator) value(from, to int, e query.Expr) int {
	if to <= from {
		return 0
	}
	first := l.toks[from]
	switch v := e.(type) {
	case *query.Param:
		if to-from == 1 && first.kind == lexParam && v.Ordinal >= 1 && v.Ordinal <= len(l.paramAt) && l.paramAt[v.Ordinal-1] == first.start {
			return first.start + 1
		}
	case *query.Literal:
		if v.String && v.Start == first.start && v.End == l.toks[to-1].end {
			return first.start + 1
		}
	case *query.Null:
		if to-from == 1 && first.is("null") {
			return first.start + 1
		}
	case *query.Default:
		if to-from == 1 && first.is("default") {
			return first.start + 1
		}
	case *query.Excluded:
		if to-from >= 4 && first.is("values") && l.toks[from+1].is("(") && l.toks[to-1].is(")") {
			if last := l.ref(from+2, to-1); last >= 0 && l.toks[last].text == v.Column {
				return first.start + 1
			}
		}
	}
	return 0
}

// assigns locates the values of the assignment list as that starts at
// index from and ends at the first of the words ends outside parentheses
// (or the end of the text), if the list assigns the columns of as in
// order.
func (l *locator) assigns(as []query.Assign, from int, ends ...string) []query.Assign {
	to := len(l.toks)
	for _, w := range ends {
		if k := l.word(w, from); k >= 0 && k < to {
			to = k
		}
	}
	if k := l.word(";", from); k >= 0 && k < to {
		to = k
	}
	parts := split(l.toks, from, to)
	if len(parts) != len(as) {
		return as
	}
	ats := make([]int, len(as))
	for i, p := range parts {
		eq := -1
		for k := p[0]; k < p[1]; k++ {
			if l.toks[k].is("=") || l.toks[k].is(":=") {
				eq = k
				break
			}
		}
		if eq < 0 {
			return as
		}
		last := l.ref(p[0], eq)
		if last < 0 || l.toks[last].text != as[i].Column {
			return as
		}
		ats[i] = l.value(eq+1, p[1], as[i].Value)
	}
	out := make([]query.Assign, len(as))
	copy(out, as)
	for i := range out {
		out[i].ValueAt = ats[i]
	}
	return out
}

// start returns the offset of a placeholder or located string literal,
// and the index of its first token.
func (l *locator) start(e query.Expr) (int, bool) {
	switch v := e.(type) {
	case *query.Param:
		if v.Ordinal >= 1 && v.Ordinal <= len(l.paramAt) {
			return l.paramAt[v.Ordinal-1], true
		}
	case *query.Literal:
		if v.String && v.End > v.Start {
			return v.Start, true
		}
	}
	return 0, false
}

// end returns the offset just past a placeholder or located string
// literal.
func (l *locator) end(e query.Expr) (int, bool) {
	s, ok := l.start(e)
	if !ok {
		return 0, false
	}
	if lit, isLit := e.(*query.Literal); isLit {
		return lit.End, true
	}
	return s + 1, true
}

// refBefore returns the index of the first token of the column reference
// ref that ends at toks[i], -1 if the tokens there are not ref.
func (l *locator) refBefore(i int, ref *query.ColRef) int {
	parts := refParts(ref)
	k := i
	for p := len(parts) - 1; p >= 0; p-- {
		if k < 0 || !l.toks[k].isName() || l.toks[k].text != parts[p] {
			return -1
		}
		if p > 0 {
			if k < 1 || !l.toks[k-1].is(".") {
				return -1
			}
			k -= 2
		}
	}
	if k > 0 && l.toks[k-1].is(".") {
		return -1
	}
	return k
}

// refFrom reports whether the tokens from index i are exactly the column
// reference ref, not followed by "." or "(".
func (l *locator) refFrom(i int, ref *query.ColRef) bool {
	parts := refParts(ref)
	k := i
	for p, name := range parts {
		if k >= len(l.toks) || !l.toks[k].isName() || l.toks[k].text != name {
			return false
		}
		k++
		if p < len(parts)-1 {
			if k >= len(l.toks) || !l.toks[k].is(".") {
				return false
			}
			k++
		}
	}
	return k >= len(l.toks) || !l.toks[k].is(".") && !l.toks[k].is("(")
}

// refParts returns the names of ref as written: schema, table, column.
func refParts(ref *query.ColRef) []string {
	var parts []string
	if ref.Schema != "" {
		parts = append(parts, ref.Schema)
	}
	if ref.Qualifier != "" {
		parts = append(parts, ref.Qualifier)
	}
	return append(parts, ref.Name)
}

// comparison locates col = value, value = col and col IN (value, ...),
// anchored on the value's known offset. It reports a comparison of two
// column references, for joins.
func (l *locator) comparison(op *query.Op) bool {
	if op.Kind != query.OpOperator || len(op.Args) < 2 {
		return false
	}
	switch {
	case op.Name == "operator =" && len(op.Args) == 2:
		_, ref0 := op.Args[0].(*query.ColRef)
		_, ref1 := op.Args[1].(*query.ColRef)
		if ref0 && ref1 {
			return true
		}
		if ref, ok := op.Args[0].(*query.ColRef); ok {
			s, ok := l.start(op.Args[1])
			j := lexAt(l.toks, s)
			if !ok || j < 2 || !l.toks[j-1].is("=") {
				return false
			}
			if f := l.refBefore(j-2, ref); f >= 0 {
				ref.At = l.toks[f].start + 1
				op.ArgAt = []int{ref.At, s + 1}
			}
			return false
		}
		if ref, ok := op.Args[1].(*query.ColRef); ok {
			s, ok1 := l.start(op.Args[0])
			e, ok2 := l.end(op.Args[0])
			j := lexAfter(l.toks, e)
			if !ok1 || !ok2 || lexAt(l.toks, s) < 0 || j+1 >= len(l.toks) || !l.toks[j].is("=") {
				return false
			}
			if l.refFrom(j+1, ref) {
				ref.At = l.toks[j+1].start + 1
				op.ArgAt = []int{s + 1, ref.At}
			}
		}
	case op.Name == "operator IN":
		ref, ok := op.Args[0].(*query.ColRef)
		if !ok {
			return false
		}
		s, ok := l.start(op.Args[1])
		j := lexAt(l.toks, s)
		if !ok || j < 3 || !l.toks[j-1].is("(") || !l.toks[j-2].is("in") {
			return false
		}
		f := l.refBefore(j-3, ref)
		if f < 0 {
			return false
		}
		ref.At = l.toks[f].start + 1
		end := closing(l.toks, j-1)
		if end < 0 {
			return false
		}
		parts := split(l.toks, j, end)
		if len(parts) != len(op.Args)-1 {
			return false
		}
		at := []int{ref.At}
		for i, p := range parts {
			x := op.Args[i+1]
			if _, isNull := x.(*query.Null); isNull {
				at = append(at, l.value(p[0], p[1], x))
				continue
			}
			xs, ok := l.start(x)
			if !ok || l.value(p[0], p[1], x) != xs+1 {
				return false
			}
			at = append(at, xs+1)
		}
		op.ArgAt = at
	}
	return false
}
