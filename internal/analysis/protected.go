package analysis

import (
	"sort"
	"strconv"
	"strings"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/query"
)

// Column is one protected column from configuration, with identifiers
// normalised by the dialect (see query.Table). Schema is empty when the
// configuration names no schema.
type Column = sqlseal.Column

// Protected is the set of protected columns. It is immutable and safe for
// concurrent use.
type Protected struct {
	byTable map[string][]Column
	key     string
	index   map[Column]string // the blind indexes: column to sibling
}

// NewProtected returns the set of the given columns.
func NewProtected(cols []Column) *Protected {
	p := &Protected{byTable: make(map[string][]Column)}
	keys := make([]string, 0, len(cols))
	seen := map[Column]bool{}
	for _, c := range cols {
		if seen[c] {
			continue
		}
		seen[c] = true
		p.byTable[c.Table] = append(p.byTable[c.Table], c)
		// Quoting each part keeps the key exact: no two different sets
		// of names give the same key, whatever characters the names hold.
		keys = append(keys, strconv.Quote(c.Schema)+strconv.Quote(c.Table)+strconv.Quote(c.Name))
	}
	sort.Strings(keys)
	p.key = strings.Join(keys, "")
	return p
}

// Key is a canonical string of the set, usable as a cache key: two sets
// have the same key exactly when they hold the same columns.
func (p *Protected) Key() string { return p.key }

// Columns returns every protected column.
func (p *Protected) Columns() []Column {
	var out []Column
	for _, cs := range p.byTable {
		out = append(out, cs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// ofTable returns the protected columns of t. A configured column without
// schema matches the table in any schema; a statement's unqualified table
// matches a configured schema-qualified one (the search path may resolve to
// it), which errs on the side of protecting.
func (p *Protected) ofTable(t query.Table) []Column {
	cs := p.byTable[t.Name]
	if len(cs) == 0 || t.Schema == "" {
		return cs
	}
	var out []Column
	for _, c := range cs {
		if c.Schema == "" || c.Schema == t.Schema {
			out = append(out, c)
		}
	}
	return out
}

// lookup returns the protected column name of table t, if any.
func (p *Protected) lookup(t query.Table, name string) (Column, bool) {
	for _, c := range p.ofTable(t) {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// mentioned reports whether sql contains the name of a protected table,
// ignoring case. It is the fail-closed fallback for text that cannot be
// analysed.
func (p *Protected) mentioned(sql string) (Column, bool) {
	lower := strings.ToLower(sql)
	for name, cs := range p.byTable {
		if strings.Contains(lower, strings.ToLower(name)) {
			return cs[0], true
		}
	}
	// PostgreSQL's U&"..." identifiers can spell a name with escapes.
	if strings.Contains(lower, "u&") {
		for _, cs := range p.byTable {
			return cs[0], true
		}
	}
	return Column{}, false
}
