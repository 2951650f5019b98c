package mysql

import (
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/charset"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/types"

	"github.com/sqlseal/sqlseal/internal/query"
)

// cast lowers CAST(x AS type), CONVERT(x, type) and BINARY x. The cast is
// TextLike only when it keeps every string unchanged: CHAR or BINARY
// without a length (a length truncates or pads) and not ARRAY.
func (l *lowerer) cast(n *ast.FuncCastExpr) query.Expr {
	name, textLike := castType(n.Tp)
	if n.FunctionType == ast.CastBinaryOperator {
		name, textLike = "binary", true
	}
	return &query.Cast{X: l.expr(n.Expr), Type: name, TextLike: textLike}
}

// castType names a cast target type and says whether it is TextLike.
func castType(tp *types.FieldType) (string, bool) {
	if tp == nil {
		return "unknown", false
	}
	switch tp.GetType() {
	case mysql.TypeVarString, mysql.TypeString:
		name := "char"
		if tp.GetCharset() == charset.CharsetBin {
			name = "binary"
		}
		if tp.IsArray() {
			return name + " array", false
		}
		if flen := tp.GetFlen(); flen != types.UnspecifiedLength {
			return name + "(" + strconv.Itoa(flen) + ")", false
		}
		return name, true
	default:
		return strings.ToLower(types.TypeToStr(tp.GetType(), tp.GetCharset())), false
	}
}
