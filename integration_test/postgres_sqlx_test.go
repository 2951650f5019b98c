package integration_test

import (
	"database/sql"
	"encoding/json"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
)

type sqlxConn struct {
	ID      int64  `db:"id"`
	Name    string `db:"name"`
	Details string `db:"details"`
}

// sqlxRead holds a text details in every field type applications scan
// it into. (json.RawMessage cannot hold a text column with pgx either: it
// is tested on bytea below.)
type sqlxRead struct {
	ID       int64          `db:"id"`
	Str      string         `db:"s"`
	Bytes    []byte         `db:"b"`
	Ptr      *string        `db:"p"`
	Null     sql.NullString `db:"n"`
	NullPtr  *string        `db:"np"`
	NullNull sql.NullString `db:"nn"`
}

// sqlxBinary is a row of a table whose details is bytea.
type sqlxBinary struct {
	ID      int64           `db:"id"`
	Name    string          `db:"name"`
	Details json.RawMessage `db:"details"`
	Copy    []byte          `db:"copy"`
}

func TestPGSqlxNamedExecSeals(t *testing.T) {
	p := newPG(t).create("name text UNIQUE, details text")
	db := sqlx.NewDb(p.sealed(), "pgx")

	_, err := db.NamedExecContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES (:name, :details)`,
		sqlxConn{Name: "struct", Details: pgDetails})
	require.NoError(t, err)
	_, err = db.NamedExecContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES (:name, :details)`,
		map[string]any{"name": "map", "details": `{"from":"map"}`})
	require.NoError(t, err)
	// A slice of structs expands to one multi-row VALUES list.
	_, err = db.NamedExecContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES (:name, :details)`,
		[]sqlxConn{{Name: "batch1", Details: "b1"}, {Name: "batch2", Details: "b2"}})
	require.NoError(t, err)
	_, err = db.NamedExecContext(p.ctx, `UPDATE `+p.table+` SET details = :details WHERE name = :name`,
		sqlxConn{Name: "map", Details: `{"from":"update"}`})
	require.NoError(t, err)

	want := map[int64]string{1: pgDetails, 2: `{"from":"update"}`, 3: "b1", 4: "b2"}
	for id, v := range want {
		p.requireSealed(id, v)
	}

	// NamedQuery with RETURNING: the returned details is opened.
	rows, err := db.NamedQueryContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES (:name, :details) RETURNING id, name, details`,
		sqlxConn{Name: "returning", Details: "ret"})
	require.NoError(t, err)
	require.True(t, rows.Next())
	var back sqlxConn
	require.NoError(t, rows.StructScan(&back))
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, sqlxConn{ID: 5, Name: "returning", Details: "ret"}, back)
	p.requireSealed(5, "ret")
}

func TestPGSqlxGetSelectIntoFieldTypes(t *testing.T) {
	p := newPG(t).create("name text, details text")
	db := sqlx.NewDb(p.sealed(), "pgx")
	_, err := db.ExecContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES ($1, $2), ($3, $4), ($5, NULL)`,
		"one", pgDetails, "two", `{"n":2}`, "null")
	require.NoError(t, err)
	p.requireSealed(1, pgDetails)
	p.requireSealed(2, `{"n":2}`)
	require.Nil(t, p.rawValue(p.table, "details", 3))

	var one sqlxConn
	require.NoError(t, db.GetContext(p.ctx, &one, `SELECT id, name, details FROM `+p.table+` WHERE id = $1`, 1))
	require.Equal(t, sqlxConn{ID: 1, Name: "one", Details: pgDetails}, one)

	// Every field reads details under another alias; np and nn read a
	// NULL details.
	sel := `SELECT c.id, c.details AS s, c.details AS b, c.details AS p, c.details AS n,
	               z.details AS np, z.details AS nn
	        FROM ` + p.table + ` c, ` + p.table + ` z WHERE z.id = 3 AND c.id IN ($1, $2) ORDER BY c.id`
	var got []sqlxRead
	require.NoError(t, db.SelectContext(p.ctx, &got, sel, 1, 2))
	require.Len(t, got, 2)
	for i, want := range []string{pgDetails, `{"n":2}`} {
		r := got[i]
		require.Equal(t, want, r.Str)
		require.Equal(t, want, string(r.Bytes))
		require.NotNil(t, r.Ptr)
		require.Equal(t, want, *r.Ptr)
		require.Equal(t, sql.NullString{String: want, Valid: true}, r.Null)
		require.Nil(t, r.NullPtr)
		require.False(t, r.NullNull.Valid)
	}

	// Select into a slice of strings.
	var all []string
	require.NoError(t, db.SelectContext(p.ctx, &all, `SELECT details FROM `+p.table+` WHERE details IS NOT NULL ORDER BY id`))
	require.Equal(t, []string{pgDetails, `{"n":2}`}, all)

	// sqlx.In expands a slice into an IN list; Rebind turns ? into $n.
	q, args, err := sqlx.In(`SELECT details FROM `+p.table+` WHERE id IN (?) ORDER BY id DESC`, []int{1, 2})
	require.NoError(t, err)
	all = nil
	require.NoError(t, db.SelectContext(p.ctx, &all, db.Rebind(q), args...))
	require.Equal(t, []string{`{"n":2}`, pgDetails}, all)

	// Named parameters in a query with the :name form.
	q, args, err = db.BindNamed(`SELECT id, name, details FROM `+p.table+` WHERE name = :name`, map[string]any{"name": "two"})
	require.NoError(t, err)
	require.NoError(t, db.GetContext(p.ctx, &one, q, args...))
	require.Equal(t, `{"n":2}`, one.Details)
}

func TestPGSqlxTransactionAndPreparedNamed(t *testing.T) {
	p := newPG(t).create("name text, details text")
	db := sqlx.NewDb(p.sealed(), "pgx")

	tx, err := db.BeginTxx(p.ctx, nil)
	require.NoError(t, err)
	stmt, err := tx.PrepareNamedContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES (:name, :details) RETURNING id`)
	require.NoError(t, err)
	for i, v := range []string{"tx-one", "tx-two"} {
		var id int64
		require.NoError(t, stmt.GetContext(p.ctx, &id, sqlxConn{Name: v, Details: v + "-secret"}))
		require.Equal(t, int64(i+1), id)
	}
	require.NoError(t, stmt.Close())
	require.NoError(t, tx.Commit())

	p.requireSealed(1, "tx-one-secret")
	p.requireSealed(2, "tx-two-secret")
	var s string
	require.NoError(t, db.GetContext(p.ctx, &s, `SELECT details FROM `+p.table+` WHERE name = $1`, "tx-two"))
	require.Equal(t, "tx-two-secret", s)
}

func TestPGSqlxByteaColumnJSONRawMessage(t *testing.T) {
	p := newPG(t).create("name text, details bytea")
	db := sqlx.NewDb(p.sealed(), "pgx")

	_, err := db.NamedExecContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES (:name, :details)`,
		sqlxBinary{Name: "raw", Details: json.RawMessage(pgDetails)})
	require.NoError(t, err)
	_, err = db.NamedExecContext(p.ctx, `INSERT INTO `+p.table+` (name, details) VALUES (:name, :details)`,
		map[string]any{"name": "bytes", "details": []byte(`{"b":1}`)})
	require.NoError(t, err)
	p.requireSealed(1, pgDetails)
	p.requireSealed(2, `{"b":1}`)

	var got []sqlxBinary
	require.NoError(t, db.SelectContext(p.ctx, &got, `SELECT id, name, details, details AS copy FROM `+p.table+` ORDER BY id`))
	require.Equal(t, []sqlxBinary{
		{ID: 1, Name: "raw", Details: json.RawMessage(pgDetails), Copy: []byte(pgDetails)},
		{ID: 2, Name: "bytes", Details: json.RawMessage(`{"b":1}`), Copy: []byte(`{"b":1}`)},
	}, got)
}
