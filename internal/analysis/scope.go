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
	table   *query.Table // a base table
	entries []entry      // a derived table or CTE
	opaque  bool         // a table function: columns unknown, never protected
}

// cte is a WITH entry visible in a scope.
type cte struct {
	entries []entry
}

// scope is one level of name resolution; parent is the enclosing query.
type scope struct {
	sources []*source
	ctes    map[string]*cte
	parent  *scope
}

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
		for s := sc; s != nil; s = s.parent {
			for _, src := range s.sources {
				if src.name != ref.Qualifier {
					continue
				}
				if ref.Schema != "" && (src.table == nil || src.table.Schema != ref.Schema) {
					continue
				}
				if c, check, st := a.find(src, ref.Name); st == foundProtected {
					return c, check, false
				}
				return nil, "", false
			}
		}
		return nil, "", false
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

// lookupCTE finds a visible CTE by name.
func (sc *scope) lookupCTE(name string) *cte {
	for s := sc; s != nil; s = s.parent {
		if c, ok := s.ctes[name]; ok {
			return c
		}
	}
	return nil
}
