package analysis

import (
	"strings"

	"github.com/sqlseal/sqlseal/internal/query"
)

func targetSource(t query.Table, alias string) *source {
	name := alias
	if name == "" {
		name = t.Name
	}
	return &source{name: name, table: &t}
}

func (a *analyzer) returning(items []query.Item, sc *scope) []entry {
	var out []entry
	for _, it := range items {
		if it.Star {
			out = append(out, a.expandStar(sc, it.StarQualifier)...)
			continue
		}
		out = append(out, a.item(sc, it))
	}
	return out
}

func (a *analyzer) insert(ins *query.Insert, parent *scope) []entry {
	sc := a.withCTEs(ins.With, parent)
	cols := a.prot.ofTable(ins.Table)
	if len(cols) > 0 && ins.Columns == nil && (ins.Rows != nil || ins.Query != nil) {
		a.fail(refuse(cols[0], "an INSERT without a column list writes its table",
			"name the columns in the INSERT so sqlseal can see which value goes to the protected column"))
		return nil
	}
	targets := make([]*Column, len(ins.Columns))
	for i, name := range ins.Columns {
		if c, ok := a.prot.lookup(ins.Table, name); ok {
			targets[i] = &c
		}
	}
	for _, row := range ins.Rows {
		a.valuesRow(row, targets, sc)
	}
	if ins.Query != nil {
		a.insertQuery(ins.Query, targets, sc)
	}
	target := targetSource(ins.Table, ins.Alias)
	upsert := &scope{sources: []*source{target}, parent: sc}
	for _, as := range ins.OnConflict {
		if c, ok := a.prot.lookup(ins.Table, as.Column); ok {
			a.writeValue(c, as.Value, upsert, true)
		} else {
			a.scan(as.Value, upsert)
		}
	}
	for _, e := range ins.ConflictFilters {
		a.filter(e, upsert)
	}
	return a.returning(ins.Returning, &scope{sources: []*source{target}, parent: sc})
}

func (a *analyzer) valuesRow(row []query.Expr, targets []*Column, sc *scope) {
	for i, e := range row {
		if i < len(targets) && targets[i] != nil {
			a.writeValue(*targets[i], e, sc, false)
		} else {
			a.scan(e, sc)
		}
	}
}

// insertQuery checks the source query of INSERT ... SELECT position by
// position against the target columns.
func (a *analyzer) insertQuery(s *query.Select, targets []*Column, parent *scope) {
	protected := false
	for _, t := range targets {
		protected = protected || t != nil
	}
	if !protected {
		a.selectEntries(s, parent)
		return
	}
	parent = a.withCTEs(s.With, parent)
	switch {
	case len(s.SetArms) > 0:
		for _, arm := range s.SetArms {
			a.insertQuery(arm, targets, parent)
		}
		for _, e := range s.Others {
			a.scan(e, parent)
		}
		return
	case s.Values != nil:
		for _, row := range s.Values {
			a.valuesRow(row, targets, parent)
		}
		return
	}
	sc := a.selectScope(s, parent)
	for i, it := range s.Items {
		if it.Star {
			for _, t := range targets[i:] {
				if t != nil {
					a.fail(refuse(*t, "INSERT ... SELECT * writes it", "select the source columns by name"))
					return
				}
			}
			continue
		}
		if i < len(targets) && targets[i] != nil {
			a.writeValue(*targets[i], it.Expr, sc, false)
		} else {
			a.scan(it.Expr, sc)
		}
	}
}

func (a *analyzer) update(u *query.Update, parent *scope) []entry {
	sc := a.withCTEs(u.With, parent)
	level := &scope{sources: []*source{targetSource(u.Table, u.Alias)}, parent: sc}
	a.fromSources(level, u.From)
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
		if c, ok := a.setTarget(table, as, level); ok {
			a.writeValue(c, as.Value, level, false)
			continue
		}
		a.scan(as.Value, level)
	}
	for _, e := range u.Filters {
		a.filter(e, level)
	}
	for _, e := range u.Others {
		a.scan(e, level)
	}
	return a.returning(u.Returning, level)
}

// setTarget returns the protected column an UPDATE assignment writes. An
// unqualified column of a multi-table UPDATE may belong to any of its
// tables (MySQL resolves it among all of them), so a protected column of
// that name in any of them counts.
func (a *analyzer) setTarget(table *query.Table, as query.Assign, level *scope) (Column, bool) {
	if table != nil {
		if c, ok := a.prot.lookup(*table, as.Column); ok {
			return c, true
		}
	}
	if as.Qualifier != "" {
		return Column{}, false
	}
	for _, src := range level.sources[1:] {
		if src.table != nil {
			if c, ok := a.prot.lookup(*src.table, as.Column); ok {
				return c, true
			}
		}
	}
	return Column{}, false
}

func (a *analyzer) delete(d *query.Delete, parent *scope) []entry {
	sc := a.withCTEs(d.With, parent)
	level := &scope{sources: []*source{targetSource(d.Table, d.Alias)}, parent: sc}
	a.fromSources(level, d.Using)
	for _, e := range d.Filters {
		a.filter(e, level)
	}
	for _, e := range d.Others {
		a.scan(e, level)
	}
	return a.returning(d.Returning, level)
}

// writeValue records how a value reaches protected column c, or refuses it.
func (a *analyzer) writeValue(c Column, e query.Expr, sc *scope, upsert bool) {
	switch v := e.(type) {
	case *query.Param:
		a.params = append(a.params, ParamTarget{Ordinal: v.Ordinal, Name: v.Name, Column: c})
	case *query.Literal:
		a.literals = append(a.literals, LiteralTarget{Start: v.Start, End: v.End, Value: v.Value, Column: c})
	case *query.Null, *query.Default:
	case *query.Cast:
		if !v.TextLike && !binaryType(v.Type) {
			a.fail(refuse(c, "a cast to "+v.Type+" is applied to the value written to it",
				"write the value without the cast, or cast to a string type"))
			return
		}
		a.writeValue(c, v.X, sc, upsert)
	case *query.Excluded:
		if !upsert || v.Column != c.Name {
			a.fail(refuse(c, "the upsert writes another column's proposed value ("+v.Column+") to it",
				"assign it from its own proposed value (EXCLUDED."+c.Name+") or a parameter"))
		}
	case *query.ColRef:
		if col, _, maybe := a.resolve(sc, v); col == nil || maybe || *col != c {
			a.fail(refuse(c, "the value written to it is copied from another column ("+v.Name+")",
				"only the protected column itself can be copied into it; pass other values as parameters"))
		}
	case *query.Op:
		a.fail(refuse(c, v.Name+" is applied to the value written to it", hintPlain))
	case *query.Subquery:
		a.fail(refuse(c, "a subquery computes the value written to it", hintPlain))
	default:
		a.fail(refuse(c, "an expression sqlseal cannot see into computes the value written to it", hintPlain))
	}
}

func binaryType(t string) bool {
	switch strings.ToLower(t) {
	case "bytea", "blob", "binary", "varbinary", "longblob", "mediumblob", "tinyblob":
		return true
	}
	return false
}
