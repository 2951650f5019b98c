package conformance

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
)

// two is the details of row 2 of the reads fixture (row 1's is Details).
const two = `{"host":"two"}`

// readsFixture is a protected table (id, name, details, note) with two
// rows written through sqlseal, whose note holds a planted ciphertext,
// and an unprotected table of owners (id, conn_id, owner, details) that
// joins to it on conn_id; its details hold the planted ciphertext too, or
// NULL.
type readsFixture struct {
	*Env
	n ReadNames
}

func newReads(t *testing.T, b *Backend) *readsFixture {
	e := NewEnv(t, b, "name TEXT, details TEXT, note TEXT")
	f := &readsFixture{Env: e, n: ReadNames{Table: e.Table, Owners: e.Name("owner"), Stolen: Planted(t), One: Details, Two: two}}
	e.Exec(`INSERT INTO `+e.Table+` (name, details, note) VALUES (?, ?, ?), (?, ?, ?)`,
		"one", f.n.One, f.n.Stolen, "two", f.n.Two, f.n.Stolen)
	e.RequireSealed(1, f.n.One)
	e.RequireSealed(2, f.n.Two)
	e.Create(f.n.Owners, "conn_id INT, owner VARCHAR(100), details TEXT")
	e.RawExec(`INSERT INTO `+f.n.Owners+` (conn_id, owner, details) VALUES (1, 'alice', ?), (2, 'bob', ?), (2, 'carol', NULL)`, f.n.Stolen, f.n.Stolen)
	require.Equal(t, f.n.Stolen, e.RawString(e.Table, "note", 1))
	return f
}

// check runs each read through sqlseal.
func (f *readsFixture) check(t *testing.T, reads []Read) {
	for _, r := range reads {
		t.Run(r.Name, func(t *testing.T) {
			require.Equal(t, r.Want, Rows(t, f.Sealed, f.Q(r.SQL), r.Args...), r.SQL)
		})
	}
}

func whateverTheSQLCallsThem(t *testing.T, b *Backend) {
	f := newReads(t, b)
	tb, ow, sc, q := f.Table, f.n.Owners, b.Schema, b.Quote
	one, two, s, null := f.n.One, f.n.Two, f.n.Stolen, "<nil>"
	f.check(t, []Read{
		{"plain", `SELECT details FROM ` + tb + ` WHERE id = ?`, []any{1}, [][]string{{one}}},
		{"qualified", `SELECT ` + sc + `.` + tb + `.details FROM ` + sc + `.` + tb + ` ORDER BY id`, nil, [][]string{{one}, {two}}},
		{"alias", `SELECT details AS d, name AS details FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{two, "two"}}},
		{"alias without AS", `SELECT details d FROM ` + tb + ` WHERE name = 'two'`, nil, [][]string{{two}}},
		{"table alias", `SELECT c.id, c.details FROM ` + tb + ` AS c WHERE c.name = ?`, []any{"one"}, [][]string{{"1", one}}},
		{"table alias and unprotected", `SELECT c.details, c.note FROM ` + tb + ` AS c WHERE c.id = ?`, []any{2}, [][]string{{two, s}}},
		{"quoted", `SELECT ` + q("details") + ` FROM ` + q(tb) + ` WHERE ` + q("id") + ` = 2`, nil, [][]string{{two}}},
		{"quoted alias", `SELECT ` + q("details") + ` AS d, name AS ` + q("n") + ` FROM ` + q(tb) + ` WHERE id = ?`, []any{1}, [][]string{{one, "one"}}},
		{"twice", `SELECT details, id, details AS again FROM ` + tb + ` WHERE id = 1`, nil, [][]string{{one, "1", one}}},
		{"star", `SELECT * FROM ` + tb + ` ORDER BY id`, nil, [][]string{{"1", "one", one, s}, {"2", "two", two, s}}},
		{"star and column", `SELECT *, details AS d FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{"2", "two", two, s, two}}},
		{"qualified star between columns", `SELECT c.id AS n, c.*, c.details AS d FROM ` + tb + ` c WHERE c.id = 2`, nil, [][]string{{"2", "2", "two", two, s, two}}},
		{"qualified star", `SELECT c.* FROM ` + tb + ` c WHERE id = 1`, nil, [][]string{{"1", "one", one, s}}},
		{"join", `SELECT o.owner, c.details, o.details FROM ` + ow + ` o JOIN ` + tb + ` c ON c.id = o.conn_id ORDER BY o.id`, nil,
			[][]string{{"alice", one, s}, {"bob", two, s}, {"carol", two, null}}},
		{"join stars", `SELECT c.*, o.* FROM ` + tb + ` c JOIN ` + ow + ` o ON c.id = o.conn_id WHERE c.id = 1`, nil,
			[][]string{{"1", "one", one, s, "1", "1", "alice", s}}},
		{"join star", `SELECT * FROM ` + ow + ` o JOIN ` + tb + ` c ON c.id = o.conn_id WHERE o.id = 2`, nil,
			[][]string{{"2", "2", "bob", s, "2", "two", two, s}}},
		{"join star and column", `SELECT c.*, o.details FROM ` + tb + ` c JOIN ` + ow + ` o ON o.conn_id = c.id WHERE o.id = ?`, []any{2},
			[][]string{{"2", "two", two, s, s}}},
		{"comma join stars", `SELECT o.*, c.* FROM ` + ow + ` o, ` + tb + ` c WHERE c.id = o.conn_id AND o.id = 2`, nil,
			[][]string{{"2", "2", "bob", s, "2", "two", two, s}}},
		{"left join", `SELECT o.owner, c.details FROM ` + ow + ` o LEFT JOIN ` + tb + ` c ON c.id = o.conn_id + 1 ORDER BY o.id`, nil,
			[][]string{{"alice", two}, {"bob", null}, {"carol", null}}},
		{"left join unprotected first", `SELECT o.details, c.details FROM ` + ow + ` o LEFT JOIN ` + tb + ` c ON c.id = o.conn_id WHERE o.id = ?`, []any{1},
			[][]string{{s, one}}},
		{"cte", `WITH c AS (SELECT id, details AS secret FROM ` + tb + `) SELECT secret FROM c WHERE id = ?`, []any{2}, [][]string{{two}}},
		{"cte keeping the name", `WITH w AS (SELECT id, details FROM ` + tb + `) SELECT details FROM w WHERE id = ?`, []any{2}, [][]string{{two}}},
		{"cte star", `WITH c AS (SELECT * FROM ` + tb + `) SELECT c.name, c.details FROM c ORDER BY id`, nil, [][]string{{"one", one}, {"two", two}}},
		{"subquery in from", `SELECT s.d FROM (SELECT id, details AS d FROM ` + tb + `) s WHERE s.id = 1`, nil, [][]string{{one}}},
		{"subquery in from filtered inside", `SELECT x.secret FROM (SELECT details AS secret FROM ` + tb + ` WHERE id = 1) x`, nil, [][]string{{one}}},
		{"nested subqueries", `SELECT x FROM (SELECT d AS x, i FROM (SELECT id AS i, details AS d FROM ` + tb + `) a) b WHERE i = 2`, nil, [][]string{{two}}},
		{"cast to text", `SELECT ` + b.CastText("details") + ` AS d FROM ` + tb + ` WHERE id = 1`, nil, [][]string{{one}}},
		{"union", `SELECT details FROM ` + tb + ` WHERE id = 1 UNION ALL SELECT details FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{one}, {two}}},
		{"union with null", `SELECT id, details FROM ` + tb + ` WHERE id = 2 UNION ALL SELECT 0, NULL ORDER BY 1`, nil, [][]string{{"0", null}, {"2", two}}},
		{"where on unprotected", `SELECT details FROM ` + tb + ` WHERE name = ? AND note IS NOT NULL`, []any{"two"}, [][]string{{two}}},
		{"order and limit", `SELECT details FROM ` + tb + ` ORDER BY id DESC LIMIT 1`, nil, [][]string{{two}}},
		{"unprotected named details", `SELECT note AS details FROM ` + tb + ` WHERE id = 1`, nil, [][]string{{s}}},
		{"no rows", `SELECT details FROM ` + tb + ` WHERE id = 99`, nil, nil},
	})
	if b.Extras.Reads != nil {
		f.check(t, b.Extras.Reads(f.n))
	}
}

// unprotectedCiphertextNotOpened is the security rule: whoever can write
// an ordinary column must not get sqlseal to decrypt a stolen ciphertext
// for them, whatever name the query gives the column.
func unprotectedCiphertextNotOpened(t *testing.T, b *Backend) {
	f := newReads(t, b)
	tb, ow, s := f.Table, f.n.Owners, f.n.Stolen
	f.RawExec(`UPDATE `+tb+` SET name = ? WHERE id = 2`, s)
	require.True(t, codec.LooksSealed(s))
	cases := []Read{
		{"column", `SELECT note FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{s}}},
		{"aliased as details", `SELECT note AS details FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{s}}},
		{"star", `SELECT * FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{"2", s, f.n.Two, s}}},
		{"other table's details", `SELECT details FROM ` + ow + ` WHERE details IS NOT NULL ORDER BY id`, nil, [][]string{{s}, {s}}},
		{"other table's star", `SELECT * FROM ` + ow + ` WHERE id = 1`, nil, [][]string{{"1", "1", "alice", s}}},
		{"join", `SELECT c.details, o.details, c.note FROM ` + tb + ` c JOIN ` + ow + ` o ON o.conn_id = c.id WHERE o.id = 2`, nil, [][]string{{f.n.Two, s, s}}},
		{"cte", `WITH c AS (SELECT note AS details FROM ` + tb + ` WHERE id = 2) SELECT details FROM c`, nil, [][]string{{s}}},
		{"subquery", `SELECT details FROM (SELECT name AS details FROM ` + tb + ` WHERE id = 2) s`, nil, [][]string{{s}}},
		{"scalar subquery", `SELECT (SELECT note FROM ` + tb + ` WHERE id = 2) AS details`, nil, [][]string{{s}}},
		{"expression", `SELECT coalesce(note, '') AS details FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{s}}},
	}
	if b.UpdateReturning {
		cases = append(cases, Read{"update returning", `UPDATE ` + tb + ` SET id = id WHERE id = 2 RETURNING note AS details`, nil, [][]string{{s}}})
	}
	if b.InsertReturning {
		cases = append(cases, Read{"insert returning", `INSERT INTO ` + tb + ` (id, note) VALUES (3, ?) RETURNING note AS details`, []any{s}, [][]string{{s}}})
	}
	f.check(t, cases)

	// A result column that mixes the protected column with an ordinary
	// one cannot be opened safely: refused.
	for _, q := range []string{
		`SELECT details FROM ` + tb + ` WHERE id = 1 UNION ALL SELECT note FROM ` + tb + ` WHERE id = 2`,
		`SELECT note FROM ` + tb + ` WHERE id = 2 UNION SELECT details FROM ` + tb + ` WHERE id = 1`,
	} {
		_, err := f.Sealed.Query(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		require.Contains(t, err.Error(), tb+".details")
	}
}

func readsPreparedAndTransactions(t *testing.T, b *Backend) {
	f := newReads(t, b)
	tb := f.Table
	stmt, err := f.Sealed.Prepare(f.Q(`SELECT id, note, details FROM ` + tb + ` WHERE id = ?`))
	require.NoError(t, err)
	defer stmt.Close()
	var (
		id        int
		note, det string
	)
	for i, want := range []string{f.n.One, f.n.Two} {
		require.NoError(t, stmt.QueryRow(i+1).Scan(&id, &note, &det))
		require.Equal(t, want, det)
		require.Equal(t, f.n.Stolen, note)
	}
	aliased, err := f.Sealed.Prepare(f.Q(`SELECT c.details FROM ` + tb + ` c WHERE c.id = ?`))
	require.NoError(t, err)
	defer aliased.Close()
	require.NoError(t, aliased.QueryRow(2).Scan(&det))
	require.Equal(t, f.n.Two, det)

	tx, err := f.Sealed.Begin()
	require.NoError(t, err)
	defer tx.Rollback()
	rows, err := tx.Query(`SELECT details FROM ` + tb + ` ORDER BY id`)
	require.NoError(t, err)
	var got []string
	for rows.Next() {
		require.NoError(t, rows.Scan(&det))
		got = append(got, det)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{f.n.One, f.n.Two}, got)
	require.NoError(t, tx.Stmt(stmt).QueryRow(2).Scan(&id, &note, &det))
	require.Equal(t, f.n.Two, det)
	require.NoError(t, tx.QueryRow(`SELECT details FROM `+tb+` WHERE id = 1`).Scan(&det))
	require.Equal(t, f.n.One, det)
}

// scalarSubquery: a scalar subquery in the select list whose column is
// the protected column is opened.
func scalarSubquery(t *testing.T, b *Backend) {
	f := newReads(t, b)
	for id, want := range map[string]string{"1": f.n.One, "2": f.n.Two} {
		var s string
		require.NoError(t, f.Sealed.QueryRow(`SELECT (SELECT details FROM `+f.Table+` WHERE id = `+id+`) AS s`).Scan(&s))
		require.Equal(t, want, s)
	}
}

// nullAndEmpty: NULL stays NULL and an empty string round-trips sealed.
func nullAndEmpty(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?), (?)`, nil, "")
	require.Nil(t, e.RawDetails(1))
	e.RequireSealed(2, "")
	var ns sql.NullString
	require.NoError(t, e.Sealed.QueryRow(`SELECT details FROM `+e.Table+` WHERE id = 1`).Scan(&ns))
	require.False(t, ns.Valid)
	require.NoError(t, e.Sealed.QueryRow(`SELECT details FROM `+e.Table+` WHERE id = 2`).Scan(&ns))
	require.True(t, ns.Valid)
	require.Equal(t, "", ns.String)
}

// goRowsColumnScanner is Go 1.27's driver.RowsColumnScanner. When the
// driver.Rows that database/sql receives implements it, database/sql scans
// each column through it instead of calling Next with a []driver.Value: a
// wrapper that forwarded it from the wrapped driver would hand the
// application ciphertext (or let that driver scan it directly), bypassing
// the opening that happens in Next.
type goRowsColumnScanner interface {
	ScanColumn(dest any, index int) error
}

// driverRowsDoNotForwardColumnScanner takes the driver.Rows that sqlseal
// hands database/sql, by the query and the prepared statement paths, and
// checks that it cannot be scanned column by column and that its Next
// opens the protected column.
func driverRowsDoNotForwardColumnScanner(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "one", Details)
	e.RequireSealed(1, Details)

	q := e.Q(`SELECT id, name, details FROM ` + e.Table + ` WHERE id = ?`)
	literal := `SELECT id, name, details FROM ` + e.Table + ` WHERE id = 1`
	args := []driver.NamedValue{{Ordinal: 1, Value: int64(1)}}
	check := func(t *testing.T, rows driver.Rows) {
		t.Helper()
		defer rows.Close()
		_, scans := rows.(goRowsColumnScanner)
		require.False(t, scans, "%T implements ScanColumn: database/sql would bypass opening", rows)
		require.Equal(t, []string{"id", "name", "details"}, rows.Columns())
		dest := make([]driver.Value, 3)
		require.NoError(t, rows.Next(dest))
		require.Equal(t, "one", Str(dest[1]))
		require.Equal(t, Details, Str(dest[2]))
		require.ErrorIs(t, rows.Next(dest), io.EOF)
	}

	conn, err := e.Sealed.Conn(e.Ctx)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.Raw(func(dc any) error {
		t.Run("QueryContext", func(t *testing.T) {
			qc, ok := dc.(driver.QueryerContext)
			require.True(t, ok, "%T is not a driver.QueryerContext", dc)
			rows, err := qc.QueryContext(e.Ctx, q, args)
			if errors.Is(err, driver.ErrSkip) {
				// The wrapped driver prepares statements with arguments
				// (go-sql-driver/mysql): the fast path takes none.
				rows, err = qc.QueryContext(e.Ctx, literal, nil)
			}
			require.NoError(t, err)
			check(t, rows)
		})
		t.Run("Stmt.QueryContext", func(t *testing.T) {
			pc, ok := dc.(driver.ConnPrepareContext)
			require.True(t, ok, "%T is not a driver.ConnPrepareContext", dc)
			stmt, err := pc.PrepareContext(e.Ctx, q)
			require.NoError(t, err)
			defer stmt.Close()
			sq, ok := stmt.(driver.StmtQueryContext)
			require.True(t, ok, "%T is not a driver.StmtQueryContext", stmt)
			rows, err := sq.QueryContext(e.Ctx, args)
			require.NoError(t, err)
			check(t, rows)
		})
		return nil
	}))
}

// unprotectedBehaveAsPlain: statements that touch no protected column
// behave exactly as under the plain driver: same values, same column
// names and types, same errors.
func unprotectedBehaveAsPlain(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	e.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "n", Details)
	plain := e.Name("plain")
	e.Create(plain, "n NUMERIC(10,2), label VARCHAR(20), b "+b.BinaryTypes[0]+", details TEXT")
	e.RawExec(`INSERT INTO `+plain+` (n, label, b, details) VALUES (1.5, 'x', ?, ?)`, []byte{1, 2}, "not protected here")
	queries := []Stmt{
		{`SELECT id, n, label, b, details FROM ` + plain + ` WHERE id = ?`, []any{1}},
		{`SELECT count(*), sum(n) FROM ` + plain, nil},
		{`SELECT id, name FROM ` + e.Table, nil},
		{`SELECT details, upper(details) FROM ` + plain + ` WHERE details = ?`, []any{"not protected here"}},
		{`SELECT nosuchcolumn FROM ` + plain, nil},
		{`SELEC broken`, nil},
		{`SELECT 1/0`, nil},
	}
	if b.UpdateReturning {
		queries = append(queries, Stmt{`UPDATE ` + plain + ` SET n = n + 0 WHERE details = ? RETURNING details, upper(details)`, []any{"not protected here"}})
	}
	for _, s := range queries {
		q := e.Q(s.SQL)
		require.Equal(t, Observe(e.Raw, q, s.Args), Observe(e.Sealed, q, s.Args), q)
	}
}
