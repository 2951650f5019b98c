package query

// SyntaxError is implemented by the errors a front-end's Parse returns for
// text its parser rejects, when they can say why without any text of the
// statement: a token of the statement may be a secret literal.
type SyntaxError interface {
	error
	// Cause is the parser's message with quoted text removed, the
	// position it reported and the kind of token there, such as `syntax
	// error at character 40, at the operator "?"`. It never holds a name,
	// a literal or any other text of the statement but operator and
	// punctuation characters and keywords.
	Cause() string
}

// Adviser is implemented by a Parser that can tell why a text it rejected,
// or that the analysis refused, was probably written for another dialect:
// typically placeholders of another style (? for PostgreSQL, $1 for MySQL),
// as a client library such as sqlx writes them when it does not know which
// database a driver name stands for.
type Adviser interface {
	// Advice returns what to do about sql, or "" when the front-end has
	// nothing specific to say; parsed reports whether Parse accepted sql.
	// The advice never quotes sql.
	Advice(sql string, parsed bool) string
}
