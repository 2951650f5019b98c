package conformance

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// Env is one test's protected table on a backend: Table's details column
// is protected with Key, Sealed reaches it through sqlseal and Raw through
// the plain driver. Its SQL helpers take ? placeholders (see Q).
type Env struct {
	T      testing.TB      // the test the Env belongs to
	B      *Backend        // the backend it runs on
	Ctx    context.Context // the context of its statements
	Table  string          // the protected table, dropped when T ends
	Binary bool            // details is a binary column: it holds raw bytes
	Sealed *sql.DB         // protects Table.details with Key
	Raw    *sql.DB         // the plain driver: what is at rest
}

// NewEnv creates a fresh table (b.ID, columns) with the plain driver and
// opens Sealed on it; with columns "" the table is named but not created.
func NewEnv(t testing.TB, b *Backend, columns string) *Env {
	t.Helper()
	e := &Env{T: t, B: b, Ctx: context.Background(), Raw: b.Raw}
	e.Table = e.Name("mb")
	if columns != "" {
		e.Create(e.Table, columns)
		e.Binary = binaryDDL(columns)
	}
	e.Sealed = e.Open(e.Config())
	return e
}

// binaryDDL reports whether the details column of columns has a binary
// type.
func binaryDDL(columns string) bool {
	for _, def := range strings.Split(columns, ",") {
		f := strings.Fields(def)
		if len(f) >= 2 && strings.EqualFold(strings.Trim(f[0], "`\""), "details") {
			return isBinaryType(f[1])
		}
	}
	return false
}

func isBinaryType(typ string) bool {
	u := strings.ToUpper(typ)
	return strings.Contains(u, "BLOB") || strings.Contains(u, "BINARY") || strings.Contains(u, "BYTEA")
}

// Name returns a fresh table name starting with prefix; the table is
// dropped when the test ends.
func (e *Env) Name(prefix string) string {
	n := testdb.Name(e.T, prefix)
	e.DropLater(n)
	return n
}

// DropLater drops table, if it exists, when the test ends.
func (e *Env) DropLater(table string) {
	e.T.Cleanup(func() { e.Raw.Exec(`DROP TABLE IF EXISTS ` + e.B.Quote(table)) })
}

// Create creates table (b.ID, columns) with the plain driver.
func (e *Env) Create(table, columns string) {
	e.T.Helper()
	e.RawExec(`CREATE TABLE ` + table + ` (` + e.B.ID + `, ` + columns + `)`)
}

// Config protects Table.details with Key.
func (e *Env) Config() config.Config {
	return e.ConfigFor(e.Table + ".details")
}

// ConfigFor protects columns with Key.
func (e *Env) ConfigFor(columns ...string) config.Config {
	return config.Config{SecretKey: Key, Columns: columns}
}

// Open opens a pool through sqlseal with cfg; it must connect.
func (e *Env) Open(cfg config.Config) *sql.DB {
	e.T.Helper()
	db, err := e.OpenErr(cfg)
	require.NoError(e.T, err)
	return db
}

// OpenErr opens a pool through sqlseal with cfg and returns the
// connect-time error.
func (e *Env) OpenErr(cfg config.Config) (*sql.DB, error) {
	e.T.Helper()
	return e.B.Open(e.T, cfg)
}

// OpenPool opens c, a connector made with error err, as a pool closed
// when t ends, and pings it: the error is the connect-time error.
func OpenPool(t testing.TB, c driver.Connector, err error) (*sql.DB, error) {
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db, db.Ping()
}

// openParsed parses dsn with parse (the wrapped driver's), lets edit (if
// not nil) change the result, and opens the connector connect makes of it
// with OpenPool.
func openParsed[C any](t testing.TB, dsn string, parse func(string) (C, error), edit func(C), connect func(C) (driver.Connector, error)) (*sql.DB, error) {
	t.Helper()
	c, err := parse(dsn)
	require.NoError(t, err)
	if edit != nil {
		edit(c)
	}
	conn, err := connect(c)
	return OpenPool(t, conn, err)
}

// Q rewrites each ? of q outside quotes and comments as the backend's
// placeholder, numbered in order.
func (e *Env) Q(q string) string { return e.B.Q(q) }

// Q rewrites each ? of q outside quotes and comments as b's placeholder,
// numbered in order.
func (b *Backend) Q(q string) string {
	if b.Placeholder == nil {
		return q
	}
	var out strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			end := strings.IndexByte(q[i+1:], c)
			if end < 0 {
				out.WriteString(q[i:])
				return out.String()
			}
			out.WriteString(q[i : i+end+2])
			i += end + 1
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i
			}
			out.WriteString(q[i : i+end])
			i += end - 1
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			end := strings.Index(q[i:], "*/")
			if end < 0 {
				end = len(q) - i - 2
			}
			out.WriteString(q[i : i+end+2])
			i += end + 1
		case c == '?':
			n++
			out.WriteString(b.Placeholder(n))
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

// Exec runs q through Sealed; it must succeed.
func (e *Env) Exec(q string, args ...any) sql.Result {
	e.T.Helper()
	res, err := e.Sealed.ExecContext(e.Ctx, e.Q(q), args...)
	require.NoError(e.T, err, q)
	return res
}

// RawExec runs q with the plain driver; it must succeed.
func (e *Env) RawExec(q string, args ...any) {
	e.T.Helper()
	_, err := e.Raw.ExecContext(e.Ctx, e.Q(q), args...)
	require.NoError(e.T, err, q)
}

// RawValue returns column col of row id of table as the plain driver
// reads it (nil for NULL).
func (e *Env) RawValue(table, col string, id int64) any {
	e.T.Helper()
	var v any
	require.NoError(e.T, e.Raw.QueryRowContext(e.Ctx, e.Q(`SELECT `+e.B.Quote(col)+` FROM `+table+` WHERE id = ?`), id).Scan(&v))
	return v
}

// RawString returns column col of row id of table as stored, as a
// string.
func (e *Env) RawString(table, col string, id int64) string {
	e.T.Helper()
	return Str(e.RawValue(table, col, id))
}

// RawDetails returns details of row id as stored.
func (e *Env) RawDetails(id int64) any {
	e.T.Helper()
	return e.RawValue(e.Table, "details", id)
}

// RequireSealed proves that details of row id is ciphertext at rest that
// opens with Key to want.
func (e *Env) RequireSealed(id int64, want string) {
	e.T.Helper()
	e.RequireSealedIn(e.Table, "details", e.Binary, id, want)
}

// RequireSealedIn proves that col of row id of table is ciphertext that
// opens with Key to want: base64 text, or raw bytes when binary.
func (e *Env) RequireSealedIn(table, col string, binary bool, id int64, want string) {
	e.T.Helper()
	require.Equal(e.T, want, e.openStored(table, col, e.RawValue(table, col, id), binary, true), "%s.%s of row %d", table, col, id)
}

// ReadDetails reads details of row id through Sealed.
func (e *Env) ReadDetails(id int64) string {
	e.T.Helper()
	return e.ReadDetailsWith(e.Sealed, id)
}

// ReadDetailsWith reads details of row id through db.
func (e *Env) ReadDetailsWith(db *sql.DB, id int64) string {
	e.T.Helper()
	var s string
	require.NoError(e.T, db.QueryRowContext(e.Ctx, e.Q(`SELECT details FROM `+e.Table+` WHERE id = ?`), id).Scan(&s))
	return s
}

// Count returns the number of rows of table.
func (e *Env) Count(table string) int {
	e.T.Helper()
	var n int
	require.NoError(e.T, e.Raw.QueryRowContext(e.Ctx, `SELECT count(*) FROM `+table).Scan(&n))
	return n
}

// RequireAtRest proves that every non-NULL details is ciphertext that
// opens with Key.
func (e *Env) RequireAtRest() {
	e.T.Helper()
	e.RequireAtRestIn(e.Table, "details", e.Binary)
}

// RequireAtRestIn proves that every non-NULL col of table is ciphertext
// that opens with Key.
func (e *Env) RequireAtRestIn(table, col string, binary bool) {
	e.T.Helper()
	quoted := e.B.Quote(col)
	rows, err := e.Raw.QueryContext(e.Ctx, `SELECT `+quoted+` FROM `+table+` WHERE `+quoted+` IS NOT NULL`)
	require.NoError(e.T, err)
	defer rows.Close()
	for rows.Next() {
		var v any
		require.NoError(e.T, rows.Scan(&v))
		e.openStored(table, col, v, binary, false)
	}
	require.NoError(e.T, rows.Err())
}

// openStored opens a value of col of table as stored: in the envelope
// format under the backend's data keys when it has a key table (strict) or
// also in the Metabase format under Key (a row the test stored itself),
// otherwise in the Metabase format under Key; anything else fails the
// test.
func (e *Env) openStored(table, col string, v any, binary, strict bool) string {
	e.T.Helper()
	if e.B.DataKeys == nil || (!strict && !looksEnvelope(v, binary)) {
		return testdb.OpenStored(e.T, Key, v, binary)
	}
	return testdb.OpenStoredEnvelope(e.T, e.B.DataKeys, keytable.Label(table, col), v, binary)
}

// looksEnvelope reports whether a stored value starts like an envelope
// value.
func looksEnvelope(v any, binary bool) bool {
	s := Str(v)
	if binary {
		return strings.HasPrefix(s, "SQS\x02")
	}
	return strings.HasPrefix(s, "U1FTA")
}

// SealedLen is the length of a ciphertext of n bytes of plaintext as a
// binary column stores it, in the backend's format.
func (e *Env) SealedLen(n int) int {
	if e.B.DataKeys != nil {
		return 36 + n // header, nonce, ciphertext, tag
	}
	return 16 + (n/16+1)*16 + 32 // iv, the padded plaintext, the tag
}

// LooksSealedRaw reports whether raw bytes stored in a binary column have
// the shape of a ciphertext of the backend's format.
func (e *Env) LooksSealedRaw(raw []byte) bool {
	if e.B.DataKeys != nil {
		return looksEnvelope(raw, true) && len(raw) >= 36
	}
	return codec.LooksSealedRaw(raw)
}

// RefusedValue is a value a refused statement writes; no error may quote
// it.
const RefusedValue = "refused-value-7f3a"

// RequireRefused checks that err is sqlseal's refusal naming column and
// not quoting RefusedValue.
func RequireRefused(t testing.TB, err error, column, sql string) {
	t.Helper()
	require.ErrorIs(t, err, sqlseal.ErrRefused, sql)
	var re *sqlseal.RefusalError
	require.True(t, errors.As(err, &re), sql)
	require.Contains(t, err.Error(), column, sql)
	require.NotContains(t, err.Error(), RefusedValue, sql)
}

// RequireQuotesNothing fails if err's text, the table's name taken out,
// holds any of words.
func (e *Env) RequireQuotesNothing(err error, words ...string) {
	e.T.Helper()
	msg := strings.ReplaceAll(err.Error(), e.Table, "<table>")
	for _, w := range words {
		require.NotContains(e.T, msg, w)
	}
}

// SealText returns v sealed with secret as a text column stores it.
func SealText(t testing.TB, secret, v string) string {
	t.Helper()
	k, err := codec.DeriveKey(secret)
	require.NoError(t, err)
	return k.SealText([]byte(v))
}

// Planted returns a valid ciphertext of Stolen under Key, as an attacker
// copies it from the protected column into one they can write.
func Planted(t testing.TB) string { return SealText(t, Key, Stolen) }

// RequireNotOpened fails if a value read through sqlseal is the plaintext
// of a planted ciphertext.
func RequireNotOpened(t testing.TB, got any) {
	t.Helper()
	require.NotContains(t, Str(got), Stolen, "an unprotected column was opened")
}

// Str returns a value as a driver or Scan gives it, as a string: strings
// and bytes as they are, NULL as "<nil>", numbers in decimal.
func Str(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// Rows runs q through db and returns every row, each column as a string
// ("<nil>" for NULL).
func Rows(t testing.TB, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	require.NoError(t, err, q)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...), q)
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "<nil>"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	require.NoError(t, rows.Err(), q)
	return out
}

// Outcome is everything an application can observe of a query: result
// column names and types, rows, and the error.
type Outcome struct {
	Types []string // per column: name, database type, scan type
	Rows  [][]any  // the values scanned into any
	Err   string   // the error's text, "" for none
}

// Observe runs a query through db and records its Outcome.
func Observe(db *sql.DB, query string, args []any) Outcome {
	var o Outcome
	rows, err := db.Query(query, args...)
	if err != nil {
		o.Err = err.Error()
		return o
	}
	defer rows.Close()
	cts, _ := rows.ColumnTypes()
	for _, ct := range cts {
		o.Types = append(o.Types, fmt.Sprintf("%s %s %v", ct.Name(), ct.DatabaseTypeName(), ct.ScanType()))
	}
	for rows.Next() {
		vals := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			o.Err = err.Error()
			return o
		}
		o.Rows = append(o.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		o.Err = err.Error()
	}
	return o
}
