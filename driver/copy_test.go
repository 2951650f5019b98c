package driver_test

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// countedRows counts how often pgx (or sqlseal) asked for a row.
type countedRows struct {
	pgx.CopyFromSource
	next int
}

func (r *countedRows) Next() bool {
	r.next++
	return r.CopyFromSource.Next()
}

// rowsOf is a counted source of rows.
func rowsOf(rows ...[]any) *countedRows {
	return &countedRows{CopyFromSource: pgx.CopyFromRows(rows)}
}

// copyEnv is newEnv on a database of its own: the loads' tables, schemas
// and temporary tables are seen by no other test.
func copyEnv(t *testing.T, columns string) *conformance.Env {
	t.Helper()
	return conformance.NewEnv(t, conformance.Postgres(t, conformance.OnItsOwnDatabase()), columns)
}

// copyModes are the formats sqlseal writes: Metabase's without a key
// table, the envelope format with one. Each runs on a database of its own.
var copyModes = []struct {
	name string
	opt  conformance.Option
}{
	{"metabase", conformance.OnItsOwnDatabase()},
	{"envelope", conformance.WithKeyTable()},
}

// CopyFrom seals every protected value as INSERT does, in either format
// and in text and binary columns: the raw column holds ciphertext that
// opens with the key (in the envelope format, for the column's label), the
// driver reads the plaintext back, NULL stays NULL, and unprotected
// columns hold what was sent.
func TestCopyFromSeals(t *testing.T) {
	for _, mode := range copyModes {
		t.Run(mode.name, func(t *testing.T) {
			be := conformance.Postgres(t, mode.opt)
			for _, typ := range []string{"text", "bytea"} {
				t.Run(typ, func(t *testing.T) {
					e := conformance.NewEnv(t, be, "name text, note text, details "+typ)
					ctx := context.Background()
					conn, err := e.Sealed.Conn(ctx)
					require.NoError(t, err)
					defer conn.Close()

					rows := [][]any{
						{int32(1), "one", "note one", conformance.Details},
						{int32(2), "two", nil, nil},
						{int32(3), "three", "note three", []byte("bytes value")},
						{int32(4), "four", "note four", sql.NullString{String: "valuer", Valid: true}},
						{int32(5), "five", "note five", sql.NullString{}},
					}
					n, err := driver.CopyFrom(ctx, conn, pgx.Identifier{e.Table}, []string{"id", "name", "note", "details"}, rowsOf(rows...))
					require.NoError(t, err)
					require.EqualValues(t, 5, n)
					require.Equal(t, conformance.Details, rows[0][3], "the caller's rows were changed")

					e.RequireSealed(1, conformance.Details)
					e.RequireSealed(3, "bytes value")
					e.RequireSealed(4, "valuer")
					require.Nil(t, e.RawDetails(2))
					require.Nil(t, e.RawDetails(5))
					e.RequireAtRest()
					require.Equal(t, "one", e.RawString(e.Table, "name", 1))
					require.Equal(t, "note three", e.RawString(e.Table, "note", 3))

					require.Equal(t, conformance.Details, e.ReadDetails(1))
					require.Equal(t, "bytes value", e.ReadDetails(3))
					require.Equal(t, [][]string{{"1", conformance.Details}, {"2", "<nil>"}, {"3", "bytes value"}, {"4", "valuer"}, {"5", "<nil>"}},
						conformance.Rows(t, e.Sealed, `SELECT id, details FROM `+e.Table+` ORDER BY id`))
				})
			}
		})
	}
}

// A schema-qualified name loads into that schema's table; a protected
// column configured with a schema is protected there only, as the reads
// see it. With no protected column in the list, rows go through as pgx
// sends them.
func TestCopyFromQualified(t *testing.T) {
	e := copyEnv(t, "name text, details text")
	ctx := context.Background()
	e.RawExec(`CREATE SCHEMA other`)
	e.RawExec(`CREATE TABLE other.` + e.Table + ` (id int, details text)`)
	db := e.Open(config.Config{SecretKey: conformance.Key, Columns: []string{"public." + e.Table + ".details"}})

	n, err := driver.CopyFrom(ctx, db, pgx.Identifier{"public", e.Table}, []string{"id", "details"}, rowsOf([]any{1, "in public"}))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	e.RequireSealed(1, "in public")

	n, err = driver.CopyFrom(ctx, db, pgx.Identifier{"other", e.Table}, []string{"id", "details"}, rowsOf([]any{1, "not protected"}))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Equal(t, "not protected", e.RawString("other."+e.Table, "details", 1))

	// Configured with and without its schema, the column is sealed once.
	both := e.Open(config.Config{SecretKey: conformance.Key, Columns: []string{"public." + e.Table + ".details", e.Table + ".details"}})
	_, err = driver.CopyFrom(ctx, both, pgx.Identifier{e.Table}, []string{"id", "details"}, rowsOf([]any{3, "sealed once"}))
	require.NoError(t, err)
	e.RequireSealed(3, "sealed once")

	// Only the unprotected column is listed: the protected one is not
	// written.
	_, err = driver.CopyFrom(ctx, db, pgx.Identifier{e.Table}, []string{"id", "name"}, rowsOf([]any{2, "just a name"}))
	require.NoError(t, err)
	require.Equal(t, "just a name", e.RawString(e.Table, "name", 2))
	require.Nil(t, e.RawDetails(2))
}

// CopyFrom on a *sql.Tx runs within the transaction: nothing is visible
// before the commit, nothing remains after a rollback.
func TestCopyFromInTransaction(t *testing.T) {
	e := copyEnv(t, "details text")
	ctx := context.Background()
	cols := []string{"id", "details"}

	tx, err := e.Sealed.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = driver.CopyFrom(ctx, tx, pgx.Identifier{e.Table}, cols, rowsOf([]any{1, "rolled back"}))
	require.NoError(t, err)
	require.Equal(t, 0, e.Count(e.Table))
	require.NoError(t, tx.Rollback())
	require.Equal(t, 0, e.Count(e.Table))

	tx, err = e.Sealed.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.Exec(`INSERT INTO `+e.Table+` (id, details) VALUES ($1, $2)`, 1, "inserted")
	require.NoError(t, err)
	_, err = driver.CopyFrom(ctx, tx, pgx.Identifier{e.Table}, cols, rowsOf([]any{2, "copied"}))
	require.NoError(t, err)
	require.Equal(t, 0, e.Count(e.Table))
	require.NoError(t, tx.Commit())
	e.RequireSealed(1, "inserted")
	e.RequireSealed(2, "copied")
	require.Equal(t, "copied", e.ReadDetails(2))
}

// Every refusal happens before anything is sent: the table stays empty,
// the error wraps the sentinel callers branch on, and it quotes no value.
// Refusals of the table or the column list read no row.
func TestCopyFromRefusals(t *testing.T) {
	e := copyEnv(t, "name text, details text")
	ctx := context.Background()
	e.RawExec(`CREATE VIEW ` + e.Table + `_v AS SELECT * FROM ` + e.Table)
	e.DropLater(e.Table + "_v") // a view: DROP TABLE does not drop it, DROP DATABASE does
	v := conformance.RefusedValue
	cols := []string{"id", "details"}

	for _, c := range []struct {
		name    string
		table   pgx.Identifier
		cols    []string
		rows    [][]any
		want    error
		readOne bool // the first row is read, and nothing after it
	}{
		{"unknown table", pgx.Identifier{"no_such_table_x"}, cols, [][]any{{1, v}}, sqlseal.ErrRefused, false},
		{"unknown schema", pgx.Identifier{"no_such_schema", e.Table}, cols, [][]any{{1, v}}, sqlseal.ErrRefused, false},
		{"three-part name", pgx.Identifier{"test", "public", e.Table}, cols, [][]any{{1, v}}, sqlseal.ErrRefused, false},
		{"view", pgx.Identifier{e.Table + "_v"}, cols, [][]any{{1, v}}, sqlseal.ErrRefused, false},
		{"repeated column", pgx.Identifier{e.Table}, []string{"id", "details", "details"}, [][]any{{1, v, v}}, sqlseal.ErrRefused, false},
		{"column spelled otherwise", pgx.Identifier{e.Table}, []string{"id", "Details"}, [][]any{{1, v}}, sqlseal.ErrRefused, false},
		{"quoted column", pgx.Identifier{e.Table}, []string{"id", `"details"`}, [][]any{{1, v}}, sqlseal.ErrRefused, false},
		{"no columns", pgx.Identifier{e.Table}, nil, [][]any{{}}, sqlseal.ErrRefused, false},
		{"integer", pgx.Identifier{e.Table}, cols, [][]any{{1, 42}}, sqlseal.ErrUnsupportedValue, true},
		{"map", pgx.Identifier{e.Table}, cols, [][]any{{1, map[string]string{"k": v}}}, sqlseal.ErrUnsupportedValue, true},
		{"short row", pgx.Identifier{e.Table}, cols, [][]any{{v}}, nil, true},
		{"bad value in a later row", pgx.Identifier{e.Table}, cols, [][]any{{1, "fine"}, {2, "fine"}, {3, 3.5}}, sqlseal.ErrUnsupportedValue, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := rowsOf(c.rows...)
			n, err := driver.CopyFrom(ctx, e.Sealed, c.table, c.cols, src)
			require.Error(t, err)
			if c.want != nil {
				require.ErrorIs(t, err, c.want)
			}
			require.Zero(t, n)
			require.NotContains(t, err.Error(), v)
			require.Equal(t, 0, e.Count(e.Table))
			switch {
			case c.readOne:
				require.Equal(t, 1, src.next)
			case c.want == sqlseal.ErrRefused:
				require.Zero(t, src.next, "a refused load read rows")
			}
		})
	}

	// A protected column whose type cannot hold ciphertext, created after
	// the pool connected.
	later := e.Name("later")
	db := e.Open(config.Config{SecretKey: conformance.Key, Columns: []string{later + ".details"}})
	e.Create(later, "details jsonb")
	src := rowsOf([]any{1, `{"k":"` + v + `"}`})
	_, err := driver.CopyFrom(ctx, db, pgx.Identifier{later}, cols, src)
	require.ErrorIs(t, err, sqlseal.ErrColumnType)
	require.Zero(t, src.next)
	require.Equal(t, 0, e.Count(later))
}

// An unqualified name that the server resolves to another table than the
// protected one (a temporary table of that name shadows it) is refused;
// qualified, the same load goes to the table it names.
func TestCopyFromShadowedName(t *testing.T) {
	e := copyEnv(t, "details text")
	ctx := context.Background()
	db := e.Open(config.Config{SecretKey: conformance.Key, Columns: []string{"public." + e.Table + ".details"}})
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	var shadow *sql.Conn = conn
	err = shadow.Raw(func(dc any) error {
		// A plain pgx connection would be the same session; the temporary
		// table is created on the sealed connection's own session.
		_, err := dc.(sqldriver.ExecerContext).ExecContext(ctx, `CREATE TEMP TABLE `+e.Table+` (id int, details text)`, nil)
		return err
	})
	require.NoError(t, err)

	src := rowsOf([]any{1, conformance.RefusedValue})
	_, err = driver.CopyFrom(ctx, conn, pgx.Identifier{e.Table}, []string{"id", "details"}, src)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Contains(t, err.Error(), "public."+e.Table+".details")
	require.Zero(t, src.next)

	_, err = driver.CopyFrom(ctx, conn, pgx.Identifier{"public", e.Table}, []string{"id", "details"}, rowsOf([]any{1, "qualified"}))
	require.NoError(t, err)
	e.RequireSealed(1, "qualified")
	var temp int
	require.NoError(t, conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_temp.`+e.Table).Scan(&temp))
	require.Zero(t, temp)
}

// A pool that is not sqlseal's (plain pgx) gets ErrNotSealing and reads no
// row: nothing is loaded unsealed.
func TestCopyFromNotSealing(t *testing.T) {
	e := copyEnv(t, "details text")
	src := rowsOf([]any{1, conformance.RefusedValue})
	_, err := driver.CopyFrom(context.Background(), e.Raw, pgx.Identifier{e.Table}, []string{"id", "details"}, src)
	require.ErrorIs(t, err, driver.ErrNotSealing)
	require.NotContains(t, err.Error(), conformance.RefusedValue)
	require.Zero(t, src.next)
	require.Equal(t, 0, e.Count(e.Table))
}

// What sql.Conn.Raw gives on a sqlseal connection is sqlmw's wrapper, not
// pgx's *stdlib.Conn: every call on it goes through sqlseal (what it
// writes is sealed, what it reads opened), and the legacy Execer and
// Queryer, which would skip the interceptor, answer driver.ErrSkip.
func TestRawIsSealed(t *testing.T) {
	e := copyEnv(t, "details text")
	ctx := context.Background()
	conn, err := e.Sealed.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.Raw(func(dc any) error {
		_, isPgx := dc.(*stdlib.Conn)
		require.False(t, isPgx, "Raw gives pgx's connection, which bypasses sealing")

		_, err := dc.(sqldriver.ExecerContext).ExecContext(ctx, `INSERT INTO `+e.Table+` (details) VALUES ($1)`,
			[]sqldriver.NamedValue{{Ordinal: 1, Value: "through raw"}})
		require.NoError(t, err)

		_, err = dc.(sqldriver.Execer).Exec(`INSERT INTO `+e.Table+` (details) VALUES ($1)`, []sqldriver.Value{conformance.RefusedValue}) //nolint:staticcheck // the legacy path must not bypass
		require.ErrorIs(t, err, sqldriver.ErrSkip)
		_, err = dc.(sqldriver.Queryer).Query(`SELECT details FROM `+e.Table, nil) //nolint:staticcheck // the legacy path must not bypass
		require.ErrorIs(t, err, sqldriver.ErrSkip)

		rows, err := dc.(sqldriver.QueryerContext).QueryContext(ctx, `SELECT details FROM `+e.Table, nil)
		require.NoError(t, err)
		defer rows.Close()
		dest := make([]sqldriver.Value, 1)
		require.NoError(t, rows.Next(dest))
		require.Equal(t, "through raw", conformance.Str(dest[0]))
		return nil
	}))
	e.RequireSealed(1, "through raw")
	require.Equal(t, 1, e.Count(e.Table))
}

// A sqlseal pool of another database (SQLite here) takes the load and
// refuses it: it has no COPY, and no row is read.
func TestCopyFromOtherBackend(t *testing.T) {
	connector, err := sqlite.NewConnector(config.Config{SecretKey: conformance.Key, Columns: []string{"t.details"}},
		filepath.Join(t.TempDir(), "copy.db"))
	require.NoError(t, err)
	db := sql.OpenDB(connector)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE other (id integer, note text)`)
	require.NoError(t, err)
	src := rowsOf([]any{1, conformance.RefusedValue})
	_, err = driver.CopyFrom(context.Background(), db, pgx.Identifier{"other"}, []string{"id", "note"}, src)
	require.Error(t, err)
	require.NotErrorIs(t, err, driver.ErrNotSealing)
	require.Contains(t, err.Error(), "COPY")
	require.Zero(t, src.next)
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM other`).Scan(&n))
	require.Zero(t, n)
}

// flipValuer is NULL the first time it is asked, plaintext after.
type flipValuer struct{ asked int }

func (v *flipValuer) Value() (sqldriver.Value, error) {
	v.asked++
	if v.asked == 1 {
		return nil, nil
	}
	return conformance.RefusedValue, nil
}

// A driver.Valuer is asked for its value once: what sqlseal saw (NULL
// here) is what is stored, never a second answer it did not seal.
func TestCopyFromValuerAskedOnce(t *testing.T) {
	e := copyEnv(t, "details text")
	v := &flipValuer{}
	_, err := driver.CopyFrom(context.Background(), e.Sealed, pgx.Identifier{e.Table}, []string{"id", "details"}, rowsOf([]any{1, v}))
	require.NoError(t, err)
	require.Equal(t, 1, v.asked)
	require.Nil(t, e.RawDetails(1))
}

// A partitioned table takes the load: the rows the server routes to a
// partition are sealed for the partitioned table's column, as INSERT
// seals them, and open when read through it.
func TestCopyFromPartitioned(t *testing.T) {
	e := copyEnv(t, "")
	e.RawExec(`CREATE TABLE ` + e.Table + ` (id int, details text) PARTITION BY RANGE (id)`)
	part := e.Name("part")
	e.RawExec(`CREATE TABLE ` + part + ` PARTITION OF ` + e.Table + ` FOR VALUES FROM (0) TO (100)`)
	n, err := driver.CopyFrom(context.Background(), e.Sealed, pgx.Identifier{e.Table}, []string{"id", "details"},
		rowsOf([]any{1, "partitioned"}))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	e.RequireSealed(1, "partitioned")
	require.Equal(t, "partitioned", e.ReadDetails(1))
}
