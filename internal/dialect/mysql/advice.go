package mysql

import "github.com/sqlseal/sqlseal/internal/query"

var _ query.Adviser = (*Parser)(nil)

// dollarAdvice is the advice for a text with $1, $2, ... placeholders,
// which MySQL reads as column names. "sqlseal-mysql" is the name package
// driver/mysql registers.
const dollarAdvice = `the text has $1, $2, ... placeholders, which MySQL reads as column names: write ? instead; ` +
	`with sqlx, call sqlx.BindDriver("sqlseal-mysql", sqlx.QUESTION) once before opening the database`

// Advice says how to write placeholders when a refused or rejected text
// holds bare words $1, $2, ...: PostgreSQL's placeholders, which MySQL
// reads as column names, so that the statement seems to copy a column into
// a protected one or to compare one (query.Adviser).
func (*Parser) Advice(sql string, _ bool) string {
	if scan(sql).dollars > 0 {
		return dollarAdvice
	}
	return ""
}

// isDollarNumber reports whether w is $ followed by digits only.
func isDollarNumber(w string) bool {
	if len(w) < 2 || w[0] != '$' {
		return false
	}
	for i := 1; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}
