// Package sqlite is the SQLite front-end of the statement analysis: it
// lowers SQLite SQL text into the dialect-neutral model of package query.
//
// Usage:
//
//	var p sqlite.Parser
//	stmts, err := p.Parse(`INSERT OR REPLACE INTO metabase_database (name, details) VALUES (?, :details)`)
//	if err != nil {
//		// SQLite would reject the text, or it uses syntax this front-end
//		// does not translate: refuse it if it may touch a protected table.
//	}
//	ins := stmts[0].(*query.Insert) // Table metabase_database, Rows [[?1 :details]]
//
// # How it works
//
// No maintained Go parser for SQLite's dialect is available, so the text is
// translated, token by token, into PostgreSQL syntax of the same structure,
// parsed by the PostgreSQL front-end (package postgres), and the result is
// mapped back:
//
//   - A tokenizer that follows SQLite's (tokenize.c) splits the text. Like
//     SQLite, which reads the text as a C string, it stops at a NUL byte.
//   - The text is split into statements at ";", except inside the body of
//     CREATE TRIGGER, which ends at the ";" after "; END".
//   - Statements that neither read nor write table data are not parsed:
//     EXPLAIN, PRAGMA, ATTACH, DETACH, VACUUM, REINDEX, ANALYZE, BEGIN,
//     COMMIT, END, SAVEPOINT, RELEASE, ROLLBACK, DROP, ALTER and CREATE
//     (TABLE, INDEX, VIEW, VIRTUAL TABLE) become a query.Utility.
//     CREATE TRIGGER becomes a query.Opaque whose Writes are the tables
//     after INSERT [OR action] INTO, REPLACE INTO, UPDATE [OR action] and
//     DELETE FROM in its body, and whose Reads are its table and the tables
//     after FROM and JOIN in its body. CREATE TABLE ... AS SELECT is
//     translated: the PostgreSQL front-end lowers it to an Opaque.
//   - Every other statement is translated and parsed. Every literal's Start
//     and End are then offsets of its token in the SQLite text, and a string
//     literal's Value is the string as SQLite reads it.
//
// # Names
//
// SQLite compares identifiers case-insensitively (ASCII only), quoted or
// not: every name in the result is folded to lower case, without its
// double quotes, brackets or backticks, as FoldIdent folds names from
// configuration. A
// 'string' where SQLite's grammar only takes a name (INSERT INTO 't' ('a'),
// SET 'a' = ..., 't'.'a', AS 'alias', expr 'alias', FROM/JOIN 't',
// COLLATE 'x', USING ('a')) is a name, as in SQLite. A "double-quoted" token
// in the rows of INSERT ... VALUES (outside subqueries), where no column is
// in scope, is the string literal SQLite reads it as (SQLite accepts
// double-quoted strings by default). PostgreSQL truncates names to 63
// bytes, which could merge two SQLite names: a longer name is an error.
//
// # Parameters
//
// SQLite numbers the parameters of each statement itself: ? takes one more
// than the largest index so far, ?NNN takes NNN, and each distinct :name,
// @name, $name or #name (prefix included, case-sensitive) takes the next
// index at its first appearance. The Param of each occurrence says which
// argument modernc.org/sqlite binds to it (conn.bind): an unnamed index
// and ?NNN bind the argument with that ordinal (Name empty); $NNN binds
// argument NNN (Name empty), whatever its index; any other name binds the
// first argument whose driver.NamedValue.Name is the name without prefix,
// and nothing else: then Name is set, and Ordinal is SQLite's index, for
// information only. Numbering starts again in each statement of a
// multi-statement text, and modernc.org/sqlite binds the whole argument list
// to each statement.
//
// # Syntax covered
//
// SQLite syntax that PostgreSQL lacks or reads differently is rewritten:
// INSERT OR action INTO, REPLACE INTO and UPDATE OR action (as INSERT and
// UPDATE: the same values are written); ==; x IS y and x IS NOT y (as IS
// [NOT] DISTINCT FROM); postfix x NOT NULL; GLOB, REGEXP and MATCH as
// operators (as LIKE: the analysis only needs an operator); keywords used
// as function names (replace(), like(), glob(), if()) and next to a dot
// (temp.t, new.key); INDEXED BY and NOT INDEXED (dropped); CAST(x AS type)
// (the type becomes the PostgreSQL type of its SQLite affinity, so that
// CAST(x AS VARCHAR(10)), which keeps the value whole in SQLite, is a text
// cast); LIMIT offset, count. Upserts (ON CONFLICT ... DO UPDATE SET col =
// excluded.col), RETURNING, UPDATE ... FROM, CTEs, window functions, FILTER,
// ->, ->>, ||, COLLATE and hexadecimal numbers or digit separators are the
// same in both. The PostgreSQL front-end lowers blob literals (X'...') to an
// Op named "bit string constant", not a Literal.
//
// Syntax the PostgreSQL parser still rejects yields an error, which the
// analysis turns into a refusal when the text may touch a protected table.
// Known cases: x IN table, JOIN without ON or USING, several ON CONFLICT
// clauses or DO UPDATE without a conflict target, a keyword SQLite lets
// stand for a name where PostgreSQL reserves it (a column named "end"
// written bare), string literals that are not valid UTF-8, and anything
// else SQLite accepts and PostgreSQL does not.
//
// Errors wrap ErrSyntax and give byte offsets, never the SQL text, which may
// hold secrets.
package sqlite
