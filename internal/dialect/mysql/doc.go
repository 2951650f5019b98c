// Package mysql is the MySQL and MariaDB front-end of the statement
// analysis: it parses SQL text with the TiDB parser
// (github.com/pingcap/tidb/pkg/parser) and lowers each statement into the
// dialect-neutral model of package query.
//
//	var p mysql.Parser // the zero value is ready; safe for concurrent use
//	stmts, err := p.Parse("INSERT INTO metabase_database (name, details) VALUES (?, ?)")
//	if err != nil {
//		return err // errors.Is(err, mysql.ErrSyntax): refuse the statement
//	}
//	ins := stmts[0].(*query.Insert) // Table metabase_database, Rows [[Param 1, Param 2]]
//
// Identifiers are lower-cased, as MySQL compares column names (and, with
// the usual lower_case_table_names, table names) case-insensitively;
// FoldIdent normalises configured names the same way.
//
// Each ? placeholder becomes a Param whose Ordinal is its position among
// the placeholders of the whole text, which is how go-sql-driver/mysql and
// the server bind arguments.
//
// String and hexadecimal literals (X'..', 0x..) become string Literals
// whose Start and End delimit the token in the text, including a charset
// introducer (_utf8mb4'..', N'..'); adjacent strings that MySQL
// concatenates ('a' 'b') become one Literal spanning all of them. The TiDB
// parser does not record literal positions, so Parse scans the text for
// literal tokens, parses it a second time with each literal replaced by a
// marker naming its token, and accepts a position only when both parses
// lower to the same statements and the token decodes to the value the
// parser gave the literal. A literal that cannot be located this way
// becomes an Op the analysis refuses wherever the value would be sealed.
// Numbers and booleans become non-string Literals with zero offsets.
//
// Blind index rewrites need more positions (query.Spanner): column
// lists, values of VALUES rows and SET lists, and the column compared in
// col = value, value = col, col IN (...) and a.col = b.col. The parser
// records none of them, so for a text of one statement Parse finds them in
// a token scan (lex.go, locate.go), anchored on the offsets of ?
// placeholders and located literals and on the clause structure of INSERT
// and UPDATE, and keeps a position only when the tokens there spell what
// the lowered statement says (the column's name; a value that is exactly
// the one token the clause's commas delimit). Anything else stays unknown
// and the analysis refuses a rewrite that needs it. ? binds by position
// (query.PositionalParams): the engine puts the argument of an added ? at
// its place among the others.
//
// The text is read with MySQL's default SQL mode: backslash escapes in
// strings and "..." as a string. Under NO_BACKSLASH_ESCAPES or ANSI_QUOTES
// the server reads some texts differently.
//
// Statements: SELECT (with set operations, CTEs, derived tables, joins),
// TABLE, VALUES, INSERT and REPLACE (VALUES, SET, SELECT, ON DUPLICATE KEY
// UPDATE with VALUES(col) as Excluded), single- and multi-table UPDATE and
// DELETE are modelled, and so is MariaDB's trailing RETURNING select list
// of INSERT, REPLACE and single-table DELETE, which the TiDB parser does
// not know: when the parser rejects a text, each RETURNING keyword outside
// strings, comments, quoted names and parentheses ends its statement's
// text, which is parsed without it, and the list is parsed as SELECT list
// FROM target, both at the offsets of the original text. A text the
// parser accepts is never read as having a RETURNING clause. A RETURNING
// list with a ? placeholder is not modelled: its statement becomes an
// Opaque that writes its table. LOAD DATA, CREATE TABLE ... SELECT, CREATE VIEW,
// PREPARE, EXECUTE, CALL, BINLOG and EXPLAIN ANALYZE become Opaque; every
// other statement (DDL, SET, SHOW, transaction control) is Utility.
// Comments whose execution depends on the server (/*!NNNNN, /*M!, /*T!)
// are refused in statements that touch table data.
package mysql
