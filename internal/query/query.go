// Package query is the dialect-neutral model of a SQL statement that the
// analysis works on.
//
// Each dialect front-end (PostgreSQL, MySQL, SQLite) parses SQL text with a
// real parser and lowers it into these types; package analysis then decides,
// once for every dialect, which values are written to protected columns,
// which result columns come from them, and what must be refused. The model
// keeps only what those decisions need: table and column references, bind
// parameters, string literals with their byte offsets, and the shape of
// expressions. Everything a front-end does not understand must be lowered to
// an Op (an opaque expression) or an Opaque statement, never dropped: the
// analysis refuses what it cannot see into, so an omission fails closed only
// if the front-end reports it.
//
// Identifiers are normalised by the front-end to the form the database
// compares them in (PostgreSQL folds unquoted names to lower case and keeps
// quoted ones; MySQL and SQLite compare case-insensitively, so the front-end
// lower-cases them).
package query

// Table names a table as written in the statement, normalised. Schema is
// empty when the statement does not qualify the name.
type Table struct {
	Schema string
	Name   string
}

// String returns schema.name or name.
func (t Table) String() string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// Statement is one parsed statement: *Select, *Insert, *Update, *Delete,
// *Opaque, *DDL or *Utility.
type Statement interface{ statement() }

// CTE is one entry of a WITH clause. Query is a *Select, or an *Insert,
// *Update or *Delete for a data-modifying CTE.
type CTE struct {
	Name    string
	Columns []string // optional column alias list: WITH x(a, b) AS (...)
	Query   Statement
	// Scope says which entries of the same WITH clause the body of this
	// CTE can refer to by name; a name it cannot see refers to a table.
	// The front-end sets it as its database resolves names.
	Scope CTEScope
}

// CTEScope says which entries of its WITH clause a CTE's body sees. An
// entry it sees shadows a table of the same name; one it does not see
// leaves the name to the table.
type CTEScope uint8

const (
	// ScopePrior: the entries before it (PostgreSQL's and MySQL's plain
	// WITH).
	ScopePrior CTEScope = iota
	// ScopeRecursive: the entries before it and itself (MySQL's WITH
	// RECURSIVE).
	ScopeRecursive
	// ScopeAll: every entry, those after it included (PostgreSQL's WITH
	// RECURSIVE; SQLite's WITH with or without RECURSIVE).
	ScopeAll
	// ScopeAmbiguous: the entries before it and itself for certain, and
	// the entries after it on some servers of the dialect but not on
	// others (MariaDB's WITH RECURSIVE sees them, MySQL's does not). A
	// reference to a later entry's name cannot be resolved and is refused.
	ScopeAmbiguous
)

// Sees reports whether the body of entry i of a WITH clause can refer to
// entry j by name, and whether the answer depends on the server (ok
// false).
func (s CTEScope) Sees(i, j int) (sees, ok bool) {
	switch {
	case j < i:
		return true, true
	case j == i:
		return s != ScopePrior, true
	case s == ScopeAll:
		return true, true
	case s == ScopeAmbiguous:
		return false, false
	}
	return false, true
}

// Select is a query: a plain SELECT, a set operation (UNION, INTERSECT,
// EXCEPT) or a VALUES list used as a query.
type Select struct {
	With []CTE

	// A plain SELECT.
	From  []From
	Items []Item
	// Filters holds every expression that filters or compares rows: WHERE,
	// HAVING, JOIN ... ON, and USING/NATURAL join conditions lowered to
	// equality Ops between the joined columns.
	Filters []Expr
	// Others holds every other expression the statement evaluates (GROUP
	// BY, ORDER BY, LIMIT, DISTINCT ON, window clauses). They are scanned for
	// parameters and subqueries only.
	Others []Expr

	// A set operation: the result columns are those of the arms, position by
	// position. From, Items and Filters are empty.
	SetArms []*Select

	// VALUES (...), (...) used as a query (INSERT ... VALUES is Insert.Rows).
	Values [][]Expr
}

// From is one entry of a FROM clause (joins are flattened into the list,
// their conditions into Select.Filters): *TableRef, *SubqueryRef or
// *FuncRef.
type From interface{ from() }

// TableRef is a table (or view, or CTE name) in FROM.
type TableRef struct {
	Table         Table
	Alias         string
	ColumnAliases []string
}

// SubqueryRef is a derived table: FROM (SELECT ...) AS alias.
type SubqueryRef struct {
	Query         *Select
	Alias         string
	ColumnAliases []string
	Lateral       bool
}

// FuncRef is a set-returning function or any other FROM item whose columns
// never come from a protected column. Args are scanned like Select.Others.
type FuncRef struct {
	Alias string
	Args  []Expr
}

// Item is one entry of a select list or RETURNING list. For `*` Star is set
// and Expr is nil; for `t.*` StarQualifier is t.
type Item struct {
	Expr          Expr
	Alias         string
	Star          bool
	StarQualifier string
}

// Insert is INSERT, REPLACE, INSERT OR REPLACE and MySQL's INSERT ... SET.
type Insert struct {
	With  []CTE
	Table Table
	Alias string
	// Columns is the explicit column list, nil when the statement has none.
	Columns []string
	// ColumnAt, when the front-end locates them, holds for each entry of
	// Columns one plus the byte offset of its name token in the text (0:
	// unknown); nil otherwise. See Spanner.
	ColumnAt []int
	// Rows is the VALUES list (one row for INSERT ... SET); nil with Query
	// or DEFAULT VALUES.
	Rows [][]Expr
	// RowAt, when the front-end locates them, holds for each value of Rows
	// one plus the byte offset where the value's text starts (0: unknown);
	// nil otherwise.
	RowAt [][]int
	// SetForm reports MySQL's INSERT ... SET col = value, ...: Columns
	// and the one row of Rows are the assignments, and a value added for
	// a column is an assignment after the column's.
	SetForm bool
	// Query is the source of INSERT ... SELECT.
	Query *Select
	// OnConflict is the assignment list of ON CONFLICT DO UPDATE or ON
	// DUPLICATE KEY UPDATE; the inserted row's value of a column is an
	// Excluded expression.
	OnConflict []Assign
	// ConflictFilters holds ON CONFLICT ... WHERE and DO UPDATE ... WHERE.
	ConflictFilters []Expr
	Returning       []Item
}

// Assign is one SET target = value.
type Assign struct {
	Qualifier string // table or alias, for multi-table UPDATE; often empty
	Column    string
	Value     Expr
	// ValueAt is one plus the byte offset where the value's text starts,
	// 0 when the front-end does not locate it. See Spanner.
	ValueAt int
}

// Update is UPDATE, including PostgreSQL's UPDATE ... FROM and MySQL's
// multi-table UPDATE (further tables go to From).
type Update struct {
	With      []CTE
	Table     Table
	Alias     string
	From      []From
	Set       []Assign
	Filters   []Expr
	Others    []Expr
	Returning []Item
}

// Delete is DELETE, including USING and multi-table forms.
type Delete struct {
	With      []CTE
	Table     Table
	Alias     string
	Using     []From
	Filters   []Expr
	Others    []Expr
	Returning []Item
}

// Opaque is a statement the front-end does not model (MERGE, COPY, CREATE
// TABLE AS, a data-modifying statement it cannot lower). Writes lists every
// table it may write, Reads every table it reads; Kind says what it is.
type Opaque struct {
	Kind   OpaqueKind
	Writes []Table
	Reads  []Table
}

// Utility is a statement that neither reads nor writes table data (SET,
// BEGIN, COMMIT, most DDL, SHOW). Session reports a statement that may
// change session settings, among them those that decide how later SQL
// text is read (MySQL's sql_mode and character set): a backend that
// cannot watch those settings otherwise checks them after it ran.
type Utility struct {
	Session bool
}

// DDL is a statement that changes table definitions in a way that moves
// values into a column without an INSERT or UPDATE: renaming a table or a
// column gives existing values a new name, and a DEFAULT, a generated
// column or the USING expression of a type change has the server compute
// values. DDL that does none of these is a Utility.
type DDL struct {
	// Renames are tables renamed or moved to another schema: the rows of
	// From become rows of To.
	Renames []TableRename
	// ColumnRenames are columns renamed: the values of From become values
	// of To.
	ColumnRenames []ColumnRename
	// Fills are columns whose rows get values the server computes.
	Fills []ColumnFill
	// SchemaRenames are schemas renamed: every table of From moves to
	// To.
	SchemaRenames []SchemaRename
}

// SchemaRename is one schema renamed from From to To.
type SchemaRename struct {
	From, To string
}

// TableRename is one table renamed or moved. To.Schema is empty when the
// table stays in its schema.
type TableRename struct {
	From, To Table
}

// ColumnRename is one column of Table renamed from From to To.
type ColumnRename struct {
	Table    Table
	From, To string
}

// ColumnFill is a column of Table whose rows get values the server
// computes, as Source says. An empty Column stands for every column (the
// text does not say which, as in CREATE TABLE ... (LIKE other)).
type ColumnFill struct {
	Table  Table
	Column string
	Source FillSource
}

// FillSource is how the server computes the values of a ColumnFill.
type FillSource uint8

const (
	// FillDefault: a DEFAULT other than NULL, used for existing rows when
	// the column is added and for rows inserted without the column.
	FillDefault FillSource = iota + 1
	// FillGenerated: a generated (computed) column.
	FillGenerated
	// FillUsing: a type change whose USING expression computes the new
	// values (PostgreSQL), or one that converts them.
	FillUsing
)

func (*Select) statement()  {}
func (*Insert) statement()  {}
func (*Update) statement()  {}
func (*Delete) statement()  {}
func (*Opaque) statement()  {}
func (*Utility) statement() {}
func (*DDL) statement()     {}

func (*TableRef) from()    {}
func (*SubqueryRef) from() {}
func (*FuncRef) from()     {}

// Expr is an expression: *Param, *Literal, *Null, *Default, *ColRef,
// *Excluded, *Cast, *NullTest, *Subquery, *Row or *Op.
type Expr interface{ expr() }

// Param is a bind parameter as the server numbers and names it: Ordinal is
// $n's n in PostgreSQL, the position of the ? among the placeholders of
// the text in MySQL, and SQLite's parameter index (sqlite3_bind_parameter_
// index); Name is the name SQLite reports for that index
// (sqlite3_bind_parameter_name: ":a", "@a", "$a", "?2", "$2"), "" for an
// anonymous parameter and in the other dialects. Which argument the wrapped
// driver binds to it is the backend's rule, not the front-end's.
type Param struct {
	Ordinal int
	Name    string
}

// Literal is a constant written in the SQL text. Value is its decoded value;
// Start and End are the byte offsets of the whole literal token in the
// original SQL text (so text[Start:End] can be replaced). String is false for
// numbers and booleans.
type Literal struct {
	Value      string
	Start, End int
	String     bool
}

// Null is the NULL literal.
type Null struct{}

// Default is the DEFAULT keyword in VALUES or SET.
type Default struct{}

// ColRef is a column reference. Qualifier is the table name or alias it is
// qualified with, empty if none (a schema-qualified reference keeps only the
// table part in Qualifier and the schema in Schema).
type ColRef struct {
	Schema    string
	Qualifier string
	Name      string
	// At is one plus the byte offset where the reference starts in the
	// text, 0 when the front-end does not locate it. See Spanner.
	At int
}

// Excluded is the value the current INSERT proposed for Column, inside an
// upsert's update list: PostgreSQL's EXCLUDED.col, MySQL's VALUES(col),
// SQLite's excluded.col.
type Excluded struct {
	Column string
}

// Cast is a type cast. TextLike reports whether Type is a string type that
// keeps the value unchanged (text, varchar, char, character varying);
// casting a sealed value to anything else changes or rejects it.
type Cast struct {
	X        Expr
	Type     string
	TextLike bool
}

// NullTest is X IS [NOT] NULL.
type NullTest struct {
	X Expr
}

// Subquery is a subquery used as an expression: scalar, EXISTS, IN, ANY.
type Subquery struct {
	Query *Select
}

// Row is a row constructor: (a, b).
type Row struct {
	Items []Expr
}

// Op is any other expression: a function call, an operator, CASE,
// COALESCE, a comparison. Kind says what it is; Name spells it as the
// front-end saw it, for tests and debugging only: it may quote the SQL text
// and never goes into an error. Args are all its operands.
type Op struct {
	Kind OpKind
	Name string
	Args []Expr
	// ArgAt, when the front-end locates them (comparisons a blind index
	// answers), holds for each of Args one plus the byte offset where its
	// text starts (0: unknown); nil otherwise. See Spanner.
	ArgAt []int
}

// OpKind classifies an Op.
type OpKind uint8

const (
	// OpOther is an expression the front-end does not classify further.
	OpOther OpKind = iota
	// OpFunction is a function call, aggregate or window function.
	OpFunction
	// OpOperator is an operator, a comparison or a predicate (IN, LIKE,
	// BETWEEN, IS DISTINCT FROM, ...).
	OpOperator
	// OpConditional is CASE, COALESCE, NULLIF, GREATEST or LEAST.
	OpConditional
	// OpConstant is a constant the front-end cannot locate in the text
	// (an implicit constant, a bit string, a MySQL number).
	OpConstant
	// OpJoinUsing is JOIN ... USING; Args are the joined column names as
	// ColRefs. It merges the joined columns in the join's result.
	OpJoinUsing
	// OpNaturalJoin is NATURAL JOIN, which merges the columns of the same
	// name, none of which the text names.
	OpNaturalJoin
)

// String describes the kind for error messages.
func (k OpKind) String() string {
	switch k {
	case OpFunction:
		return "a function"
	case OpOperator:
		return "an operator"
	case OpConditional:
		return "a conditional expression"
	case OpConstant:
		return "a constant sqlseal cannot locate in the text"
	case OpJoinUsing:
		return "JOIN ... USING"
	case OpNaturalJoin:
		return "NATURAL JOIN"
	}
	return "an expression"
}

func (*Param) expr()    {}
func (*Literal) expr()  {}
func (*Null) expr()     {}
func (*Default) expr()  {}
func (*ColRef) expr()   {}
func (*Excluded) expr() {}
func (*Cast) expr()     {}
func (*NullTest) expr() {}
func (*Subquery) expr() {}
func (*Row) expr()      {}
func (*Op) expr()       {}

// Parser turns SQL text into statements. It is what a dialect front-end
// implements. A text with several statements yields several; text the
// parser rejects is an error (the analysis refuses such a statement if it
// may touch a protected table, with the error's message, so errors never
// quote the text: it may hold secrets).
type Parser interface {
	Parse(sql string) ([]Statement, error)
	// LiteralValue decodes the string literal whose whole text is token
	// (text[Start:End] of a Literal), as the server reads it. The
	// analysis checks that it agrees with the value Parse gave, so that
	// plans can keep positions instead of values.
	LiteralValue(token string) (string, error)
}

// Spanner is implemented by a Parser whose front-end records positions (the
// At fields of ColRef, Insert and Assign): it finds the extent of the
// tokens there, so that the text can be rewritten (blind indexes rename a
// column reference and add values after others). Positions are offsets in
// the text that was parsed. A front-end that cannot locate a position
// leaves it 0, and the analysis refuses a rewrite that needs it.
type Spanner interface {
	// TokenEnd returns the end offset of the single token (a parameter,
	// NULL, DEFAULT, a string constant, a name) that starts at offset
	// start; ok is false when no such token starts there.
	TokenEnd(sql string, start int) (end int, ok bool)
	// NameSpan returns the span of the last name of the dotted column
	// reference (name, t.name, s.t.name) that starts at offset start.
	NameSpan(sql string, start int) (nameStart, nameEnd int, ok bool)
}

// ExcludedSpanner is implemented by a Spanner whose dialect writes an
// upsert's proposed value as a call (MySQL's VALUES(col)) rather than as a
// qualified name (EXCLUDED.col).
type ExcludedSpanner interface {
	// ExcludedSpan returns, for the Excluded expression that starts at
	// offset start, the span of its column name and the offset where the
	// expression ends.
	ExcludedSpan(sql string, start int) (nameStart, nameEnd, end int, ok bool)
}

// PositionalParams is implemented by a Parser whose dialect binds
// placeholders by their position in the text (MySQL's "?"): a placeholder
// added to the text takes the argument at its place among the others.
type PositionalParams interface {
	// ParamOffsets returns the offset of each placeholder of sql, in text
	// order.
	ParamOffsets(sql string) []int
}

// Encloser is implemented by a Spanner that can also tell whether a value
// is written in parentheses: a rewrite that adds text after a value must
// not add it inside them.
type Encloser interface {
	// OpensBefore returns the number of opening parentheses that
	// immediately precede (with nothing but white space and comments
	// between) the token that starts at offset start; ok is false when no
	// token starts there.
	OpensBefore(sql string, start int) (n int, ok bool)
	// Between returns the tokens of sql[start:end], as written, without
	// white space and comments; ok is false when a token crosses start
	// or end, or the text cannot be read.
	Between(sql string, start, end int) (toks []string, ok bool)
}

// ParamNumberer is implemented by a Parser whose dialect numbers an
// anonymous placeholder after the largest number before it (SQLite's "?"):
// adding a numbered placeholder to such a text would renumber the
// anonymous ones after it, so each must first be written with its number.
type ParamNumberer interface {
	// NumberedParams returns, for each anonymous placeholder of the
	// single-statement text sql, its span and the same placeholder
	// written with its number.
	NumberedParams(sql string) ([]Replacement, error)
}

// Replacement is text[Start:End] written as Text.
type Replacement struct {
	Start, End int
	Text       string
}
