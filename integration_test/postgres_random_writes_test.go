package integration_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPGRandomWritesAreSealed writes through sqlseal with statements built
// at random from the shapes applications use: column lists in any order,
// parameters numbered in any order, literals in every PostgreSQL quoting,
// casts, identifiers quoted or in any case, multi-row VALUES, UPDATE with
// single and multiple assignment, upserts, RETURNING. After each statement
// every row must hold, at rest, ciphertext of exactly the value the
// application wrote in details and plaintext in the other columns, and read
// back through sqlseal as written. The seed is logged so that a failure can
// be replayed with SQLSEAL_TEST_SEED.
func TestPGRandomWritesAreSealed(t *testing.T) {
	p := newPG(t).create("name text, note text, details text")
	db := p.sealed()
	seed := uint64(time.Now().UnixNano())
	if s := lookupSeed(); s != 0 {
		seed = s
	}
	t.Logf("seed %d (set SQLSEAL_TEST_SEED to replay)", seed)
	g := &pgWriteGen{r: rand.New(rand.NewPCG(seed, seed^0x5ea1)), table: p.table, rows: map[int64]pgRow{}}

	for range 150 {
		st := g.next()
		var err error
		if st.query {
			var back string
			err = db.QueryRowContext(p.ctx, st.sql, st.args...).Scan(&back)
			if err == nil {
				require.Equal(t, st.returned, back, "RETURNING of %s", st.sql)
			}
		} else {
			_, err = db.ExecContext(p.ctx, st.sql, st.args...)
		}
		require.NoError(t, err, st.sql)
		for id, want := range st.after {
			g.rows[id] = want
		}
		for id, want := range g.rows {
			p.requireSealed(id, want.details)
			require.Equal(t, want.name, p.rawValue(p.table, "name", id), "name of row %d after %s", id, st.sql)
			require.Equal(t, want.note, p.rawValue(p.table, "note", id), "note of row %d after %s", id, st.sql)
			var got string
			require.NoError(t, db.QueryRowContext(p.ctx, `SELECT details FROM `+p.table+` WHERE id = $1`, id).Scan(&got))
			require.Equal(t, want.details, got)
		}
	}
}

type pgRow struct{ name, note, details string }

// pgWriteStmt is one generated statement and the rows it leaves.
type pgWriteStmt struct {
	sql      string
	args     []any
	query    bool   // run with QueryRow: it has RETURNING details
	returned string // the details RETURNING gives back
	after    map[int64]pgRow
}

type pgWriteGen struct {
	r      *rand.Rand
	table  string
	rows   map[int64]pgRow
	nextID int64
}

func (g *pgWriteGen) next() pgWriteStmt {
	if len(g.rows) == 0 || g.r.IntN(3) == 0 {
		return g.insert()
	}
	if g.r.IntN(2) == 0 {
		return g.update()
	}
	return g.upsert()
}

// value returns a plaintext with characters that stress quoting.
func (g *pgWriteGen) value() string {
	parts := []string{`{"host":"db.internal"`, `"pw":"it's"`, `"path":"C:\\tmp"`, `"u":"hé ☃"`, `"q":"a""b"`, `"n":` + fmt.Sprint(g.r.IntN(1000))}
	g.r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	return strings.Join(parts[:1+g.r.IntN(len(parts))], ",") + "}"
}

// ident writes a column name quoted or in a random case, as PostgreSQL
// folds it to the same name.
func (g *pgWriteGen) ident(name string) string {
	switch g.r.IntN(3) {
	case 0:
		return `"` + name + `"`
	case 1:
		return strings.ToUpper(name)
	}
	return name
}

// literal writes v as a PostgreSQL string literal in a random quoting.
func (g *pgWriteGen) literal(v string) string {
	switch g.r.IntN(3) {
	case 0:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case 1:
		e := strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(v)
		return "E'" + e + "'"
	}
	return "$q$" + v + "$q$"
}

// bind holds the values of one statement as parameters or literals.
type pgBind struct {
	g    *pgWriteGen
	vals []any
}

// expr returns SQL for v: a parameter (the caller numbers them later, in
// random order) or a literal, possibly cast to text.
func (b *pgBind) expr(v string) string {
	var s string
	if b.g.r.IntN(3) == 0 {
		s = b.g.literal(v)
	} else {
		b.vals = append(b.vals, v)
		s = fmt.Sprintf("\x00%d\x00", len(b.vals)-1)
	}
	switch b.g.r.IntN(4) {
	case 0:
		s += "::text"
	case 1:
		s = "CAST(" + s + " AS varchar)"
	}
	return s
}

// finish numbers the parameters in a random order and returns the SQL and
// the arguments in $n order.
func (b *pgBind) finish(sql string) (string, []any) {
	order := b.g.r.Perm(len(b.vals))
	args := make([]any, len(b.vals))
	for i, slot := range order {
		sql = strings.Replace(sql, fmt.Sprintf("\x00%d\x00", slot), fmt.Sprintf("$%d", i+1), 1)
		args[i] = b.vals[slot]
	}
	return sql, args
}

func (g *pgWriteGen) insert() pgWriteStmt {
	b := &pgBind{g: g}
	cols := []string{"id", "name", "note", "details"}
	g.r.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	after := map[int64]pgRow{}
	var rowsSQL []string
	var last pgRow
	for range 1 + g.r.IntN(3) {
		g.nextID++
		row := pgRow{name: "name-" + g.value(), note: "note-" + g.value(), details: g.value()}
		var vals []string
		for _, c := range cols {
			switch c {
			case "id":
				vals = append(vals, fmt.Sprint(g.nextID))
			case "name":
				vals = append(vals, b.expr(row.name))
			case "note":
				vals = append(vals, b.expr(row.note))
			case "details":
				vals = append(vals, b.expr(row.details))
			}
		}
		rowsSQL = append(rowsSQL, "("+strings.Join(vals, ", ")+")")
		after[g.nextID] = row
		last = row
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = g.ident(c)
	}
	sql := "INSERT INTO " + g.table + " (" + strings.Join(quoted, ", ") + ") VALUES " + strings.Join(rowsSQL, ", ")
	st := pgWriteStmt{after: after}
	if len(after) == 1 && g.r.IntN(2) == 0 {
		sql += " RETURNING " + g.ident("details")
		st.query, st.returned = true, last.details
	}
	st.sql, st.args = b.finish(sql)
	return st
}

func (g *pgWriteGen) pickRow() (int64, pgRow) {
	ids := make([]int64, 0, len(g.rows))
	for id := range g.rows {
		ids = append(ids, id)
	}
	id := ids[g.r.IntN(len(ids))]
	return id, g.rows[id]
}

func (g *pgWriteGen) update() pgWriteStmt {
	b := &pgBind{g: g}
	id, row := g.pickRow()
	row.details = g.value()
	var set string
	if g.r.IntN(2) == 0 {
		row.note = "note-" + g.value()
		if g.r.IntN(2) == 0 {
			set = "(" + g.ident("note") + ", " + g.ident("details") + ") = (" + b.expr(row.note) + ", " + b.expr(row.details) + ")"
		} else {
			set = g.ident("details") + " = " + b.expr(row.details) + ", " + g.ident("note") + " = " + b.expr(row.note)
		}
	} else {
		set = g.ident("details") + " = " + b.expr(row.details)
	}
	sql := "UPDATE " + g.table + " SET " + set + " WHERE id = " + fmt.Sprint(id)
	st := pgWriteStmt{after: map[int64]pgRow{id: row}}
	if g.r.IntN(2) == 0 {
		sql += " RETURNING details"
		st.query, st.returned = true, row.details
	}
	st.sql, st.args = b.finish(sql)
	return st
}

func (g *pgWriteGen) upsert() pgWriteStmt {
	b := &pgBind{g: g}
	id, row := g.pickRow()
	proposed := g.value()
	var set string
	if g.r.IntN(2) == 0 {
		set = "details = EXCLUDED.details"
		row.details = proposed
	} else {
		row.details = g.value()
		set = "details = " + b.expr(row.details)
	}
	sql := "INSERT INTO " + g.table + " (id, details) VALUES (" + fmt.Sprint(id) + ", " + b.expr(proposed) + ") ON CONFLICT (id) DO UPDATE SET " + set
	st := pgWriteStmt{after: map[int64]pgRow{id: row}}
	st.sql, st.args = b.finish(sql)
	return st
}

// lookupSeed returns SQLSEAL_TEST_SEED, or 0 when it is unset or invalid.
func lookupSeed() uint64 {
	var s uint64
	fmt.Sscan(os.Getenv("SQLSEAL_TEST_SEED"), &s)
	return s
}
