// Package driver is sqlseal's database/sql driver for PostgreSQL. It wraps
// pgx's stdlib driver, seals values written to protected columns and opens
// them when they are read, so an application keeps its SQL and code:
//
//	import _ "github.com/sqlseal/sqlseal/driver"
//
//	db, err := sql.Open("sqlseal", "postgres://app@db/app") // was sql.Open("pgx", ...)
//
// and sets SQLSEAL_ENCRYPTION_SECRET_KEY (or Metabase's
// MB_ENCRYPTION_SECRET_KEY) in the environment. The protected columns are
// those of SQLSEAL_COLUMNS, by default metabase_database.details; the
// ciphertext is byte-compatible with Metabase's. Configuration is read when
// sql.Open's connector is created; see package config for every setting.
//
// Applications that configure in code use NewConnector with sql.OpenDB, and
// keep pgx's options (AfterConnect and the others):
//
//	cfg := config.Config{SecretKey: key, Columns: []string{"accounts.api_token"}}
//	connector, err := driver.NewConnector(cfg, pgxConfig, stdlib.OptionAfterConnect(f))
//	db := sql.OpenDB(connector)
//
// # What is sealed and opened
//
// Every statement's SQL text is parsed once with PostgreSQL's own parser and
// the result cached. A bound argument or string literal written to a
// protected column (INSERT, UPDATE, upserts, RETURNING, prepared statements,
// transactions, pgx.NamedArgs, a leading pgx.QueryExecMode) is sealed before
// it reaches the server; a result column that comes from a protected column
// (directly, through aliases, joins, CTEs, subqueries, SELECT *, RETURNING)
// is opened. A column that does not come from a protected column is never
// opened, even if it holds ciphertext.
//
// A statement that would write a protected column in a way sqlseal cannot
// prove is sealed (a function or operator over the value, INSERT ... SELECT
// of other data, MERGE, COPY, SQL the parser rejects), or that compares a
// protected column (WHERE details = $1, which could never match randomized
// ciphertext), fails with sqlseal.ErrRefused before anything is sent.
// Errors are those of package github.com/sqlseal/sqlseal.
//
// # Bulk loads with COPY
//
// CopyFrom loads rows with PostgreSQL's COPY protocol (pgx's CopyFrom) and
// seals every protected column's value on the way, as an INSERT through the
// driver seals it:
//
//	conn, err := db.Conn(ctx) // or db itself, or a *sql.Tx
//	n, err := driver.CopyFrom(ctx, conn, pgx.Identifier{"accounts"},
//		[]string{"id", "name", "api_token"}, pgx.CopyFromRows(rows))
//
// The table is resolved as the server resolves it on that connection; an
// unknown table, a view, an unqualified name that resolves to a table in
// another schema than a protected column of that name is configured in, a
// repeated or unknown column, and a value that cannot be sealed are
// refused before anything is sent (a bad value in a later row aborts the
// COPY, and the server keeps none of its rows). SQL COPY statements sent
// as text stay refused.
//
// # Raw connections
//
// The driver connection sql.Conn.Raw hands out is not pgx's *stdlib.Conn
// but the wrapper of github.com/ngrok/sqlmw (an unexported type) around
// sqlseal's connection: code that asserts dc.(*stdlib.Conn) panics, and a
// checked assertion reports false. The wrapper implements driver.Conn,
// driver.ExecerContext, driver.QueryerContext, driver.ConnPrepareContext,
// driver.ConnBeginTx, driver.Pinger, driver.SessionResetter,
// driver.Validator and driver.NamedValueChecker, and each call through it
// is sealed, opened and refused as through database/sql; its legacy Exec
// and Query answer driver.ErrSkip. sqlseal gives out no way to the pgx
// connection on purpose: a *pgx.Conn runs SQL and COPY without analysis,
// so that its writes to protected columns would store plaintext and its
// reads return ciphertext. Use CopyFrom for bulk loads; code that must have
// pgx itself opens its own pool with pgx, which seals nothing.
//
// # Limits
//
// Functions over protected columns in a select list run on ciphertext.
// Server-side code (triggers, functions) sees ciphertext, and what it
// writes to a protected column is not sealed.
//
// # Clients
//
// sqlx needs to know the placeholder style: sqlx.NewDb(db, "pgx") or
// sqlx.BindDriver("sqlseal", sqlx.DOLLAR). GORM takes the *sql.DB
// (postgres.New(postgres.Config{Conn: db})) or DriverName: "sqlseal".
// Migration tools run through the same driver: literals their migrations
// write to protected columns are sealed.
//
// # Concurrency
//
// A *sql.DB opened with sqlseal is safe for concurrent use, as with pgx; all
// its connections share one analysis cache and one set of derived keys.
package driver
