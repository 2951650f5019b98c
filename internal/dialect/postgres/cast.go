package postgres

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

// textTypes are the built-in string types that keep any value unchanged
// when cast to without a length modifier.
var textTypes = map[string]bool{"text": true, "varchar": true, "bpchar": true}

// typeCast lowers x::type, CAST(x AS type) and type 'literal'.
func (l *lowerer) typeCast(c *pg_query.TypeCast) query.Expr {
	name, textLike := castType(c.GetTypeName())
	return &query.Cast{X: l.expr(c.GetArg()), Type: name, TextLike: textLike}
}

// castType returns the normalised name of a cast's type (without a
// pg_catalog qualifier, with [] for arrays) and whether the cast keeps a
// string value unchanged: text, varchar, bpchar (character varying and
// character without a length) and citext. A length modifier
// (varchar(n), char, char(n)) truncates, and name truncates to 63 bytes, so
// those are not TextLike; neither is the single-byte "char".
func castType(t *pg_query.TypeName) (string, bool) {
	parts := names(t.GetNames())
	if len(parts) > 1 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	name := strings.Join(parts, ".")
	plain := len(t.GetTypmods()) == 0 && !t.GetSetof() && !t.GetPctType()
	if len(t.GetArrayBounds()) > 0 {
		return name + "[]", false
	}
	if !plain || len(parts) == 0 {
		return name, false
	}
	last := parts[len(parts)-1]
	return name, (len(parts) == 1 && textTypes[last]) || last == "citext"
}
