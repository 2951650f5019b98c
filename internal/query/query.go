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
// *Opaque or *Utility.
type Statement interface{ statement() }

// CTE is one entry of a WITH clause. Query is a *Select, or an *Insert,
// *Update or *Delete for a data-modifying CTE.
type CTE struct {
	Name      string
	Columns   []string // optional column alias list: WITH x(a, b) AS (...)
	Query     Statement
	Recursive bool
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
	// Rows is the VALUES list (one row for INSERT ... SET); nil with Query
	// or DEFAULT VALUES.
	Rows [][]Expr
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
// table it may write, Reads every table it reads; What names the statement
// for error messages ("MERGE").
type Opaque struct {
	What   string
	Writes []Table
	Reads  []Table
}

// Utility is a statement that neither reads nor writes table data (SET,
// BEGIN, COMMIT, most DDL, SHOW).
type Utility struct{}

func (*Select) statement()  {}
func (*Insert) statement()  {}
func (*Update) statement()  {}
func (*Delete) statement()  {}
func (*Opaque) statement()  {}
func (*Utility) statement() {}

func (*TableRef) from()    {}
func (*SubqueryRef) from() {}
func (*FuncRef) from()     {}

// Expr is an expression: *Param, *Literal, *Null, *Default, *ColRef,
// *Excluded, *Cast, *NullTest, *Subquery, *Row or *Op.
type Expr interface{ expr() }

// Param is a bind parameter. Ordinal is its 1-based position in the
// argument list the driver receives ($n in PostgreSQL, the n-th ? in MySQL);
// Name is set for named parameters (SQLite :name, @name, $name), with
// Ordinal the position the driver binds it to.
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
// COALESCE, a comparison. Name describes it for error messages ("operator
// ||", "function upper", "CASE"). Args are all its operands.
type Op struct {
	Name string
	Args []Expr
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
// may touch a protected table).
type Parser interface {
	Parse(sql string) ([]Statement, error)
}
