package driver_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"github.com/sqlseal/sqlseal"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	sqlsealpg "github.com/sqlseal/sqlseal/driver"
)

const secretJSON = `{"host":"db.internal","user":"metabase","password":"hunter2"}`

func TestExecSealsParameters(t *testing.T) {
	e := newEnv(t, "name text, details text")
	_, err := e.sealed.Exec(`INSERT INTO "`+e.table+`" ("name","details") VALUES ($1,$2)`, "a", secretJSON)
	require.NoError(t, err)
	e.requireSealed(1, secretJSON)
	require.Equal(t, secretJSON, e.readDetails(1))
}

func TestQueryReturningSealsAndOpens(t *testing.T) {
	e := newEnv(t, "name text, details text")
	var id int
	var back string
	err := e.sealed.QueryRow(`INSERT INTO `+e.table+` (name, details) VALUES ($1, $2) RETURNING id, details`, "a", secretJSON).Scan(&id, &back)
	require.NoError(t, err)
	require.Equal(t, secretJSON, back)
	e.requireSealed(id, secretJSON)
}

func TestShapes(t *testing.T) {
	e := newEnv(t, "name text, details text")
	tb := e.table
	steps := []struct {
		sql  string
		args []any
		id   int
		want string
	}{
		{`INSERT INTO ` + tb + ` (name, details) VALUES ($1, $2), ($3, $4)`, []any{"a", "one", "b", "two"}, 2, "two"},
		{`INSERT INTO public.` + tb + ` (details) VALUES ($1::text)`, []any{"three"}, 3, "three"},
		{`UPDATE ` + tb + ` SET details = $1 WHERE id = $2`, []any{"one-b", 1}, 1, "one-b"},
		{`UPDATE ` + tb + ` SET (name, details) = ($1, $2) WHERE id = $3`, []any{"n", "two-b", 2}, 2, "two-b"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET details = EXCLUDED.details`, []any{3, "three-b"}, 3, "three-b"},
		{`INSERT INTO ` + tb + ` (id, details) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET details = $3`, []any{3, "unused", "three-c"}, 3, "three-c"},
		{`INSERT INTO ` + tb + ` (id, name, details) VALUES (10, 'lit', '{"literal":true}')`, nil, 10, `{"literal":true}`},
		{`INSERT INTO ` + tb + ` (id, details) SELECT 11, details FROM ` + tb + ` WHERE id = 10`, nil, 11, `{"literal":true}`},
	}
	for _, s := range steps {
		_, err := e.sealed.Exec(s.sql, s.args...)
		require.NoError(t, err, s.sql)
		e.requireSealed(s.id, s.want)
		require.Equal(t, s.want, e.readDetails(s.id), s.sql)
	}
}

func TestMixedCaseTable(t *testing.T) {
	e := newEnv(t, "details text")
	// Unquoted mixed case folds to lower case, as PostgreSQL folds it.
	_, err := e.sealed.Exec(`INSERT INTO `+toMixed(e.table)+` (Details) VALUES ($1)`, "x")
	require.NoError(t, err)
	e.requireSealed(1, "x")
}

func toMixed(s string) string {
	b := []byte(s)
	b[0] -= 'a' - 'A'
	return string(b)
}

func TestPreparedAndTransactions(t *testing.T) {
	e := newEnv(t, "details text")
	tx, err := e.sealed.Begin()
	require.NoError(t, err)
	stmt, err := tx.Prepare(`INSERT INTO ` + e.table + ` (details) VALUES ($1)`)
	require.NoError(t, err)
	for _, v := range []string{"p1", "p2"} {
		_, err = stmt.Exec(v)
		require.NoError(t, err)
	}
	require.NoError(t, stmt.Close())
	require.NoError(t, tx.Commit())
	e.requireSealed(1, "p1")
	e.requireSealed(2, "p2")

	sel, err := e.sealed.Prepare(`SELECT details FROM ` + e.table + ` WHERE id = $1`)
	require.NoError(t, err)
	defer sel.Close()
	var s string
	require.NoError(t, sel.QueryRow(2).Scan(&s))
	require.Equal(t, "p2", s)
}

func TestPgxArgumentForms(t *testing.T) {
	e := newEnv(t, "name text, details text")
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (name, details) VALUES (@name, @details)`,
		pgx.NamedArgs{"name": "n", "details": "named"})
	require.NoError(t, err)
	e.requireSealed(1, "named")

	_, err = e.sealed.Exec(`INSERT INTO `+e.table+` (name, details) VALUES ($1, $2)`,
		pgx.QueryExecModeSimpleProtocol, "n", "simple")
	require.NoError(t, err)
	e.requireSealed(2, "simple")

	var s string
	require.NoError(t, e.sealed.QueryRow(`SELECT details FROM `+e.table+` WHERE id = $1`, pgx.QueryExecModeExec, 2).Scan(&s))
	require.Equal(t, "simple", s)
}

func TestSimpleProtocolDSN(t *testing.T) {
	e := newEnv(t, "details text")
	e.dsn += "&default_query_exec_mode=simple_protocol"
	db := e.open(sqlsealConfig(e.table))
	_, err := db.Exec(`INSERT INTO `+e.table+` (details) VALUES ($1)`, secretJSON)
	require.NoError(t, err)
	e.requireSealed(1, secretJSON)
	var s string
	require.NoError(t, db.QueryRow(`SELECT details FROM `+e.table+` WHERE id = $1`, 1).Scan(&s))
	require.Equal(t, secretJSON, s)
}

type valuer struct{ s string }

func (v valuer) Value() (driver.Value, error) { return v.s, nil }

func TestValueTypes(t *testing.T) {
	e := newEnv(t, "details text")
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
	}
	for i, v := range values {
		_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (details) VALUES ($1)`, v.v)
		require.NoError(t, err, "%T", v.v)
		if v.want == nil {
			require.Nil(t, e.rawDetails(i+1), "%T stays NULL", v.v)
			continue
		}
		e.requireSealed(i+1, *v.want)
	}
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (details) VALUES ($1)`, 42)
	require.ErrorIs(t, err, sqlseal.ErrUnsupportedValue)
	require.Equal(t, len(values), e.count(), "the refused value reached the server")
}

func ptr(s string) *string { return &s }

func TestByteaColumnStoresRawCiphertext(t *testing.T) {
	e := newEnv(t, "details bytea")
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (details) VALUES ($1)`, []byte(secretJSON))
	require.NoError(t, err)
	_, err = e.sealed.Exec(`INSERT INTO ` + e.table + ` (details) VALUES ('literal bytes')`)
	require.NoError(t, err)
	raw, ok := e.rawDetails(1).([]byte)
	require.True(t, ok)
	require.Len(t, raw, 16+(len(secretJSON)/16+1)*16+32) // iv, padded plaintext, tag
	e.requireSealed(1, secretJSON)
	e.requireSealed(2, "literal bytes")
	var b []byte
	require.NoError(t, e.sealed.QueryRow(`SELECT details FROM `+e.table+` WHERE id = 1`).Scan(&b))
	require.Equal(t, secretJSON, string(b))
}

func TestRefusedStatementsNeverReachServer(t *testing.T) {
	e := newEnv(t, "name text, details text")
	e.rawExec(`CREATE SEQUENCE ` + e.table + `_probe`)
	t.Cleanup(func() { e.raw.Exec(`DROP SEQUENCE IF EXISTS ` + e.table + `_probe`) })
	probe := `nextval('` + e.table + `_probe') > 0`
	tb := e.table
	refused := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ` + tb + ` (name, details) VALUES (CASE WHEN ` + probe + ` THEN 'x' END, upper($1))`, []any{"v"}},
		{`UPDATE ` + tb + ` SET details = details || $1 WHERE ` + probe, []any{"v"}},
		{`INSERT INTO ` + tb + ` (details) SELECT name FROM ` + tb + ` WHERE ` + probe, nil},
		{`SELECT id FROM ` + tb + ` WHERE details = $1 OR ` + probe, []any{"v"}},
		{`INSERT INTO ` + tb + ` (details) VALUES ($1 WHERE ` + probe, []any{"v"}},
	}
	for _, r := range refused {
		_, err := e.sealed.Exec(r.sql, r.args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, r.sql)
		var re *sqlseal.RefusalError
		require.True(t, errors.As(err, &re))
		require.Contains(t, err.Error(), tb+".details")
		require.NotContains(t, err.Error(), "v'")
		_, err = e.sealed.Query(r.sql, r.args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, r.sql)
		_, err = e.sealed.Prepare(r.sql)
		require.ErrorIs(t, err, sqlseal.ErrRefused, r.sql)
	}
	var n int64
	require.NoError(t, e.raw.QueryRow(`SELECT last_value + CASE WHEN is_called THEN 0 ELSE -1 END FROM `+tb+`_probe`).Scan(&n))
	require.Zero(t, n, "a refused statement reached the server")
	require.Zero(t, e.count())
}

func sqlsealConfig(table string) configT {
	return configT{SecretKey: testKey, Columns: []string{table + ".details"}}
}

// Two connectors with the same columns share the analysis of a SQL text,
// but each opens with its own keys.
func TestConnectorsKeepTheirOwnKeys(t *testing.T) {
	e := newEnv(t, "details text")
	other := e.open(configT{SecretKey: otherKey, Columns: []string{e.table + ".details"}})
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (1, $1)`, "under test key")
	require.NoError(t, err)
	_, err = other.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (2, $1)`, "under other key")
	require.NoError(t, err)
	sel := `SELECT details FROM ` + e.table + ` WHERE id = $1`
	var s string
	require.NoError(t, e.sealed.QueryRow(sel, 1).Scan(&s))
	require.Equal(t, "under test key", s)
	require.NoError(t, other.QueryRow(sel, 2).Scan(&s))
	require.Equal(t, "under other key", s)
	require.ErrorIs(t, other.QueryRow(sel, 1).Scan(&s), sqlseal.ErrCannotOpen)
}

// Disabling encryption online: the application runs with no key and the
// old key as a previous one. It writes plaintext and still reads both the
// sealed rows and the plaintext ones.
func TestDisabledWithPreviousKeyReadsBoth(t *testing.T) {
	e := newEnv(t, "details text")
	_, err := e.sealed.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (1, $1)`, "sealed before")
	require.NoError(t, err)
	e.requireSealed(1, "sealed before")

	disabled := e.open(configT{PreviousSecretKeys: []string{testKey}, Columns: []string{e.table + ".details"}})
	_, err = disabled.Exec(`INSERT INTO `+e.table+` (id, details) VALUES (2, $1)`, "written plain")
	require.NoError(t, err)
	require.Equal(t, "written plain", e.rawDetails(2))
	var s string
	for id, want := range map[int]string{1: "sealed before", 2: "written plain"} {
		require.NoError(t, disabled.QueryRow(`SELECT details FROM `+e.table+` WHERE id = $1`, id).Scan(&s))
		require.Equal(t, want, s)
	}
}

// The parser reads literals as the server does with
// standard_conforming_strings on: a session with it off is refused at
// connect, and a statement turning it off is refused.
func TestConformingStringsOffRefused(t *testing.T) {
	e := newEnv(t, "details text")
	connConfig, err := pgx.ParseConfig(e.dsn)
	require.NoError(t, err)
	connConfig.RuntimeParams["standard_conforming_strings"] = "off"
	c, err := sqlsealpg.NewConnector(configT{SecretKey: testKey, Columns: []string{e.table + ".details"}}, connConfig)
	require.NoError(t, err)
	db := sql.OpenDB(c)
	defer db.Close()
	require.ErrorIs(t, db.Ping(), sqlseal.ErrSQLMode)

	_, err = e.sealed.Exec(`SET standard_conforming_strings = off`)
	require.ErrorIs(t, err, sqlseal.ErrRefused)
}
