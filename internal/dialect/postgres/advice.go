package postgres

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/sqlseal/sqlseal/internal/query"
)

var _ query.Adviser = Parser{}

// questionAdvice is the advice for a text with ? placeholders, which
// PostgreSQL reads as an operator. "sqlseal" is the name package driver
// registers; sqlx binds ? for a driver name it does not know.
const questionAdvice = `the text has ? placeholders, which PostgreSQL does not take: number them $1, $2, ...; ` +
	`with sqlx, call sqlx.BindDriver("sqlseal", sqlx.DOLLAR) once before opening the database`

// Advice says how to write placeholders when a text the parser rejected
// holds ?, which PostgreSQL reads as an operator but a client library
// meant as a placeholder (query.Adviser). A text that parsed is left
// alone: ? is a legitimate operator there (jsonb).
func (Parser) Advice(sql string, parsed bool) string {
	if parsed {
		return ""
	}
	res, err := pgScan(sql)
	if err != nil {
		return ""
	}
	for _, t := range res.GetTokens() {
		if t.GetToken() == pg_query.Token_Op && strings.Contains(sql[t.GetStart():t.GetEnd()], "?") {
			return questionAdvice
		}
	}
	return ""
}
