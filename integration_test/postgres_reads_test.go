package integration_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// pgReadFixture is a protected table with two rows written through sqlseal,
// and an unprotected table of owners that joins to it.
type pgReadFixture struct {
	*pg
	db     *sql.DB
	owners string
}

func newPGReadFixture(t *testing.T) *pgReadFixture {
	p := newPG(t).create("name text, details text, notes text")
	f := &pgReadFixture{pg: p, db: p.sealed(), owners: p.name("owner")}
	p.rawExec(`CREATE TABLE ` + f.owners + ` (id serial PRIMARY KEY, conn_id int, owner text, details text)`)
	_, err := f.db.Exec(`INSERT INTO `+p.table+` (name, details, notes) VALUES ($1, $2, $3), ($4, $5, $6)`,
		"one", pgDetails, "note one", "two", `{"host":"two"}`, "note two")
	require.NoError(t, err)
	p.requireSealed(1, pgDetails)
	p.requireSealed(2, `{"host":"two"}`)
	p.rawExec(`INSERT INTO ` + f.owners + ` (conn_id, owner, details) VALUES (1, 'alice', 'owner details'), (2, 'bob', NULL)`)
	return f
}

// rows runs q through sqlseal and returns every row as strings ("<nil>"
// for NULL).
func (f *pgReadFixture) rows(t *testing.T, q string, args ...any) [][]string {
	t.Helper()
	rows, err := f.db.Query(q, args...)
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

func TestPGReadsOpenProtectedColumnsWhateverTheSQLCallsThem(t *testing.T) {
	f := newPGReadFixture(t)
	tb, ow := f.table, f.owners
	two := `{"host":"two"}`
	cases := []struct {
		name string
		sql  string
		args []any
		want [][]string
	}{
		{"plain", `SELECT details FROM ` + tb + ` WHERE id = $1`, []any{1}, [][]string{{pgDetails}}},
		{"qualified", `SELECT public.` + tb + `.details FROM public.` + tb + ` ORDER BY id`, nil, [][]string{{pgDetails}, {two}}},
		{"alias", `SELECT details AS d, name AS details FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{two, "two"}}},
		{"table alias", `SELECT c.id, c.details FROM ` + tb + ` AS c WHERE c.name = $1`, []any{"one"}, [][]string{{"1", pgDetails}}},
		{"quoted", `SELECT "details" FROM "` + tb + `" WHERE "id" = 2`, nil, [][]string{{two}}},
		{"twice", `SELECT details, id, details AS again FROM ` + tb + ` WHERE id = 1`, nil, [][]string{{pgDetails, "1", pgDetails}}},
		{"star", `SELECT * FROM ` + tb + ` ORDER BY id`, nil, [][]string{{"1", "one", pgDetails, "note one"}, {"2", "two", two, "note two"}}},
		{"star and column", `SELECT id AS n, *, details AS d FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{"2", "2", "two", two, "note two", two}}},
		{"qualified star", `SELECT c.* FROM ` + tb + ` c WHERE id = 1`, nil, [][]string{{"1", "one", pgDetails, "note one"}}},
		{"join", `SELECT o.owner, c.details, o.details FROM ` + ow + ` o JOIN ` + tb + ` c ON c.id = o.conn_id ORDER BY o.id`, nil,
			[][]string{{"alice", pgDetails, "owner details"}, {"bob", two, "<nil>"}}},
		{"join using stars", `SELECT c.*, o.* FROM ` + tb + ` c JOIN ` + ow + ` o ON c.id = o.conn_id WHERE c.id = 1`, nil,
			[][]string{{"1", "one", pgDetails, "note one", "1", "1", "alice", "owner details"}}},
		{"join star", `SELECT * FROM ` + ow + ` o JOIN ` + tb + ` c ON c.id = o.conn_id WHERE c.id = 2`, nil,
			[][]string{{"2", "2", "bob", "<nil>", "2", "two", two, "note two"}}},
		{"left join", `SELECT o.owner, c.details FROM ` + ow + ` o LEFT JOIN ` + tb + ` c ON c.id = o.conn_id + 1 ORDER BY o.id`, nil,
			[][]string{{"alice", two}, {"bob", "<nil>"}}},
		{"cte", `WITH c AS (SELECT id, details AS secret FROM ` + tb + `) SELECT secret FROM c WHERE id = $1`, []any{2}, [][]string{{two}}},
		{"cte star", `WITH c AS (SELECT * FROM ` + tb + `) SELECT c.name, c.details FROM c ORDER BY id`, nil, [][]string{{"one", pgDetails}, {"two", two}}},
		{"subquery in from", `SELECT s.d FROM (SELECT id, details AS d FROM ` + tb + `) s WHERE s.id = 1`, nil, [][]string{{pgDetails}}},
		{"nested subqueries", `SELECT x FROM (SELECT d AS x, i FROM (SELECT id AS i, details AS d FROM ` + tb + `) a) b WHERE i = 2`, nil, [][]string{{two}}},
		{"cast to text", `SELECT details::text AS d, CAST(details AS varchar) FROM ` + tb + ` WHERE id = 1`, nil, [][]string{{pgDetails, pgDetails}}},
		{"union", `SELECT details FROM ` + tb + ` WHERE id = 1 UNION ALL SELECT details FROM ` + tb + ` WHERE id = 2`, nil, [][]string{{pgDetails}, {two}}},
		{"union with null", `SELECT id, details FROM ` + tb + ` WHERE id = 2 UNION ALL SELECT 0, NULL ORDER BY 1`, nil, [][]string{{"0", "<nil>"}, {"2", two}}},
		{"lateral", `SELECT o.owner, l.d FROM ` + ow + ` o, LATERAL (SELECT details AS d FROM ` + tb + ` c WHERE c.id = o.conn_id) l ORDER BY o.id`, nil,
			[][]string{{"alice", pgDetails}, {"bob", two}}},
		{"where on unprotected", `SELECT details FROM ` + tb + ` WHERE name = $1 AND notes IS NOT NULL`, []any{"two"}, [][]string{{two}}},
		{"null", `SELECT details FROM ` + tb + ` WHERE id = 99`, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, f.rows(t, c.sql, c.args...), c.sql)
		})
	}

	// The same through a prepared statement and a transaction.
	stmt, err := f.db.Prepare(`SELECT c.details FROM ` + tb + ` c WHERE c.id = $1`)
	require.NoError(t, err)
	defer stmt.Close()
	var s string
	require.NoError(t, stmt.QueryRow(2).Scan(&s))
	require.Equal(t, two, s)
	tx, err := f.db.Begin()
	require.NoError(t, err)
	require.NoError(t, tx.QueryRow(`SELECT details FROM `+tb+` WHERE id = 1`).Scan(&s))
	require.NoError(t, tx.Rollback())
	require.Equal(t, pgDetails, s)
}

// TestScalarSubqueryOpens: a scalar subquery in the select list is a
// subquery whose single column comes from the protected column.
func TestPGScalarSubqueryOpens(t *testing.T) {
	f := newPGReadFixture(t)
	require.Equal(t, [][]string{{pgDetails}}, f.rows(t, `SELECT (SELECT details FROM `+f.table+` WHERE id = 1) AS d`))
}

func TestPGReturningOpensProtectedColumns(t *testing.T) {
	f := newPGReadFixture(t)
	tb := f.table
	var id int64
	var name, details string
	require.NoError(t, f.db.QueryRow(`UPDATE `+tb+` SET name = $1 WHERE id = $2 RETURNING id, name, details`, "renamed", 1).Scan(&id, &name, &details))
	require.Equal(t, pgDetails, details)

	require.NoError(t, f.db.QueryRow(`UPDATE `+tb+` SET details = $1 WHERE id = $2 RETURNING details AS d`, `{"host":"new"}`, 2).Scan(&details))
	require.Equal(t, `{"host":"new"}`, details)
	f.requireSealed(2, `{"host":"new"}`)

	require.NoError(t, f.db.QueryRow(`INSERT INTO `+tb+` (name, details) VALUES ($1, $2) RETURNING *`, "three", "three-secret").Scan(&id, &name, &details, new(sql.NullString)))
	require.Equal(t, "three-secret", details)
	f.requireSealed(id, "three-secret")

	require.NoError(t, f.db.QueryRow(`DELETE FROM `+tb+` WHERE id = $1 RETURNING details`, 1).Scan(&details))
	require.Equal(t, pgDetails, details)
}

// TestUnprotectedColumnHoldingCiphertextIsNotOpened is the security rule:
// whoever can write an ordinary column must not get sqlseal to decrypt a
// stolen ciphertext for them, whatever name the query gives the column.
func TestPGUnprotectedColumnHoldingCiphertextIsNotOpened(t *testing.T) {
	f := newPGReadFixture(t)
	tb, ow := f.table, f.owners
	// Copy row 1's valid ciphertext into unprotected columns: notes of
	// row 2, details of the unprotected owners table, and a name.
	f.rawExec(`UPDATE ` + tb + ` SET notes = (SELECT details FROM ` + tb + ` WHERE id = 1), name = (SELECT details FROM ` + tb + ` WHERE id = 1) WHERE id = 2`)
	f.rawExec(`UPDATE ` + ow + ` SET details = (SELECT details FROM ` + tb + ` WHERE id = 1)`)
	stolen, ok := f.rawValue(tb, "details", 1).(string)
	require.True(t, ok)
	require.True(t, codec.LooksSealed(stolen))

	cases := []struct {
		name string
		sql  string
		want [][]string
	}{
		{"column", `SELECT notes FROM ` + tb + ` WHERE id = 2`, [][]string{{stolen}}},
		{"aliased as details", `SELECT notes AS details FROM ` + tb + ` WHERE id = 2`, [][]string{{stolen}}},
		{"star", `SELECT * FROM ` + tb + ` WHERE id = 2`, [][]string{{"2", stolen, `{"host":"two"}`, stolen}}},
		{"other table's details", `SELECT details FROM ` + ow + ` ORDER BY id`, [][]string{{stolen}, {stolen}}},
		{"other table's star", `SELECT * FROM ` + ow + ` WHERE id = 1`, [][]string{{"1", "1", "alice", stolen}}},
		{"join", `SELECT c.details, o.details, c.notes FROM ` + tb + ` c JOIN ` + ow + ` o ON o.conn_id = c.id WHERE c.id = 2`, [][]string{{`{"host":"two"}`, stolen, stolen}}},
		{"cte", `WITH c AS (SELECT notes AS details FROM ` + tb + ` WHERE id = 2) SELECT details FROM c`, [][]string{{stolen}}},
		{"subquery", `SELECT details FROM (SELECT name AS details FROM ` + tb + ` WHERE id = 2) s`, [][]string{{stolen}}},
		{"scalar subquery", `SELECT (SELECT notes FROM ` + tb + ` WHERE id = 2) AS details`, [][]string{{stolen}}},
		{"returning", `UPDATE ` + tb + ` SET id = id WHERE id = 2 RETURNING notes AS details`, [][]string{{stolen}}},
		{"expression", `SELECT coalesce(notes, '') AS details FROM ` + tb + ` WHERE id = 2`, [][]string{{stolen}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, f.rows(t, c.sql), c.sql)
		})
	}

	// A result column that mixes the protected column with an ordinary
	// one cannot be opened safely: refused.
	for _, q := range []string{
		`SELECT details FROM ` + tb + ` WHERE id = 1 UNION ALL SELECT notes FROM ` + tb + ` WHERE id = 2`,
		`SELECT notes FROM ` + tb + ` WHERE id = 2 UNION SELECT details FROM ` + tb + ` WHERE id = 1`,
	} {
		_, err := f.db.Query(q)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
		require.Contains(t, err.Error(), tb+".details")
	}
}

// TestSameNamedTableInAnotherSchemaIsNotOpened: with public.<t>.details
// protected, a table of the same name in another schema is ordinary, and
// a ciphertext copied there is not opened, whether the query names its
// schema or the session's search_path leads the server to it.
func TestPGSameNamedTableInAnotherSchemaIsNotOpened(t *testing.T) {
	p := newPG(t).create("name text, details text")
	schema := testdb.Name(t, "s")
	p.rawExec(`CREATE SCHEMA ` + schema)
	t.Cleanup(func() { p.raw.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	other := schema + `.` + p.table
	p.rawExec(`CREATE TABLE ` + other + ` (id serial PRIMARY KEY, name text, details text)`)
	db := p.open(config.Config{SecretKey: pgKey, Columns: []string{"public." + p.table + ".details"}})

	_, err := db.Exec(`INSERT INTO `+p.table+` (name, details) VALUES ($1, $2)`, "public", pgDetails)
	require.NoError(t, err)
	p.requireSealed(1, pgDetails)
	p.rawExec(`INSERT INTO ` + other + ` (name, details) SELECT 'copy', details FROM public.` + p.table)
	stolen := p.rawValue(other, "details", 1)

	var s string
	require.NoError(t, db.QueryRow(`SELECT details FROM `+other).Scan(&s))
	require.Equal(t, stolen, s, "schema-qualified")

	conn, err := db.Conn(p.ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(p.ctx, `SET search_path = `+schema+`, public`)
	require.NoError(t, err)
	require.NoError(t, conn.QueryRowContext(p.ctx, `SELECT name, details FROM `+p.table).Scan(new(string), &s))
	require.Equal(t, stolen, s, "the server read %s through search_path; sqlseal opened it as public.%s", other, p.table)
}
