package integration_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// The randomized read tests read through sqlseal with queries built at
// random: the protected column and two unprotected columns that hold a copy
// of its ciphertext (one in the same table, one in another), under aliases,
// qualified and unqualified, cast, through derived tables, CTEs, scalar
// subqueries and joins. Every result column that comes from the protected
// column must come back as plaintext; every other one exactly as stored,
// ciphertext unopened. The seed is logged; SQLSEAL_TEST_SEED replays a run.

func TestPGRandomReadsOpenOnlyProtected(t *testing.T) {
	casts := []func(string) string{
		func(x string) string { return "CAST(" + x + " AS text)" },
		func(x string) string { return x + "::text" },
	}
	runRandomReads(t, conformance.Postgres(t), casts)
}

func TestMyRandomReadsOpenOnlyProtected(t *testing.T) {
	casts := []func(string) string{func(x string) string { return "CAST(" + x + " AS CHAR)" }}
	runRandomReads(t, conformance.MariaDB(t), casts)
}

func TestLiteRandomReadsOpenOnlyProtected(t *testing.T) {
	casts := []func(string) string{func(x string) string { return "CAST(" + x + " AS TEXT)" }}
	runRandomReads(t, conformance.SQLite(t), casts)
}

// runRandomReads writes row 1 of a fresh protected table m of b through
// sqlseal, copies the ciphertext of its details (plaintext want) into
// m.other and into o.copy of another table with the plain driver, then
// runs 200 generated queries through sqlseal.
func runRandomReads(t *testing.T, b *conformance.Backend, casts []func(string) string) {
	e := conformance.NewEnv(t, b, "name TEXT, other TEXT, details TEXT")
	m, o, sealed, raw, want := e.Table, e.Name("other"), e.Sealed, e.Raw, conformance.Details
	e.Create(o, "m_id INT, copy TEXT")
	e.Exec(`INSERT INTO `+m+` (id, name, details) VALUES (1, 'one', ?)`, want)
	_, err := raw.Exec(`UPDATE ` + m + ` SET other = details`)
	require.NoError(t, err)
	_, err = raw.Exec(`INSERT INTO ` + o + ` (m_id, copy) SELECT id, details FROM ` + m)
	require.NoError(t, err)
	var stored string
	require.NoError(t, raw.QueryRow(`SELECT details FROM `+m).Scan(&stored))
	require.NotEqual(t, want, stored)

	g := &readGen{r: seeded(t, 0x7ead), m: m, o: o, casts: casts}

	for range 200 {
		q, cols := g.query()
		rows, err := sealed.Query(q)
		require.NoError(t, err, q)
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.True(t, rows.Next(), q)
		require.NoError(t, rows.Scan(ptrs...), q)
		require.NoError(t, rows.Close())
		for i, protected := range cols {
			if protected {
				require.Equal(t, want, vals[i].String, "column %d of %s", i+1, q)
			} else {
				require.Equal(t, stored, vals[i].String, "column %d of %s was opened", i+1, q)
			}
		}
	}
}

// readGen builds queries over m (the protected table: details protected,
// other a copy of its ciphertext) and o (o.copy, another copy), each
// returning one row.
type readGen struct {
	r     *rand.Rand
	m, o  string
	casts []func(string) string
	n     int
}

func (g *readGen) alias() string {
	g.n++
	return fmt.Sprintf("a%d", g.n)
}

// item is one select-list entry and whether it comes from m.details.
type item struct {
	sql       string
	protected bool
}

// query returns a query and, per result column, whether it is protected.
func (g *readGen) query() (string, []bool) {
	items, from := g.base()
	switch g.r.IntN(4) {
	case 1: // derived table
		s := g.alias()
		inner, outer := g.rename(items, s)
		return "SELECT " + outer + " FROM (SELECT " + inner + " " + from + ") " + s, protectedOf(items)
	case 2: // CTE
		c := g.alias()
		inner, outer := g.rename(items, c)
		return "WITH " + c + " AS (SELECT " + inner + " " + from + ") SELECT " + outer + " FROM " + c, protectedOf(items)
	}
	return "SELECT " + joinItems(items) + " " + from, protectedOf(items)
}

// base returns select items and a FROM ... WHERE clause over m, joined
// to o or not, with or without aliases.
func (g *readGen) base() ([]item, string) {
	mRef, mName := g.m, g.m
	if g.r.IntN(2) == 0 {
		mName = g.alias()
		mRef = g.m + " " + mName
	}
	from := "FROM " + mRef
	joined := g.r.IntN(2) == 0
	oName := g.o
	if joined {
		if g.r.IntN(2) == 0 {
			oName = g.alias()
			from += " JOIN " + g.o + " " + oName + " ON " + oName + ".m_id = " + mName + ".id"
		} else {
			from += " JOIN " + g.o + " ON " + g.o + ".m_id = " + mName + ".id"
		}
	}
	from += " WHERE " + mName + ".id = 1"
	var pool []item
	pool = append(pool,
		item{mName + ".details", true},
		item{mName + ".other", false},
		item{"details", true}, // unambiguous: only m has details
		item{"other", false},
		item{pick(g.r, g.casts)(mName + ".details"), true},
		item{"(SELECT details FROM " + g.m + " WHERE id = 1)", true},
		item{"(SELECT other FROM " + g.m + " WHERE id = 1)", false},
	)
	if joined {
		pool = append(pool, item{oName + ".copy", false}, item{"copy", false})
	}
	n := 1 + g.r.IntN(4)
	items := make([]item, n)
	for i := range items {
		items[i] = pool[g.r.IntN(len(pool))]
	}
	return items, from
}

// rename gives each item an alias inside a derived table or CTE and
// returns the inner select list and the outer one, qualified or not.
func (g *readGen) rename(items []item, qualifier string) (inner, outer string) {
	var in, out []string
	for i, it := range items {
		name := fmt.Sprintf("c%d", i)
		in = append(in, it.sql+" AS "+name)
		if g.r.IntN(2) == 0 {
			name = qualifier + "." + name
		}
		out = append(out, name)
	}
	return strings.Join(in, ", "), strings.Join(out, ", ")
}

func joinItems(items []item) string {
	s := make([]string, len(items))
	for i, it := range items {
		s[i] = it.sql
	}
	return strings.Join(s, ", ")
}

func protectedOf(items []item) []bool {
	b := make([]bool, len(items))
	for i, it := range items {
		b[i] = it.protected
	}
	return b
}
