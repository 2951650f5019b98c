package analysis

import "github.com/sqlseal/sqlseal/internal/query"

// renamed applies a column alias list to entries.
func (a *analyzer) renamed(entries []entry, names []string) []entry {
	if len(names) == 0 {
		return entries
	}
	out := make([]entry, len(entries))
	copy(out, entries)
	for i, n := range names {
		if i >= len(out) {
			break
		}
		if out[i].star != nil {
			if len(out[i].star.Protected) > 0 {
				a.fail(refuseDetail(out[i].star.Protected[0], ReasonStar, "a column alias list over a *"))
			}
			return out
		}
		out[i].name = n
	}
	return out
}

// fromSources adds the FROM items to sc.
func (a *analyzer) fromSources(sc *scope, from []query.From) {
	for _, f := range from {
		switch v := f.(type) {
		case *query.TableRef:
			if v.Table.Schema == "" {
				if src := a.cteSource(sc, v.Table, v.Alias); src != nil {
					src.entries = a.renamed(src.entries, v.ColumnAliases)
					sc.sources = append(sc.sources, src)
					continue
				}
			}
			name := v.Alias
			if name == "" {
				name = v.Table.Name
			}
			t := v.Table
			if cs := a.prot.ofTable(t); len(cs) > 0 && len(v.ColumnAliases) > 0 {
				a.fail(refuseDetail(cs[0], ReasonStar, "a column alias list over its table"))
			}
			sc.sources = append(sc.sources, &source{name: name, alias: v.Alias != "", table: &t})
		case *query.SubqueryRef:
			outer := sc.parent
			if v.Lateral {
				outer = sc
			}
			entries := a.selectEntries(v.Query, outer)
			sc.sources = append(sc.sources, &source{name: v.Alias, entries: a.renamed(entries, v.ColumnAliases)})
		case *query.FuncRef:
			for _, e := range v.Args {
				a.scan(e, sc)
			}
			sc.sources = append(sc.sources, &source{name: v.Alias, opaque: true})
		}
	}
}

// selectScope builds the scope of a plain SELECT and checks its filters.
func (a *analyzer) selectScope(s *query.Select, parent *scope) *scope {
	sc := &scope{parent: parent}
	a.fromSources(sc, s.From)
	for _, e := range s.Filters {
		a.filter(e, sc)
	}
	for _, e := range s.Others {
		a.scan(e, sc)
	}
	return sc
}

// selectEntries analyses a query and returns its result columns.
func (a *analyzer) selectEntries(s *query.Select, parent *scope) []entry {
	parent = a.withCTEs(s.With, parent)
	switch {
	case len(s.SetArms) > 0:
		arms := make([][]entry, len(s.SetArms))
		for i, arm := range s.SetArms {
			arms[i] = a.selectEntries(arm, parent)
		}
		for _, e := range s.Others {
			a.scan(e, parent)
		}
		return a.mergeArms(arms)
	case s.Values != nil:
		var out []entry
		for _, row := range s.Values {
			for _, e := range row {
				a.scan(e, parent)
			}
			if out == nil {
				out = make([]entry, len(row))
			}
		}
		return out
	}
	sc := a.selectScope(s, parent)
	merged := mergesJoinColumns(s.Filters)
	var out []entry
	for _, it := range s.Items {
		if it.Star {
			exp := a.expandStar(sc, it.StarQualifier)
			if c, ok := anyProtected(exp); ok && merged && it.StarQualifier == "" {
				// JOIN ... USING and NATURAL JOIN put the merged columns
				// first: * no longer lists each table's columns in order.
				a.fail(refuseDetail(c, ReasonStar, "SELECT * over JOIN ... USING or NATURAL JOIN"))
			}
			out = append(out, exp...)
			continue
		}
		out = append(out, a.item(sc, it))
	}
	return out
}

// item analyses one select-list expression and returns its result column.
func (a *analyzer) item(sc *scope, it query.Item) entry {
	if sq, ok := stripTextCasts(it.Expr).(*query.Subquery); ok {
		// A scalar subquery's value comes from its one result column.
		e := entry{name: it.Alias}
		if entries := a.selectEntries(sq.Query, sc); len(entries) == 1 && entries[0].star == nil {
			e.col, e.check = entries[0].col, entries[0].check
		}
		return e
	}
	a.scan(it.Expr, sc)
	return a.itemEntry(sc, it)
}

// stripTextCasts removes casts to string types, which keep a value as is.
func stripTextCasts(x query.Expr) query.Expr {
	for {
		c, ok := x.(*query.Cast)
		if !ok || !c.TextLike {
			return x
		}
		x = c.X
	}
}

// itemEntry is the result column of one select-list expression.
func (a *analyzer) itemEntry(sc *scope, it query.Item) entry {
	e := entry{name: it.Alias}
	switch v := stripTextCasts(it.Expr).(type) {
	case *query.ColRef:
		if e.name == "" {
			e.name = v.Name
		}
		if col, check, maybe := a.resolve(sc, v); col != nil && !maybe {
			e.col, e.check = col, check
		}
	case *query.Null:
		e.null = true
	}
	return e
}

// expandStar returns the columns of * or q.*.
func (a *analyzer) expandStar(sc *scope, qualifier string) []entry {
	var out []entry
	for _, src := range sc.sources {
		if qualifier != "" && src.name != qualifier {
			continue
		}
		switch {
		case src.table != nil:
			out = append(out, entry{star: &Star{Table: *src.table, Protected: a.prot.ofTable(*src.table)}})
		case src.opaque:
			out = append(out, entry{star: &Star{}})
		default:
			out = append(out, src.entries...)
		}
	}
	return out
}

// mergeArms combines the result columns of a set operation. A position that
// mixes a protected column with anything but NULL is refused: opening it
// would decrypt values from an unprotected column.
func (a *analyzer) mergeArms(arms [][]entry) []entry {
	out := append([]entry(nil), arms[0]...)
	for _, arm := range arms[1:] {
		if len(arm) != len(out) || hasStar(arm) || hasStar(out) {
			if c, ok := anyProtected(arm); ok {
				a.fail(refuseDetail(c, ReasonStar, "a set operation over *"))
			} else if c, ok := anyProtected(out); ok {
				a.fail(refuseDetail(c, ReasonStar, "a set operation over *"))
			}
			return nil
		}
		for i := range out {
			x, y := out[i], arm[i]
			switch {
			case x.null:
				out[i].col, out[i].null, out[i].check = y.col, y.null, y.check
			case y.null:
			case (x.col == nil) != (y.col == nil) || (x.col != nil && *x.col != *y.col):
				c := x.col
				if c == nil {
					c = y.col
				}
				a.fail(refuse(*c, ReasonMixed))
				return nil
			case out[i].check == "":
				// Opened only if every arm's check holds; failing one
				// leaves ciphertext unopened, which leaks nothing.
				out[i].check = y.check
			}
		}
	}
	return out
}

func hasStar(es []entry) bool {
	for _, e := range es {
		if e.star != nil {
			return true
		}
	}
	return false
}

func anyProtected(es []entry) (Column, bool) {
	for _, e := range es {
		if e.col != nil {
			return *e.col, true
		}
		if e.star != nil && len(e.star.Protected) > 0 {
			return e.star.Protected[0], true
		}
	}
	return Column{}, false
}

// mergesJoinColumns reports whether a select joins with USING or NATURAL,
// which merge the join columns.
func mergesJoinColumns(filters []query.Expr) bool {
	for _, f := range filters {
		if op, ok := f.(*query.Op); ok && (op.Kind == query.OpJoinUsing || op.Kind == query.OpNaturalJoin) {
			return true
		}
	}
	return false
}
