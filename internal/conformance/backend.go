// Package conformance is sqlseal's behaviour contract written once, as
// scenarios that run against each backend: PostgreSQL (pgx), MariaDB
// (go-sql-driver/mysql) and SQLite (modernc.org/sqlite). A backend's test
// package runs every scenario with
//
//	func TestConformance(t *testing.T) { conformance.Run(t, conformance.Postgres(t)) }
//
// and keeps tests of its own only for what is specific to it. Every write
// scenario reads the stored value with the plain driver to prove it is
// ciphertext at rest that opens to what was written, then reads it
// through sqlseal to prove the application gets the plaintext back; every
// refusal is checked on every path database/sql offers, and, where a
// server-side probe can tell, shown never to have reached the server.
//
// The package is imported only by tests; it is written as ordinary Go
// files so that the test packages of the three drivers and the
// integration tests share it. Env is the fixture the scenarios use, and is
// exported for the backend-specific tests.
package conformance

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// Keys and values the scenarios use.
const (
	// Key seals the protected column of every Env.
	Key = "conformance-key-0123456789abcdef"
	// OldKey and OtherKey are other valid secrets: a key being rotated
	// out, and one the data was never sealed with.
	OldKey   = "conformance-old-key-0123456789ab"
	OtherKey = "conformance-other-key-012345678"

	// Details is the plaintext of a typical protected value.
	Details = `{"host":"db.internal","port":5432,"user":"metabase","password":"hunter2"}`

	// Stolen is the plaintext of a ciphertext an attacker copies into a
	// column they can write (see Planted): reading it through sqlseal must
	// never give Stolen back.
	Stolen = "stolen-secret-4e1d"
)

// Backend is one database and driver the kit runs against: how to reach
// it through sqlseal and through the plain driver, and how its dialect
// spells what the scenarios need. Postgres, MariaDB and SQLite return the
// three backends.
type Backend struct {
	// Name names the backend: "postgres", "mariadb" or "sqlite".
	Name string
	// DriverName is the name sqlseal's driver for this database registers
	// with database/sql, and DSN the test database's DSN in the wrapped
	// driver's form: sql.Open(DriverName, DSN) with the configuration in
	// the environment reaches the same database as Open.
	DriverName, DSN string
	// Open opens a pool through sqlseal on the test database with cfg and
	// pings it, which connects and runs the connect-time checks; the error
	// is Ping's. The pool is closed when t ends.
	Open func(t testing.TB, cfg config.Config) (*sql.DB, error)
	// Raw is a pool of the plain driver on the same database: what is at
	// rest.
	Raw *sql.DB
	// Schema is the schema (PostgreSQL), database (MariaDB) or attached
	// database (SQLite) the test tables live in; TempSchema is the one
	// that holds temporary tables, where sqlseal resolves a name that a
	// temporary table shadows to that table. TempSchema is "" where a
	// temporary table is named as the table it shadows (MariaDB): sqlseal
	// then treats it as that table.
	Schema, TempSchema string
	// Probe returns an integer SQL expression that evaluates to 1 and
	// counts each evaluation on the server, and a function that returns
	// how many there were: a statement that calls it and was refused never
	// ran (PostgreSQL: a sequence's nextval; MariaDB: a stored function
	// that updates a counter table; SQLite: a Go function registered with
	// the driver).
	Probe func(t testing.TB) (expr string, calls func() int64)

	// ID is the DDL of an integer primary key "id" that the database
	// numbers from 1 when a row gives none.
	ID string
	// TextTypes are column types that hold ciphertext as base64 text,
	// BinaryTypes those that hold it as raw bytes, and RefusedTypes those
	// that cannot hold it (sqlseal.ErrColumnType). A scenario that needs
	// one binary type takes BinaryTypes[0].
	TextTypes, BinaryTypes, RefusedTypes []string
	// Placeholder is the n-th (1-based) bind parameter; nil means "?".
	// The scenarios write ? and Env.Q rewrites it.
	Placeholder func(n int) string
	// Quote quotes an identifier.
	Quote func(name string) string
	// Concat is the SQL that concatenates two strings.
	Concat func(a, b string) string
	// CastText casts x to a text type.
	CastText func(x string) string
	// Upsert is the clause that makes INSERT INTO t (id, ...) VALUES
	// (...) update the row whose id already exists with set, and Proposed
	// names the value the insert proposed for col.
	Upsert   func(set string) string
	Proposed func(col string) string
	// CTE says which WITH entries see the entries after them.
	CTE CTEScope
	// LastInsertID: Result.LastInsertId returns the id of an inserted
	// row. InsertReturning: INSERT and DELETE take RETURNING.
	// UpdateReturning: UPDATE takes RETURNING.
	LastInsertID, InsertReturning, UpdateReturning bool
	// PreparedResultFixed: the server fails a prepared statement whose
	// result columns changed since it was prepared (PostgreSQL).
	PreparedResultFixed bool
	// Literals are literal forms of this dialect that scenarios write to
	// every protected column type.
	Literals []Literal
	// Extras are statements of this dialect only, of the classes the kit's
	// scenarios check; each scenario runs them with its own.
	Extras Extras

	// SqlxDriver is the driver name sqlx picks its bind style by.
	SqlxDriver string
	// Gorm are GORM's dialectors for this database over a sqlseal pool, by
	// the name of the configuration they stand for; clients/gorm runs each.
	Gorm map[string]func(conn *sql.DB) gorm.Dialector
	// GormByName is GORM's dialector that opens sql.Open(driverName, dsn)
	// itself.
	GormByName func(driverName, dsn string) gorm.Dialector

	// TermType is the column type of a blind index sibling column that a
	// UNIQUE constraint can serve (33-byte terms).
	TermType string
	// BlindIndexRewrites: sqlseal rewrites writes and lookups of a
	// blind-indexed column on this backend; otherwise it refuses them.
	BlindIndexRewrites bool

	// DataKeys are the data keys of the key table of the backend's
	// database (WithKeyTable), nil without one: sqlseal then writes the
	// envelope format, and the checks of values at rest open them with
	// these keys and the column's label.
	DataKeys *codec.DataKeySet
	// IndexKey is the active index key of that key table, which computes
	// blind index terms; nil without a key table (the secret's then).
	IndexKey *codec.IndexKey
}

// Option configures a backend.
type Option func(*options)

type options struct {
	keyTable, ownDatabase bool
}

// WithKeyTable runs the backend on a database of its own with a key table
// whose data key is wrapped by Key's master key: the whole contract then
// holds for the envelope format.
func WithKeyTable() Option { return func(o *options) { o.keyTable, o.ownDatabase = true, true } }

// OnItsOwnDatabase runs the backend on a fresh database, dropped when the
// test ends, for a test that makes a key table of its own.
func OnItsOwnDatabase() Option { return func(o *options) { o.ownDatabase = true } }

// optionsOf applies opts.
func optionsOf(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// database returns the DSN of the test server's database, or of a fresh
// database of its when o asks for one.
func (o options) database(t testing.TB, shared, own func(testing.TB) string) string {
	t.Helper()
	if o.ownDatabase {
		return own(t)
	}
	return shared(t)
}

// quoteWith returns the function that quotes an identifier in q, doubling
// q inside it.
func quoteWith(q string) func(string) string {
	return func(name string) string { return q + strings.ReplaceAll(name, q, q+q) + q }
}

// finish gives be the key table that o asks for.
func (o options) finish(t testing.TB, be *Backend, family string) *Backend {
	t.Helper()
	if !o.keyTable {
		return be
	}
	ctx := context.Background()
	master, err := config.Config{SecretKey: Key}.MasterKey(ctx)
	require.NoError(t, err)
	flavor, err := keytable.FlavorOf(family)
	require.NoError(t, err)
	_, err = keytable.Init(ctx, be.Raw, flavor, master)
	require.NoError(t, err)
	entries, err := keytable.LoadIfExists(ctx, be.Raw, flavor)
	require.NoError(t, err)
	keys, err := keytable.DataKeys(ctx, master, entries, nil)
	require.NoError(t, err)
	be.DataKeys = keys.Set
	// The blind index key: with a key table, the root of every term.
	_, err = keytable.NewKey(ctx, be.Raw, flavor, master, keytable.PurposeIndex)
	require.NoError(t, err)
	entries, err = keytable.LoadIfExists(ctx, be.Raw, flavor)
	require.NoError(t, err)
	index, err := keytable.IndexKeysOf(ctx, master, entries)
	require.NoError(t, err)
	be.IndexKey = index.Active
	return be
}

// CTEScope says which entries of a WITH clause a name in an entry can
// mean, where the dialects differ.
type CTEScope int

const (
	// RecursiveSeesLater: under WITH RECURSIVE an entry sees the entries
	// after it; under a plain WITH it does not (PostgreSQL).
	RecursiveSeesLater CTEScope = iota
	// AlwaysSeesLater: every entry sees every other, with or without
	// RECURSIVE (SQLite).
	AlwaysSeesLater
	// RecursiveAmbiguous: under WITH RECURSIVE, MariaDB resolves a name to
	// a later entry and MySQL to a table of that name, so sqlseal refuses
	// a name that means a protected column under either reading; a plain
	// WITH sees earlier entries only. The WITH of an INSERT ... SELECT
	// comes after INSERT INTO t (...) (MySQL, MariaDB).
	RecursiveAmbiguous
)

// Literal is a literal form of a dialect written to a protected column:
// sealed as Want, or, when Refused, refused.
type Literal struct {
	SQL     string // the literal as written in a statement
	Want    string // the value it stores, when it is sealed
	Refused bool   // it is refused instead
}

// Stmt is one statement with its arguments.
type Stmt struct {
	SQL  string // the text, with ? placeholders unless the dialect's own
	Args []any  // its arguments
}

// Shape is a statement that writes details, and the row it leaves: ID's
// details is then Want, at rest (sealed) and through sqlseal, and, unless
// Name is "", its name column holds Name as written.
type Shape struct {
	SQL  string // the statement, with ? placeholders unless the dialect's own
	Args []any  // its arguments
	ID   int64  // the row it writes
	Want string // the row's details afterwards
	Name string // the row's name afterwards, unless ""
}

// Read is a query and every row it must return, each column as a string
// ("<nil>" for NULL): protected columns opened, others exactly as stored.
type Read struct {
	Name string     // names the subtest
	SQL  string     // the query, with ? placeholders unless the dialect's own
	Args []any      // its arguments
	Want [][]string // every row it returns, in order
}

// Extras hold a dialect's own statements of the classes the kit checks;
// a nil function adds nothing.
type Extras struct {
	// Shapes are statements run in order on a fresh table (id, name,
	// details) by writes/dialect_shapes.
	Shapes func(table string) []Shape
	// Reads are queries reads/whatever_the_sql_calls_them checks on its
	// fixture (see reads.go): the protected table and the owners table,
	// and the values of Stolen's ciphertext (stolen) and of the rows.
	Reads func(f ReadNames) []Read
	// Refused are statements refusals/never_reach_server must refuse:
	// table is protected, other an unprotected table (id, note), probe the
	// backend's probe expression and v the value that must not appear in
	// the error.
	Refused func(table, other, probe, v string) []Stmt
	// MovingDDL are statements that move values into table.details,
	// table.extra or fresh.details (fresh does not exist yet), which
	// attacks/ddl must refuse (other is an unprotected table (id,
	// details)); HarmlessDDL are statements it must let through.
	MovingDDL, HarmlessDDL func(table, other, fresh string) []string
	// DynamicSQL are statements whose SQL the server computes, writing
	// 'plain' into details of the table named head+tail; nil where the
	// dialect has none.
	DynamicSQL func(head, tail string) []string
}

// ReadNames are the names and values of the reads fixture, for
// Extras.Reads.
type ReadNames struct {
	// Table is the protected table (id, name, details, note), Owners the
	// unprotected one (id, conn_id, owner, details).
	Table, Owners string
	// Stolen is the stored ciphertext of Stolen in the unprotected
	// columns; One and Two are the details of rows 1 and 2.
	Stolen, One, Two string
}
