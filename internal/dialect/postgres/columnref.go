package postgres

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// columnRef lowers a column reference: name, qualifier.name or
// schema.qualifier.name (a leading database name is dropped). Inside ON
// CONFLICT DO UPDATE, excluded.name is the value the INSERT proposed. A
// whole-row reference t.* in an expression becomes an Op without operands;
// in a select list it is an Item with Star (see item).
func (l *lowerer) columnRef(c *pg_query.ColumnRef) query.Expr {
	parts, star := columnRefParts(c)
	if star {
		return &query.Op{Kind: query.OpOperator, Name: "row reference " + strings.Join(append(parts, "*"), ".")}
	}
	if l.inConflict && len(parts) == 2 && parts[0] == "excluded" {
		return &query.Excluded{Column: parts[1]}
	}
	ref := &query.ColRef{At: int(c.GetLocation()) + 1}
	switch len(parts) {
	case 0:
		return &query.Op{Name: "unsupported expression ColumnRef"}
	case 1:
		ref.Name = parts[0]
	case 2:
		ref.Qualifier, ref.Name = parts[0], parts[1]
	default:
		k := len(parts)
		ref.Schema, ref.Qualifier, ref.Name = parts[k-3], parts[k-2], parts[k-1]
	}
	return ref
}

// columnRefParts returns the names of a column reference and whether it
// ends in `*`.
func columnRefParts(c *pg_query.ColumnRef) (parts []string, star bool) {
	for _, f := range c.GetFields() {
		switch v := f.GetNode().(type) {
		case *pg_query.Node_String_:
			parts = append(parts, v.String_.GetSval())
		case *pg_query.Node_AStar:
			star = true
		}
	}
	return parts, star
}
