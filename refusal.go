package sqlseal

import (
	"fmt"
	"strings"
)

// RefusalError says why a statement was refused and what to do instead. It
// never contains values or names from the statement: only the protected
// column as configured and sqlseal's own words. It wraps ErrRefused.
type RefusalError struct {
	// Column is the protected column concerned.
	Column Column
	// Reason is why the statement was refused.
	Reason Reason
	// Detail adds sqlseal's own words to the reason (the kind of
	// statement or expression, a parameter number, the parser's message
	// without any text of the statement); it may be empty.
	Detail string
	// Advice, when not empty, is what to do about this statement in
	// particular, in sqlseal's own words (such as the placeholder style
	// the driver binds); it replaces the reason's general Hint.
	Advice string
}

// Error says what was refused and what to do instead.
func (e *RefusalError) Error() string {
	what := e.Reason.describe()
	if strings.Contains(what, "%s") {
		detail := e.Detail
		if detail == "" {
			detail = "the statement"
		}
		what = fmt.Sprintf(what, detail)
	}
	hint := e.Advice
	if hint == "" {
		hint = e.Reason.Hint()
	}
	return fmt.Sprintf("sqlseal: statement refused: protected column %s: %s; %s (nothing was sent to the server)",
		e.Column, what, hint)
}

// Unwrap returns ErrRefused.
func (e *RefusalError) Unwrap() error { return ErrRefused }

// Reason is why a statement was refused. Callers may branch on it; its
// String method says it in words.
type Reason uint8

const (
	// ReasonComputed: the server would compute the value written to the
	// column (a function, an operator, a subquery, CASE).
	ReasonComputed Reason = iota + 1
	// ReasonCopied: the value written is copied from another column.
	ReasonCopied
	// ReasonCast: the value written is cast to a type that changes it.
	ReasonCast
	// ReasonConstant: a number, boolean or other constant whose text
	// sqlseal does not seal is written to the column.
	ReasonConstant
	// ReasonNoColumnList: an INSERT without a column list writes the
	// table.
	ReasonNoColumnList
	// ReasonStar: a * writes or returns the column at a position sqlseal
	// cannot tell.
	ReasonStar
	// ReasonCompared: a filter, join condition or comparison compares the
	// column, which cannot match randomized ciphertext.
	ReasonCompared
	// ReasonMixed: a set operation (UNION, ...) mixes the column with
	// other values in one result column.
	ReasonMixed
	// ReasonUnanalysed: a statement sqlseal does not analyse (MERGE, COPY,
	// ...) writes the table.
	ReasonUnanalysed
	// ReasonBlind: a statement may write any table with values its text
	// does not show (SQL-level EXECUTE, BINLOG, an anonymous code block),
	// or would change how the server reads later SQL text.
	ReasonBlind
	// ReasonUnparsed: the parser rejects a text that names the table.
	ReasonUnparsed
	// ReasonSharedParam: one argument is bound to the column and to
	// another place.
	ReasonSharedParam
	// ReasonAmbiguousName: a name in the statement resolves differently
	// on different servers of the dialect.
	ReasonAmbiguousName
	// ReasonSeveral: a text of several statements returns the column.
	ReasonSeveral
	// ReasonRenamed: DDL renames a table or column to the protected one,
	// making values that were never sealed protected.
	ReasonRenamed
	// ReasonFilled: DDL has the server compute the column's values (a
	// DEFAULT, a generated column, USING).
	ReasonFilled
	// ReasonArguments: the arguments cannot be bound the way the wrapped
	// driver binds them (an argument form sqlseal does not mirror, a
	// missing argument, named arguments with a prepared statement).
	ReasonArguments
	// ReasonLookup: a comparison of a blind-indexed column that sqlseal
	// does not rewrite to its blind index (<>, LIKE, a range, a function
	// of it, a value other than a parameter or string literal).
	ReasonLookup
	// ReasonIndexWrite: the statement writes the blind index column
	// directly, or writes the blind-indexed column in a way sqlseal
	// cannot make its blind index follow.
	ReasonIndexWrite
)

// Name returns a short, stable name of the reason for metrics and logs,
// such as "computed" or "unparsed": the constant's name without Reason, in
// snake case. An unknown reason is "unknown".
func (r Reason) Name() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return "unknown"
}

// reasonNames are the reasons' names, by value.
var reasonNames = [...]string{
	ReasonComputed:      "computed",
	ReasonCopied:        "copied",
	ReasonCast:          "cast",
	ReasonConstant:      "constant",
	ReasonNoColumnList:  "no_column_list",
	ReasonStar:          "star",
	ReasonCompared:      "compared",
	ReasonMixed:         "mixed",
	ReasonUnanalysed:    "unanalysed",
	ReasonBlind:         "blind",
	ReasonUnparsed:      "unparsed",
	ReasonSharedParam:   "shared_param",
	ReasonAmbiguousName: "ambiguous_name",
	ReasonSeveral:       "several",
	ReasonRenamed:       "renamed",
	ReasonFilled:        "filled",
	ReasonArguments:     "arguments",
}

// String says what the statement does, in general terms.
func (r Reason) String() string {
	return strings.ReplaceAll(r.describe(), "%s", "the statement")
}

// describe says what the statement does, with %s for the detail when
// the reason has one.
func (r Reason) describe() string {
	switch r {
	case ReasonComputed:
		return "the server would compute the value written to it (%s)"
	case ReasonCopied:
		return "the value written to it is copied from another column"
	case ReasonCast:
		return "the value written to it is cast to a type that changes it"
	case ReasonConstant:
		return "%s is written to it"
	case ReasonNoColumnList:
		return "an INSERT without a column list writes its table"
	case ReasonStar:
		return "%s places it at a position sqlseal cannot tell"
	case ReasonCompared:
		return "%s compares it"
	case ReasonMixed:
		return "a result column of a set operation mixes it with other values"
	case ReasonUnanalysed:
		return "%s writes its table and sqlseal cannot see what it writes"
	case ReasonBlind:
		return "%s may write it with values sqlseal cannot see"
	case ReasonUnparsed:
		return "the statement names its table but the SQL parser rejects it: %s"
	case ReasonSharedParam:
		return "%s is bound to it and also used elsewhere in the statement"
	case ReasonAmbiguousName:
		return "the statement refers to a WITH entry defined after the one that uses it, which servers of this dialect resolve differently"
	case ReasonSeveral:
		return "a text of several statements returns it"
	case ReasonRenamed:
		return "the statement renames a table or column to it, and the values it holds were not sealed"
	case ReasonFilled:
		return "the statement has the server compute its values (%s)"
	case ReasonArguments:
		return "its arguments cannot be bound as the driver binds them (%s)"
	case ReasonLookup:
		return "%s compares it in a way its blind index cannot answer"
	case ReasonIndexWrite:
		return "the statement %s"
	}
	return "the statement cannot be proven to seal it"
}

// Hint says what to do instead.
func (r Reason) Hint() string {
	switch r {
	case ReasonComputed, ReasonConstant:
		return "bind the plain value as a parameter or a string literal and let sqlseal seal it; compute it in the application first"
	case ReasonCopied:
		return "only the protected column itself can be copied into it; pass other values as parameters"
	case ReasonCast:
		return "write the value without the cast, or cast it to the column's own kind of type (a string type for text columns, a binary type for binary ones)"
	case ReasonNoColumnList:
		return "name the columns in the INSERT so sqlseal can see which value goes to the protected column"
	case ReasonStar:
		return "select the columns by name instead of *"
	case ReasonCompared:
		return "ciphertext is randomized, so equality and pattern matching cannot work; look rows up by another column (if the column is another table's, qualify it with that table's name)"
	case ReasonMixed:
		return "select it in every arm of the set operation, or NULL"
	case ReasonUnanalysed:
		return "write protected columns with INSERT or UPDATE through sqlseal"
	case ReasonBlind:
		return "use the driver's prepared statements and plain INSERT or UPDATE; run server-side code and session changes that alter how SQL is read without sqlseal"
	case ReasonUnparsed:
		return "fix the statement, or run statements that sqlseal cannot parse without touching protected tables"
	case ReasonSharedParam:
		return "pass the value as two separate parameters"
	case ReasonAmbiguousName:
		return "define each WITH entry before the entries that use it, or give it a name no table has"
	case ReasonSeveral:
		return "run the statement that reads it on its own"
	case ReasonRenamed:
		return "configure the new name as a protected column too and re-seal its values with rotate-encryption-key, or run the migration with a plain connection"
	case ReasonFilled:
		return "give protected columns no computed values; write them with INSERT or UPDATE through sqlseal, or change the column with a plain connection"
	case ReasonArguments:
		return "pass one plain argument per placeholder, as the wrapped driver documents"
	case ReasonLookup:
		return "a blind index answers only: column = parameter, column = 'string', column IN (parameters or strings), column IS [NOT] NULL, and a join of the column with itself (a.column = b.column); <>, LIKE, ranges, functions of the column and other values are refused"
	case ReasonIndexWrite:
		return "write the protected column in INSERT ... VALUES, UPDATE ... SET or an upsert with a bare parameter, string literal, NULL or DEFAULT, and never write its blind index column: sqlseal writes it"
	}
	return "write protected columns with plain INSERT or UPDATE"
}
