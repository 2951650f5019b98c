package sqlite_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"github.com/sqlseal/sqlseal"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExecSealsParameters(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	res, err := e.sealed.Exec(`INSERT INTO "`+e.table+`" ("name", "details") VALUES (?, ?)`, "a", secretJSON)
	require.NoError(t, err)
	id, err := res.LastInsertId()
	require.NoError(t, err)
	require.EqualValues(t, 1, id)
	e.requireSealed(1, secretJSON)
	require.Equal(t, secretJSON, e.readDetails(1))
	require.Equal(t, "a", e.rawValue(e.table, "name", 1))
}

// TestShapes runs each SQLite statement shape that writes details and
// checks the row it wrote, at rest and through sqlseal.
func TestShapes(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	tb := e.table
	steps := []struct {
		sql  string
		args []any
		id   int
		want string
	}{
		{`INSERT INTO ` + tb + ` (name, details) VALUES (?, ?), (?, ?)`, []any{"a", "one", "b", "two"}, 2, "two"},
		{`INSERT INTO main.` + tb + ` (details) VALUES (?)`, []any{"three"}, 3, "three"},
		{`INSERT INTO [` + tb + `] ([name], [details]) VALUES (?, ?)`, []any{"n", "four"}, 4, "four"},
		{"INSERT INTO `" + tb + "` (`details`) VALUES (?)", []any{"five"}, 5, "five"},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (?2, ?1)`, []any{"six", "name-6"}, 6, "six"},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (:name, :details)`, []any{sql.Named("name", "n"), sql.Named("details", "seven")}, 7, "seven"},
		{`INSERT INTO ` + tb + ` (name, details) VALUES (@name, @details)`, []any{sql.Named("details", "eight"), sql.Named("name", "n")}, 8, "eight"},
		{`INSERT INTO ` + tb + ` (name, details) VALUES ($name, $details)`, []any{sql.Named("name", "n"), sql.Named("details", "nine")}, 9, "nine"},
		{`UPDATE ` + tb + ` SET details = ? WHERE id = ?`, []any{"one-b", 1}, 1, "one-b"},
		{`UPDATE ` + tb + ` SET name = ?2, details = ?1 WHERE id = ?3`, []any{"two-b", "n", 2}, 2, "two-b"},
		{`UPDATE ` + tb + ` SET details = :d WHERE id = :id`, []any{sql.Named("id", 3), sql.Named("d", "three-b")}, 3, "three-b"},
		{`INSERT OR REPLACE INTO ` + tb + ` (id, name, details) VALUES (?, ?, ?)`, []any{4, "r", "four-b"}, 4, "four-b"},
		{`REPLACE INTO ` + tb + ` (id, details) VALUES (?, ?)`, []any{5, "five-b"}, 5, "five-b"},
		{`INSERT OR IGNORE INTO ` + tb + ` (id, details) VALUES (?, ?)`, []any{10, "ten"}, 10, "ten"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.details`, []any{6, "six-b"}, 6, "six-b"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.details`, []any{11, "eleven"}, 11, "eleven"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET details = ?`, []any{6, "unused", "six-c"}, 6, "six-c"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (?, ?) ON CONFLICT DO NOTHING`, []any{12, "twelve"}, 12, "twelve"},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (20, 'lit', '{"literal":true}')`, nil, 20, `{"literal":true}`},
		{`INSERT INTO ` + tb + ` (id, details) VALUES (21, 'it''s quoted')`, nil, 21, "it's quoted"},
		{`UPDATE ` + tb + ` SET details = 'updated literal' WHERE id = 20`, nil, 20, "updated literal"},
		{`INSERT INTO ` + tb + ` (id, details) SELECT 22, details FROM ` + tb + ` WHERE id = 21`, nil, 22, "it's quoted"},
		{`insert into ` + tb + ` (ID, Details) values (?, ?)`, []any{23, "upper-case names"}, 23, "upper-case names"},
		{`INSERT INTO ` + tb + ` /* ? */ (name, details) -- ?` + "\n" + `VALUES ('what?', ?)`, []any{"question marks"}, 24, "question marks"},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (?2, ?, ?1)`, []any{"mixed numbering", 25, "name-25"}, 25, "mixed numbering"},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (?, ?, :d)`, []any{26, "n", sql.Named("d", "positional and named")}, 26, "positional and named"},
	}
	for _, s := range steps {
		_, err := e.sealed.Exec(s.sql, s.args...)
		require.NoError(t, err, s.sql)
		e.requireSealed(s.id, s.want)
		require.Equal(t, s.want, e.readDetails(s.id), s.sql)
	}
	// INSERT OR IGNORE of an existing id keeps the stored row.
	e.exec(`INSERT OR IGNORE INTO `+tb+` (id, details) VALUES (?, ?)`, 10, "ignored")
	e.requireSealed(10, "ten")
	require.Equal(t, "name-6", e.rawValue(tb, "name", 6))
}

// TestReturning: INSERT and UPDATE ... RETURNING seal what they write and
// open what they return.
func TestReturning(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	var id int
	var back, name string
	require.NoError(t, e.sealed.QueryRow(`INSERT INTO `+e.table+` (name, details) VALUES (?, ?) RETURNING id, details`, "a", secretJSON).Scan(&id, &back))
	require.Equal(t, secretJSON, back)
	e.requireSealed(id, secretJSON)

	require.NoError(t, e.sealed.QueryRow(`UPDATE `+e.table+` SET details = ? WHERE id = ? RETURNING details AS d, name`, "updated", id).Scan(&back, &name))
	require.Equal(t, "updated", back)
	require.Equal(t, "a", name)
	e.requireSealed(id, "updated")

	require.NoError(t, e.sealed.QueryRow(`INSERT INTO `+e.table+` (id, details) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET details = excluded.details RETURNING *`, id, "upserted").Scan(&id, &name, &back))
	require.Equal(t, "upserted", back)
	e.requireSealed(id, "upserted")

	require.NoError(t, e.sealed.QueryRow(`DELETE FROM `+e.table+` WHERE id = ? RETURNING details`, id).Scan(&back))
	require.Equal(t, "upserted", back)
	require.Zero(t, e.count(e.table))
}

// TestSameParameterTwice: ?1 bound to details and to an unprotected
// column cannot be both sealed and plain: it is refused. The same
// parameter written twice to details is one value, sealed once.
func TestSameParameterTwice(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (name, details) VALUES (?1, ?1)`, "twice")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Contains(t, err.Error(), e.table+".details")
	require.Zero(t, e.count(e.table))

	for _, v := range []string{"dup", "dup-updated"} {
		_, err = e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (5, :d) ON CONFLICT(id) DO UPDATE SET details = :d`, sql.Named("d", v))
		require.NoError(t, err)
		e.requireSealed(5, v)
	}
}

// TestSeveralStatements: modernc.org/sqlite runs every statement of a
// text and binds each statement's parameters from the first argument on.
// sqlseal seals what each statement writes to details, and refuses an
// argument that one statement writes to details and another elsewhere.
func TestSeveralStatements(t *testing.T) {
	e := newEnv(t, "name TEXT, details TEXT")
	tb := e.table
	e.exec(`INSERT INTO `+tb+` (details) VALUES (?); UPDATE `+tb+` SET name = 'second' WHERE id = 1`, "first")
	e.requireSealed(1, "first")
	require.Equal(t, "second", e.rawValue(tb, "name", 1))
	e.exec(`INSERT INTO `+tb+` (details) VALUES (?); INSERT INTO `+tb+` (details) VALUES (?)`, "both")
	e.requireSealed(2, "both")
	e.requireSealed(3, "both")

	_, err := e.sealed.Exec(`INSERT INTO `+tb+` (name) VALUES (?); INSERT INTO `+tb+` (details) VALUES (?)`, "v1", "v2")
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 3, e.count(tb))
}

func TestColumnTypes(t *testing.T) {
	for _, typ := range []string{"TEXT", "VARCHAR(1000)", "CLOB", "", "BLOB"} {
		t.Run("type "+typ, func(t *testing.T) {
			e := newEnv(t, "details "+typ)
			e.exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, secretJSON)
			e.exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, []byte(secretJSON))
			e.exec(`INSERT INTO ` + e.table + ` (details) VALUES ('literal value')`)
			for id, want := range []string{secretJSON, secretJSON, "literal value"} {
				e.requireSealed(id+1, want)
				require.Equal(t, want, e.readDetails(id+1))
			}
			// A blob literal is sealed, or refused (documented in
			// internal/dialect/sqlite); never stored as written.
			_, err := e.sealed.Exec(`INSERT INTO ` + e.table + ` (details) VALUES (X'6865782076616c7565')`) // "hex value"
			if err != nil {
				require.ErrorIs(t, err, sqlseal.ErrRefused)
				require.Equal(t, 3, e.count(e.table))
			} else {
				e.requireSealed(4, "hex value")
			}
			if e.binary {
				// iv, the padded plaintext, and the tag.
				require.Len(t, e.rawDetails(1), 16+(len(secretJSON)/16+1)*16+32)
			}
			var b []byte
			require.NoError(t, e.sealed.QueryRow(`SELECT details FROM `+e.table+` WHERE id = 1`).Scan(&b))
			require.Equal(t, secretJSON, string(b))
		})
	}
}

// TestStrictTable: a STRICT table's TEXT and BLOB columns accept the
// sealed values as their declared type.
func TestStrictTable(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB", "ANY"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "")
			e.rawExec(`CREATE TABLE ` + e.table + ` (id INTEGER PRIMARY KEY, details ` + typ + `) STRICT`)
			e.binary = typ == "BLOB"
			_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, secretJSON)
			if typ == "ANY" {
				if err != nil {
					require.ErrorIs(t, err, sqlseal.ErrColumnType)
					return
				}
			}
			require.NoError(t, err)
			e.requireSealed(1, secretJSON)
			require.Equal(t, secretJSON, e.readDetails(1))
		})
	}
}

type valuer struct{ s string }

func (v valuer) Value() (driver.Value, error) { return v.s, nil }

type nullValuer struct{}

func (nullValuer) Value() (driver.Value, error) { return nil, nil }

func TestValueTypes(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "details "+typ)
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
				{sql.Named("d", "named"), ptr("named")},
			}
			for i, v := range values {
				q := `INSERT INTO ` + e.table + ` (details) VALUES (?)`
				if _, ok := v.v.(sql.NamedArg); ok {
					q = `INSERT INTO ` + e.table + ` (details) VALUES (:d)`
				}
				_, err := e.sealed.Exec(q, v.v)
				require.NoError(t, err, "%T", v.v)
				if v.want == nil {
					require.Nil(t, e.rawDetails(i+1), "%T stays NULL", v.v)
					var ns sql.NullString
					require.NoError(t, e.sealed.QueryRow(`SELECT details FROM `+e.table+` WHERE id = ?`, i+1).Scan(&ns))
					require.False(t, ns.Valid)
					continue
				}
				e.requireSealed(i+1, *v.want)
				require.Equal(t, *v.want, e.readDetails(i+1))
			}
			for _, bad := range []any{987654321, 9876.54321, true} {
				_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, bad)
				require.ErrorIs(t, err, sqlseal.ErrUnsupportedValue, "%T", bad)
				require.Contains(t, err.Error(), e.table+".details")
				require.NotContains(t, err.Error(), fmt.Sprint(bad))
			}
			require.Equal(t, len(values), e.count(e.table), "a refused value reached the server")
		})
	}
}

func ptr(s string) *string { return &s }

// TestTableCreatedLater: the configured table does not exist when the
// pool connects; it is created through sqlseal, then written.
func TestTableCreatedLater(t *testing.T) {
	for _, typ := range []string{"TEXT", "BLOB"} {
		t.Run(typ, func(t *testing.T) {
			e := newEnv(t, "")
			e.exec(`CREATE TABLE ` + e.table + ` (id INTEGER PRIMARY KEY, details ` + typ + `)`)
			e.binary = typ == "BLOB"
			e.exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, secretJSON)
			e.requireSealed(1, secretJSON)
			require.Equal(t, secretJSON, e.readDetails(1))
		})
	}
}

func TestPreparedAndTransactions(t *testing.T) {
	e := newEnv(t, "details TEXT")
	tx, err := e.sealed.Begin()
	require.NoError(t, err)
	stmt, err := tx.Prepare(`INSERT INTO ` + e.table + ` (details) VALUES (?)`)
	require.NoError(t, err)
	for _, v := range []string{"p1", "p2"} {
		_, err = stmt.Exec(v)
		require.NoError(t, err)
	}
	require.NoError(t, stmt.Close())
	_, err = tx.Exec(`UPDATE `+e.table+` SET details = ? WHERE id = ?`, "p2-tx", 2)
	require.NoError(t, err)
	var s string
	require.NoError(t, tx.QueryRow(`SELECT details FROM `+e.table+` WHERE id = ?`, 2).Scan(&s))
	require.Equal(t, "p2-tx", s)
	require.NoError(t, tx.Commit())
	e.requireSealed(1, "p1")
	e.requireSealed(2, "p2-tx")

	tx, err = e.sealed.Begin()
	require.NoError(t, err)
	_, err = tx.Exec(`INSERT INTO `+e.table+` (details) VALUES (?)`, "rolled back")
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	require.Equal(t, 2, e.count(e.table))

	sel, err := e.sealed.Prepare(`SELECT details FROM ` + e.table + ` WHERE id = ?`)
	require.NoError(t, err)
	defer sel.Close()
	for id, want := range []string{"p1", "p2-tx"} {
		require.NoError(t, sel.QueryRow(id+1).Scan(&s))
		require.Equal(t, want, s)
	}

	// A prepared statement with named parameters.
	named, err := e.sealed.Prepare(`INSERT INTO ` + e.table + ` (details) VALUES (:details)`)
	if err != nil {
		require.ErrorIs(t, err, sqlseal.ErrRefused)
		return
	}
	defer named.Close()
	_, err = named.Exec(sql.Named("details", "prepared named"))
	if err != nil {
		require.ErrorIs(t, err, sqlseal.ErrRefused)
		require.Equal(t, 2, e.count(e.table))
		return
	}
	e.requireSealed(3, "prepared named")
}
