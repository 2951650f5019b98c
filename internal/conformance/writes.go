package conformance

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
)

// valuer is a driver.Valuer of a string.
type valuer struct{ s string }

// Value returns the string.
func (v valuer) Value() (driver.Value, error) { return v.s, nil }

// nullValuer is a driver.Valuer of NULL.
type nullValuer struct{}

// Value returns nil.
func (nullValuer) Value() (driver.Value, error) { return nil, nil }

// twoFacedValuer answers NULL the first time it is asked and a plaintext
// every time after: a driver that asked it again after sqlseal would store
// that plaintext.
type twoFacedValuer struct{ asked *int }

// Value returns nil once, then a plaintext.
func (v twoFacedValuer) Value() (driver.Value, error) {
	*v.asked++
	if *v.asked == 1 {
		return nil, nil
	}
	return "second-answer-plaintext", nil
}

// ptr returns a pointer to s.
func ptr(s string) *string { return &s }

// execSealsParameters: the plainest write, a bound value.
func execSealsParameters(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	q := b.Quote
	res := e.Exec(`INSERT INTO `+q(e.Table)+` (`+q("name")+`, `+q("details")+`) VALUES (?, ?)`, "a", Details)
	if b.LastInsertID {
		id, err := res.LastInsertId()
		require.NoError(t, err)
		require.EqualValues(t, 1, id)
	}
	e.RequireSealed(1, Details)
	require.Equal(t, Details, e.ReadDetails(1))
	// The unprotected column is stored as written.
	require.Equal(t, "a", e.RawString(e.Table, "name", 1))
}

// runShapes runs each shape through Sealed and checks the row it wrote,
// at rest and through sqlseal.
func (e *Env) runShapes(shapes []Shape) {
	e.T.Helper()
	for _, s := range shapes {
		_, err := e.Sealed.ExecContext(e.Ctx, e.Q(s.SQL), s.Args...)
		require.NoError(e.T, err, s.SQL)
		e.RequireSealed(s.ID, s.Want)
		require.Equal(e.T, s.Want, e.ReadDetails(s.ID), s.SQL)
		if s.Name != "" {
			require.Equal(e.T, s.Name, e.RawString(e.Table, "name", s.ID), s.SQL)
		}
	}
}

// shapes: each statement shape every dialect has that writes details.
// The rows without an id come first: after an explicit id, databases
// number the next row differently.
func shapes(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	tb := e.Table
	set := func(v string) string { return b.Upsert("details = " + v) }
	e.runShapes([]Shape{
		{`INSERT INTO ` + tb + ` (name, details) VALUES (?, ?), (?, ?)`, []any{"a", "one", "b", "two"}, 2, "two", "b"},
		{`INSERT INTO ` + b.Schema + `.` + tb + ` (details) VALUES (?)`, []any{"three"}, 3, "three", ""},
		{`INSERT INTO ` + tb + ` (details) VALUES (` + b.CastText("?") + `)`, []any{"four"}, 4, "four", ""},
		{`UPDATE ` + tb + ` SET details = ? WHERE id = ?`, []any{"one-b", 1}, 1, "one-b", "a"},
		{`UPDATE ` + tb + ` SET name = ?, details = ? WHERE id = ?`, []any{"n", "two-b", 2}, 2, "two-b", "n"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?)` + set(b.Proposed("details")), []any{3, "three-b"}, 3, "three-b", ""},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?)` + set("?"), []any{3, "unused", "three-c"}, 3, "three-c", ""},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?)` + set(b.Proposed("details")), []any{5, "five"}, 5, "five", ""},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (10, 'lit', '{"literal":true}')`, nil, 10, `{"literal":true}`, "lit"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (11, 'it''s quoted')`, nil, 11, "it's quoted", ""},
		{`UPDATE ` + tb + ` SET details = 'updated literal' WHERE id = 10`, nil, 10, "updated literal", ""},
		{`INSERT INTO ` + tb + ` (id, details) SELECT 12, details FROM ` + tb + ` WHERE id = 11`, nil, 12, "it's quoted", ""},
		{`insert into ` + tb + ` (ID, Details) values (?, ?)`, []any{13, "upper-case names"}, 13, "upper-case names", ""},
		{`INSERT INTO ` + tb + ` /* ? */ (id, name, details) -- ?` + "\n" + `VALUES (14, 'what?', ?)`, []any{"question marks"}, 14, "question marks", "what?"},
	})
	e.RequireSealed(1, "one-b")
}

// dialectShapes: the statement shapes only this dialect has.
func dialectShapes(t *testing.T, b *Backend) {
	if b.Extras.Shapes == nil {
		t.Skip(b.Name + " has no statement shapes of its own")
	}
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	e.runShapes(b.Extras.Shapes(e.Table))
}

// returning: INSERT, UPDATE, upserts and DELETE ... RETURNING seal what
// they write and open what they return, whether the rows are read or
// discarded.
func returning(t *testing.T, b *Backend) {
	if !b.InsertReturning {
		t.Skip(b.Name + " has no RETURNING")
	}
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	tb := e.Table
	// Exec discards the returned rows; the value is sealed all the same.
	e.Exec(`INSERT INTO `+tb+` (name, details) VALUES (?, ?) RETURNING id`, "a", Details)
	e.RequireSealed(1, Details)

	var id int64
	var name, back string
	require.NoError(t, e.Sealed.QueryRow(e.Q(`INSERT INTO `+b.Quote(tb)+` (`+b.Quote("name")+`, `+b.Quote("details")+`) VALUES (?, ?) RETURNING id, name, details`),
		"b", Details).Scan(&id, &name, &back))
	require.Equal(t, "b", name)
	require.Equal(t, Details, back)
	e.RequireSealed(id, Details)
	require.Equal(t, "b", e.RawString(tb, "name", id))

	// GORM's Create: RETURNING the quoted id only.
	var id2 int64
	require.NoError(t, e.Sealed.QueryRow(e.Q(`INSERT INTO `+tb+` (name, details) VALUES (?, ?) RETURNING `+b.Quote("id")), "c", "second").Scan(&id2))
	require.Equal(t, id+1, id2)
	e.RequireSealed(id2, "second")

	// A literal before the clause is sealed in place; * is opened.
	var sid int64
	var sname, sdetails, aliased string
	require.NoError(t, e.Sealed.QueryRow(`INSERT INTO `+tb+` (name, details) VALUES ('d', '`+Details+`') RETURNING *`).Scan(&sid, &sname, &sdetails))
	require.Equal(t, "d", sname)
	require.Equal(t, Details, sdetails)
	e.RequireSealed(sid, Details)
	require.NoError(t, e.Sealed.QueryRow(e.Q(`SELECT details AS d FROM `+tb+` WHERE id = ?`), sid).Scan(&aliased))
	require.Equal(t, Details, aliased)

	if b.UpdateReturning {
		var rid int64
		require.NoError(t, e.Sealed.QueryRow(e.Q(`UPDATE `+tb+` SET name = ? WHERE id = ? RETURNING id, name, details`), "renamed", id).Scan(&rid, &name, &back))
		require.Equal(t, []any{id, "renamed", Details}, []any{rid, name, back})
		require.NoError(t, e.Sealed.QueryRow(e.Q(`UPDATE `+tb+` SET details = ? WHERE id = ? RETURNING details AS d, name`), "updated", id).Scan(&back, &name))
		require.Equal(t, "updated", back)
		require.Equal(t, "renamed", name)
		e.RequireSealed(id, "updated")
	}

	// An upsert with RETURNING, through a prepared statement.
	stmt, err := e.Sealed.Prepare(e.Q(`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?)` + b.Upsert("details = "+b.Proposed("details")) + ` RETURNING details AS d, id`))
	require.NoError(t, err)
	defer stmt.Close()
	var upid int64
	require.NoError(t, stmt.QueryRow(id, "upserted").Scan(&back, &upid))
	require.Equal(t, "upserted", back)
	require.Equal(t, id, upid)
	e.RequireSealed(id, "upserted")
	require.NoError(t, e.Sealed.QueryRow(e.Q(`INSERT INTO `+tb+` (id, details) VALUES (?, ?)`+b.Upsert("details = "+b.Proposed("details"))+` RETURNING *`),
		id, "upserted *").Scan(&upid, &name, &back))
	require.Equal(t, []any{id, "upserted *"}, []any{upid, back})
	e.RequireSealed(id, "upserted *")

	// DELETE ... RETURNING opens what it returns.
	before := e.Count(tb)
	rows, err := e.Sealed.Query(e.Q(`DELETE FROM `+tb+` WHERE id IN (?, ?) RETURNING id, details`), id, id2)
	require.NoError(t, err)
	got := map[int64]string{}
	for rows.Next() {
		var rid int64
		var d string
		require.NoError(t, rows.Scan(&rid, &d))
		got[rid] = d
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, map[int64]string{id: "upserted *", id2: "second"}, got)
	require.Equal(t, before-2, e.Count(tb))
}

func preparedAndTransactions(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "details TEXT")
	tb := e.Table
	tx, err := e.Sealed.Begin()
	require.NoError(t, err)
	stmt, err := tx.Prepare(e.Q(`INSERT INTO ` + tb + ` (details) VALUES (?)`))
	require.NoError(t, err)
	for _, v := range []string{"p1", "p2"} {
		_, err = stmt.Exec(v)
		require.NoError(t, err)
	}
	require.NoError(t, stmt.Close())
	_, err = tx.Exec(e.Q(`UPDATE `+tb+` SET details = ? WHERE id = ?`), "p2-tx", 2)
	require.NoError(t, err)
	var s string
	require.NoError(t, tx.QueryRow(e.Q(`SELECT details FROM `+tb+` WHERE id = ?`), 2).Scan(&s))
	require.Equal(t, "p2-tx", s)
	require.NoError(t, tx.Commit())
	e.RequireSealed(1, "p1")
	e.RequireSealed(2, "p2-tx")

	// A rolled back write leaves nothing.
	tx, err = e.Sealed.Begin()
	require.NoError(t, err)
	_, err = tx.Exec(e.Q(`INSERT INTO `+tb+` (details) VALUES (?)`), "rolled back")
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	require.Equal(t, 2, e.Count(tb))

	sel, err := e.Sealed.Prepare(e.Q(`SELECT details FROM ` + tb + ` WHERE id = ?`))
	require.NoError(t, err)
	defer sel.Close()
	for id, want := range []string{"p1", "p2-tx"} {
		require.NoError(t, sel.QueryRow(id+1).Scan(&s))
		require.Equal(t, want, s)
	}
}

// valueTypes: every argument type database/sql lets an application bind,
// in a text and a binary column; NULL stays NULL, and other types are
// refused before anything is sent.
func valueTypes(t *testing.T, b *Backend) {
	for _, typ := range []string{"TEXT", b.BinaryTypes[0]} {
		t.Run(kindName(typ), func(t *testing.T) {
			e := NewEnv(t, b, "details "+typ)
			str := "pointer"
			var nilStr *string
			values := []struct {
				v    any
				want *string
			}{
				{"string", ptr("string")},
				{[]byte("bytes"), ptr("bytes")},
				{&str, ptr("pointer")},
				{nil, nil},
				{nilStr, nil},
				{sql.NullString{String: "ns", Valid: true}, ptr("ns")},
				{sql.NullString{}, nil},
				{json.RawMessage(`{"raw":1}`), ptr(`{"raw":1}`)},
				{valuer{"valuer"}, ptr("valuer")},
				{nullValuer{}, nil},
			}
			for i, v := range values {
				id := int64(i + 1)
				e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, v.v)
				if v.want == nil {
					require.Nil(t, e.RawDetails(id), "%T stays NULL", v.v)
					var ns sql.NullString
					require.NoError(t, e.Sealed.QueryRow(e.Q(`SELECT details FROM `+e.Table+` WHERE id = ?`), id).Scan(&ns))
					require.False(t, ns.Valid)
					continue
				}
				e.RequireSealed(id, *v.want)
				require.Equal(t, *v.want, e.ReadDetails(id))
			}
			// Whoever asks a Valuer first, the column ends up NULL or
			// sealed, never holding the answer nobody sealed.
			id := int64(len(values) + 1)
			e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, twoFacedValuer{new(int)})
			if e.RawDetails(id) != nil {
				e.RequireSealed(id, "second-answer-plaintext")
			}
			for _, bad := range []any{987654321, 9876.54321, true} {
				_, err := e.Sealed.Exec(e.Q(`INSERT INTO `+e.Table+` (details) VALUES (?)`), bad)
				require.ErrorIs(t, err, sqlseal.ErrUnsupportedValue, "%T", bad)
				require.Contains(t, err.Error(), e.Table+".details")
				e.RequireQuotesNothing(err, fmt.Sprint(bad))
			}
			require.Equal(t, len(values)+1, e.Count(e.Table), "a refused value reached the server")
		})
	}
}

// kindName names a column type in a subtest: text or binary.
func kindName(typ string) string {
	if isBinaryType(typ) {
		return "binary"
	}
	return "text"
}

// tableCreatedLater: the configured table does not exist when the pool
// connects; it is created through sqlseal, then written and read. A
// statement that fails on the missing table first must not fix the
// column's kind.
func tableCreatedLater(t *testing.T, b *Backend) {
	for _, typ := range append([]string{"TEXT"}, b.BinaryTypes...) {
		t.Run(typ, func(t *testing.T) {
			e := NewEnv(t, b, "")
			_, err := e.Sealed.Query(`SELECT details FROM ` + e.Table)
			require.Error(t, err)
			e.Exec(`CREATE TABLE ` + e.Table + ` (` + b.ID + `, details ` + typ + `)`)
			e.Binary = isBinaryType(typ)
			e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, Details)
			e.RequireSealed(1, Details)
			require.Equal(t, Details, e.ReadDetails(1))
			if e.Binary {
				stored, ok := e.RawDetails(1).([]byte)
				require.True(t, ok)
				require.True(t, e.LooksSealedRaw(stored), "%s holds %q", typ, stored)
				var raw []byte
				require.NoError(t, e.Sealed.QueryRow(`SELECT details FROM `+e.Table+` WHERE id = 1`).Scan(&raw))
				require.Equal(t, Details, string(raw))
			}
		})
	}
}
