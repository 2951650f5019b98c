package analysis

import "github.com/sqlseal/sqlseal/internal/query"

// entry is one output column of a query or derived table.
type entry struct {
	name string
	col  *Column // the protected column it comes from, if any
	star *Star   // the expansion of * over a base table
	null bool    // the NULL literal (compatible with anything in a set operation)
	// check is set when col was reached through an unqualified table name
	// while its configuration names a schema: the column is protected only
	// if the server resolves that name to the configured schema.
	check string
}

// source is one FROM item visible in a scope.
type source struct {
	name    string       // the name it is referenced by: alias or table name
	alias   bool         // name is an alias, not the table's own name
	table   *query.Table // a base table
	entries []entry      // a derived table or CTE
	opaque  bool         // columns unknown, never protected (a table function)
	target  bool         // the table the statement writes
}

// scope is one level of name resolution; parent is the enclosing query.
// A scope made for a WITH clause holds its entries: with is set, and at is
// the index of the entry whose body is being analysed, -1 for the
// statement the WITH belongs to.
type scope struct {
	sources []*source
	with    *withClause
	at      int
	parent  *scope
}

// withClause is the analysis state of one WITH clause.
type withClause struct {
	ctes []*cteDef
}

// cteDef is one WITH entry and what is known of its result columns.
type cteDef struct {
	query.CTE
	state   cteState
	entries []entry
	// partial holds the columns of the first arm of a recursive entry's
	// set operation while the whole is being analysed, for references
	// to the entry from its own body.
	partial []entry
}

type cteState uint8

const (
	ctePending cteState = iota
	cteRunning
	cteDone
)

type lookupState int

const (
	notFound lookupState = iota
	foundPlain
	foundProtected
	unknown
)

// find looks name up among the columns of src. check is as in entry.
func (a *analyzer) find(src *source, name string) (col *Column, check string, st lookupState) {
	switch {
	case src.table != nil:
		if c, ok := a.prot.lookup(*src.table, name); ok {
			return &c, unqualifiedCheck(*src.table, c), foundProtected
		}
		return nil, "", unknown
	case src.opaque:
		return nil, "", unknown
	}
	state := notFound
	for i := range src.entries {
		e := &src.entries[i]
		if e.star != nil {
			for j := range e.star.Protected {
				if c := &e.star.Protected[j]; c.Name == name {
					return c, unqualifiedCheck(e.star.Table, *c), foundProtected
				}
			}
			state = unknown
			continue
		}
		if e.name == name {
			if e.col != nil {
				return e.col, e.check, foundProtected
			}
			return nil, "", foundPlain
		}
	}
	return nil, "", state
}

// unqualifiedCheck returns the table name to confirm when a statement names
// table t without a schema and the configuration of c names one.
func unqualifiedCheck(t query.Table, c Column) string {
	if t.Schema == "" && c.Schema != "" {
		return t.Name
	}
	return ""
}

// resolve returns the protected column a reference denotes, if any, and
// the check it depends on (see entry). maybe reports that the reference
// could denote it but might instead be an unprotected column of a table
// whose columns are not known here.
func (a *analyzer) resolve(sc *scope, ref *query.ColRef) (col *Column, check string, maybe bool) {
	if ref.Qualifier != "" {
		return a.resolveQualified(sc, ref)
	}
	for s := sc; s != nil; s = s.parent {
		var prot *Column
		var check string
		plain, unk := false, false
		for _, src := range s.sources {
			c, ch, st := a.find(src, ref.Name)
			switch st {
			case foundProtected:
				if prot == nil {
					prot, check = c, ch
				}
			case foundPlain:
				plain = true
			case unknown:
				unk = true
			}
		}
		switch {
		case prot != nil:
			return prot, check, false
		case plain:
			return nil, "", false
		case unk:
			// Most likely a column of this level's table; an enclosing
			// protected column of the same name is still possible.
			if c, ch, _ := a.resolve(s.parent, ref); c != nil {
				return c, ch, true
			}
			return nil, "", false
		}
	}
	return nil, "", false
}

// resolveQualified resolves qualifier.name and schema.table.name. A
// schema-qualified reference names a table by its own name (not an alias)
// and matches a FROM item naming the same table, with that schema or with
// none: the server accepts the reference only if the unqualified item
// resolves to that schema, so the column is looked up in the schema the
// reference names and needs no further check.
func (a *analyzer) resolveQualified(sc *scope, ref *query.ColRef) (*Column, string, bool) {
	for s := sc; s != nil; s = s.parent {
		for _, src := range s.sources {
			if src.name != ref.Qualifier {
				continue
			}
			if ref.Schema == "" {
				if c, check, st := a.find(src, ref.Name); st == foundProtected {
					return c, check, false
				}
				return nil, "", false
			}
			if src.table == nil || src.alias || (src.table.Schema != "" && src.table.Schema != ref.Schema) {
				continue
			}
			t := query.Table{Schema: ref.Schema, Name: src.table.Name}
			if c, ok := a.prot.lookup(t, ref.Name); ok {
				return &c, "", false
			}
			return nil, "", false
		}
	}
	return nil, "", false
}

// withCTEs returns a scope in which the entries of a WITH clause are
// visible to the statement the clause belongs to, and analyses each entry
// (in order, and earlier when a previous entry refers to a later one that
// it can see).
func (a *analyzer) withCTEs(ctes []query.CTE, parent *scope) *scope {
	if len(ctes) == 0 {
		return parent
	}
	w := &withClause{ctes: make([]*cteDef, len(ctes))}
	for i, c := range ctes {
		w.ctes[i] = &cteDef{CTE: c}
	}
	sc := &scope{with: w, at: -1, parent: parent}
	for i := range w.ctes {
		a.defineCTE(sc, i)
	}
	return sc
}

// defineCTE analyses entry i of the WITH clause of sc, unless done.
func (a *analyzer) defineCTE(sc *scope, i int) {
	def := sc.with.ctes[i]
	if def.state != ctePending {
		return
	}
	def.state = cteRunning
	body := &scope{with: sc.with, at: i, parent: sc.parent}
	if sel, ok := def.Query.(*query.Select); ok && len(sel.SetArms) > 0 {
		if sees, _ := def.Scope.Sees(i, i); sees {
			// A recursive entry's first arm gives its columns to the
			// references from its own body.
			def.partial = a.renamed(a.selectEntries(sel.SetArms[0], a.withCTEs(sel.With, body)), def.Columns)
		}
	}
	def.entries = a.renamed(a.statement(def.Query, body), def.Columns)
	def.state = cteDone
}

// cteSource returns the source a table name without schema stands for if
// it names a WITH entry visible from sc, nil if it names a table. A name
// that some servers of the dialect resolve to a WITH entry and others to a
// table is refused if either reading involves a protected column.
func (a *analyzer) cteSource(sc *scope, t query.Table, alias string) *source {
	name := alias
	if name == "" {
		name = t.Name
	}
	for s := sc; s != nil; s = s.parent {
		if s.with == nil {
			continue
		}
		for j, def := range s.with.ctes {
			if def.Name != t.Name {
				continue
			}
			if s.at >= 0 {
				sees, certain := def.Scope.Sees(s.at, j)
				if !certain {
					return a.ambiguousCTE(s, j, t, name)
				}
				if !sees {
					continue
				}
			}
			return &source{name: name, alias: alias != "", entries: a.cteEntries(s, j)}
		}
	}
	return nil
}

// cteEntries returns the columns of entry j of the WITH clause of s,
// analysing it first if needed. A reference that closes a cycle (an entry
// referring to itself through others, or to itself outside a recursive
// set operation) gets columns that are never protected and match any
// name, so that copying from it into a protected column is refused.
func (a *analyzer) cteEntries(s *scope, j int) []entry {
	def := s.with.ctes[j]
	switch def.state {
	case ctePending:
		a.defineCTE(&scope{with: s.with, at: -1, parent: s.parent}, j)
		return def.entries
	case cteRunning:
		if def.partial != nil {
			return def.partial
		}
		return []entry{{star: &Star{}}}
	}
	return def.entries
}

// ambiguousCTE handles a reference whose meaning depends on the server:
// entry j of the WITH clause of s, or the table t.
func (a *analyzer) ambiguousCTE(s *scope, j int, t query.Table, name string) *source {
	if cs := a.prot.ofTable(t); len(cs) > 0 {
		a.fail(refuse(cs[0], ReasonAmbiguousName))
		return &source{name: name, opaque: true}
	}
	if c, ok := anyProtected(a.cteEntries(s, j)); ok {
		a.fail(refuse(c, ReasonAmbiguousName))
	}
	return &source{name: name, opaque: true}
}
