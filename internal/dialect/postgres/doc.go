// Package postgres is the PostgreSQL front-end of the statement analysis: it
// parses SQL text with PostgreSQL's own parser (libpg_query) and lowers the
// parse tree into the dialect-neutral model of package query.
//
// With cgo (CGO_ENABLED=1 and a C compiler) libpg_query is linked in
// through pg_query_go. Without cgo (CGO_ENABLED=0) it runs as WebAssembly
// under wazero (github.com/wasilibs/go-pgquery): the module is compiled on
// first use (over 2 s of CPU, about 250 MB at its peak), which Warm starts
// in the background. The build tag pgquery_wasm selects the WebAssembly
// back-end with cgo too; pgquery_cgo requires the native one. Both return
// pg_query_go's parse-tree types.
//
// Usage:
//
//	var p postgres.Parser
//	stmts, err := p.Parse(`INSERT INTO metabase_database (name, details) VALUES ($1, $2)`)
//	if err != nil {
//		// PostgreSQL would reject the text too; refuse it if it may touch a
//		// protected table.
//	}
//	ins := stmts[0].(*query.Insert) // Table metabase_database, Rows [[$1 $2]]
//
// Identifiers from the parse tree are already normalised the way PostgreSQL
// compares them (unquoted names folded to lower case, quoted names kept as
// written, both truncated to 63 bytes); FoldIdent applies the same rules to
// names from configuration.
//
// The lowering is faithful rather than clever: a function call or operator
// becomes a query.Op holding its operands, never its bare argument; WHERE,
// HAVING and join conditions go to Filters; constructs the model cannot
// express become a query.Op or a query.Opaque statement, so that the
// analysis refuses them when they touch a protected table. Notable choices:
//
//   - String literals carry the byte span of their token in the text (found
//     with pg_query.Scan, only for statements that have constants). A U&'...'
//     literal's span includes its UESCAPE clause; string constants separated
//     only by whitespace with a newline, which PostgreSQL concatenates, are
//     one token and so one Literal covering the whole span.
//   - Constants the grammar synthesises without a token of their own (for
//     example the implicit 1 of FETCH FIRST ROW ONLY) become an Op named
//     "implicit constant"; bit strings an Op named "bit string constant".
//   - A cast is TextLike only for text, varchar, bpchar and citext without a
//     length modifier: varchar(n) and char(n) truncate, and name truncates to
//     63 bytes, so they are not.
//   - A join with an alias becomes a derived table selecting * from the
//     joined tables; JOIN ... USING (a, b) adds the filter Op "join using"
//     with the unqualified columns, NATURAL JOIN the filter Op
//     "natural join" without operands.
//   - EXPLAIN ANALYZE executes its statement, so that statement is lowered,
//     but its result rows are the plan, not the statement's columns: a
//     SELECT becomes a select without items over it as a derived table, and
//     RETURNING lists are dropped. Plain EXPLAIN is a query.Utility.
//   - MERGE, COPY, CREATE TABLE AS, SELECT INTO, CREATE VIEW, CREATE RULE,
//     DECLARE CURSOR, and any statement with a construct that cannot be
//     lowered (a MERGE in WITH, an INSERT into a subscripted column, an
//     unknown FROM item) become a query.Opaque listing the tables written and
//     read anywhere in the statement. EXECUTE, CALL and DO become a
//     query.Opaque without tables: what they touch is not in the text.
package postgres
