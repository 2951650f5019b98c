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
	return &source{name: name, alias: alias != "", table: &t, target: true}
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
		a.fail(refuse(cols[0], ReasonNoColumnList))
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
	a.insertIndexes(ins, targets)
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
					a.fail(refuseDetail(*t, ReasonStar, "INSERT ... SELECT *"))
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
	a.updateIndexes(u, level)
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
	a.writeVia(c, e, sc, upsert, ViaNone)
}

// writeVia is writeValue for a value cast to via on its way.
func (a *analyzer) writeVia(c Column, e query.Expr, sc *scope, upsert bool, via Via) {
	switch v := e.(type) {
	case *query.Param:
		a.params = append(a.params, ParamTarget{Param: *v, Column: c, Via: via})
	case *query.Literal:
		a.literal(c, v, via)
	case *query.Null, *query.Default:
	case *query.Cast:
		next, ok := castVia(v, via)
		if !ok {
			a.fail(refuse(c, ReasonCast))
			return
		}
		a.writeVia(c, v.X, sc, upsert, next)
	case *query.Excluded:
		if !upsert || v.Column != c.Name {
			a.fail(refuse(c, ReasonCopied))
		}
	case *query.ColRef:
		// Only the protected column itself may be copied into it, and only
		// when the source is certainly that column: a table named without
		// its schema, under a configuration that names one, may resolve to
		// another schema's table (the search path, a temporary table), whose
		// values were never sealed.
		col, check, maybe := a.resolve(sc, v)
		if col == nil || maybe || *col != c || (check != "" && !targetColumn(sc, v)) {
			a.fail(refuse(c, ReasonCopied))
		}
	case *query.Op:
		a.fail(refuseDetail(c, ReasonComputed, v.Kind.String()))
	case *query.Subquery:
		a.fail(refuseDetail(c, ReasonComputed, "a subquery"))
	default:
		a.fail(refuseDetail(c, ReasonComputed, "an expression sqlseal cannot see into"))
	}
}

// literal records a string literal written to c. Only string literals are
// sealed, and only when the front-end located the literal's token and
// decodes it back to the value it parsed: a plan keeps the position, and
// the engine decodes the value from the text when it seals it. Numbers,
// booleans and literals that cannot be placed are refused, since sqlseal
// cannot tell the text the server would store for them.
func (a *analyzer) literal(c Column, l *query.Literal, via Via) {
	if !l.String {
		a.fail(refuseDetail(c, ReasonConstant, "a number or boolean constant"))
		return
	}
	if l.Start < 0 || l.End <= l.Start || l.End > len(a.sql) {
		a.fail(refuseDetail(c, ReasonConstant, "a literal sqlseal cannot place in the text"))
		return
	}
	if v, err := a.parser.LiteralValue(a.sql[l.Start:l.End]); err != nil || v != l.Value {
		a.fail(refuseDetail(c, ReasonConstant, "a literal sqlseal cannot read back from the text"))
		return
	}
	a.literals = append(a.literals, LiteralTarget{Start: l.Start, End: l.End, Column: c, Via: via})
}

// castVia returns what a cast makes of a value on its way to a protected
// column: casts to string types that keep every value whole, and to binary
// types, are allowed (the engine checks them against the column's kind);
// two casts of different kinds, or a cast to any other type, change the
// value.
func castVia(c *query.Cast, outer Via) (Via, bool) {
	var v Via
	switch {
	case c.TextLike:
		v = ViaText
	case binaryType(c.Type):
		v = ViaBinary
	default:
		return 0, false
	}
	if outer != ViaNone && outer != v {
		return 0, false
	}
	return v, true
}

// binaryType reports whether t is a binary string type.
func binaryType(t string) bool {
	switch strings.ToLower(t) {
	case "bytea", "blob", "binary", "varbinary", "longblob", "mediumblob", "tinyblob":
		return true
	}
	return false
}

// targetColumn reports whether ref names a column of the table the
// statement writes, in the scope of the write (UPDATE ... SET, ON CONFLICT
// DO UPDATE): the value then comes from the row being written, whichever
// table the name resolves to.
func targetColumn(sc *scope, ref *query.ColRef) bool {
	if sc == nil || ref.Schema != "" {
		return false
	}
	for _, src := range sc.sources {
		if src.target && (ref.Qualifier == "" || ref.Qualifier == src.name) {
			return true
		}
	}
	return false
}
