// Package invariant generates hostile statements for sqlseal and checks,
// against a real server, the two promises every statement must keep: no
// plaintext at rest in a protected column, and no unprotected column opened
// for whoever wrote into it.
//
// A fuzz input drives a generator (Steps): each input becomes a short
// sequence of statements drawn from the classes of statement that once
// leaked (argument forms, WITH scoping, session changes, DDL that moves
// values, dynamic SQL, prepared statements across schema changes,
// literals in every quoting form, comments in every position) and from
// ordinary writes and reads. A Harness runs the sequence through sqlseal on
// one connection and, after every statement the driver lets through, scans
// every protected column with the plain driver:
//
//	h := invariant.Harness{Dialect: invariant.Postgres, Sealed: sealed, Raw: raw, Key: key, ...}
//	h.Run(t, invariant.Steps(invariant.Postgres, data, h.Names()))
//
// The protected column holds sealed values whose plaintext starts with
// "REAL:"; unprotected columns hold valid ciphertexts whose plaintext
// starts with "STOLEN:" (what an attacker copies into a column they can
// write). A protected value that opens to a STOLEN plaintext was moved in
// unsealed; a read through sqlseal that returns a STOLEN plaintext opened an
// unprotected column.
package invariant

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// source turns fuzz input into choices. When the input is used up every
// choice is the first.
type source struct {
	data []byte
	pos  int
}

// intn returns a choice in [0, n): one byte of input for up to 256
// choices, two for more.
func (s *source) intn(n int) int {
	if n <= 1 || s.pos >= len(s.data) {
		return 0
	}
	if n <= 256 || s.pos+1 >= len(s.data) {
		v := int(s.data[s.pos])
		s.pos++
		return v % n
	}
	v := binary.BigEndian.Uint16(s.data[s.pos:])
	s.pos += 2
	return int(v) % n
}

// done reports that the input is used up.
func (s *source) done() bool { return s.pos >= len(s.data) }

// pick returns one of options.
func pick[T any](s *source, options ...T) T { return options[s.intn(len(options))] }

// pickf returns the result of one of options, calling only that one: the
// options may add arguments.
func pickf(s *source, options ...func() string) string { return options[s.intn(len(options))]() }

// Names are the tables one input works on: Table has the protected column
// details (and id, name), Other is unprotected (id, note), Schema is a
// second schema (PostgreSQL) or database (MySQL) an attacker may shadow
// Table in, Home the schema Table is in.
type Names struct {
	Table, Other, Schema, Home string
}

// Path is how a step reaches the driver.
type Path int

const (
	PathExec Path = iota
	PathQuery
	PathPrepareExec
	PathPrepareQuery
)

// Step is one statement of a sequence. Changes reports a statement that
// may change table definitions or create tables (DDL, a session change, a
// text of several statements), after which the tables are recreated.
type Step struct {
	SQL     string
	Args    []any
	Path    Path
	Changes bool
}

// String describes the step for a failure report.
func (s Step) String() string {
	return [...]string{"Exec", "Query", "Prepare+Exec", "Prepare+Query"}[s.Path] + ": " + s.SQL
}

// maxSteps bounds a sequence.
const maxSteps = 8

// Steps draws a sequence of statements for d from data.
func Steps(d *Dialect, data []byte, n Names) []Step {
	s := &source{data: data}
	var out []Step
	for len(out) < maxSteps {
		b := &builder{d: d, s: s, n: n}
		st := b.step()
		out = append(out, st)
		if s.done() {
			break
		}
	}
	return out
}

// builder writes one statement.
type builder struct {
	d    *Dialect
	s    *source
	n    Names
	args []any
	// named collects the @name arguments of a pgx.NamedArgs step.
	named map[string]any
}

// step draws one statement and the path it takes.
func (b *builder) step() Step {
	kinds := []func() (string, bool){
		b.insertValues, b.insertValues, b.update, b.upsert, b.insertSelect,
		b.read, b.read, b.read, b.forwardCTE, b.session, b.ddl, b.dynamic,
		b.multiStatement, b.noColumnList,
	}
	k := b.s.intn(len(kinds))
	sql, read := kinds[k]()
	changes := k >= 9 && k <= 12
	path := pick(b.s, PathExec, PathPrepareExec)
	if read {
		path = pick(b.s, PathQuery, PathPrepareQuery, PathQuery)
	}
	args := b.d.wrapArgs(b.s, b.args, b.named)
	return Step{SQL: b.comments(sql), Args: args, Path: path, Changes: changes}
}

// Tricky contents for string literals and arguments: quotes, backslashes,
// comment markers, a GBK lead byte before a backslash, non-ASCII.
var contents = []string{
	"plain", "", "it's", `back\slash`, `ends\`, `q\'`, "a''b", `"dq"`, "$$", "$q$", "*/ -- ",
	"line\nbreak", "\xbf\x5c' OR 1=1 -- ", "é日本", `{"host":"h","password":"p"}`, "%_", "U&'x'",
}

// value returns a value for the protected column as an expression:
// usually a parameter or a string literal in one of the dialect's forms,
// sometimes an expression the server computes.
func (b *builder) value() string {
	v := "W:" + pick(b.s, contents...)
	switch b.s.intn(10) {
	case 0, 1, 2, 3:
		return b.param(v)
	case 4, 5, 6:
		return b.d.literal(b.s, v)
	case 7:
		return pick(b.s, "NULL", "DEFAULT", "123", "TRUE", "1e3")
	case 8:
		return b.d.cast(b.s, b.param(v))
	default:
		return pickf(b.s,
			func() string { return "upper(" + b.param(v) + ")" },
			func() string { return b.param(v) + " || 'x'" },
			func() string { return "name" },
			func() string { return b.n.Other + ".note" },
			func() string { return "(SELECT note FROM " + b.n.Other + " LIMIT 1)" },
			func() string { return "CASE WHEN 1=1 THEN " + b.param(v) + " END" },
		)
	}
}

// param adds an argument and returns its placeholder.
func (b *builder) param(v any) string {
	if b.named != nil {
		name := "p" + strconv.Itoa(len(b.named))
		b.named[name] = v
		return "@" + name
	}
	b.args = append(b.args, v)
	return b.d.placeholder(b.s, len(b.args))
}

// id returns an id literal.
func (b *builder) id() string { return strconv.Itoa(1 + b.s.intn(4)) }

// table returns the protected table as the statement names it.
func (b *builder) table() string { return b.d.ident(b.s, b.n.Table, b.n.Home) }

func (b *builder) insertValues() (string, bool) {
	if b.d.namedArgs && b.s.intn(4) == 0 {
		b.named = map[string]any{}
	}
	t := b.table()
	cols := pick(b.s, []string{"id", "name", "details"}, []string{"details", "id"}, []string{"id", "details", "name"})
	vals := make([]string, len(cols))
	for i, c := range cols {
		switch c {
		case "id":
			vals[i] = strconv.Itoa(10 + b.s.intn(1000))
		case "name":
			vals[i] = b.param("N:" + pick(b.s, contents...))
		default:
			vals[i] = b.value()
		}
	}
	sql := "INSERT INTO " + t + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ")"
	if b.d.returning && b.s.intn(3) == 0 {
		return sql + " RETURNING " + pick(b.s, "id", "details", "*"), true
	}
	return sql, false
}

func (b *builder) update() (string, bool) {
	t := b.table()
	set := "details = " + b.value()
	if b.s.intn(3) == 0 {
		set += ", name = " + b.param("N:"+pick(b.s, contents...))
	}
	where := pickf(b.s,
		func() string { return "id = " + b.id() },
		func() string { return "id > 0" },
		func() string { return "details IS NULL" },
		func() string { return "details = " + b.param("x") },
		func() string { return "name = " + b.param("n") },
	)
	return "UPDATE " + t + " SET " + set + " WHERE " + where, false
}

func (b *builder) upsert() (string, bool) {
	t := b.table()
	ins := "INSERT INTO " + t + " (id, details) VALUES (" + b.id() + ", " + b.value() + ")"
	return ins + b.d.upsert(pickf(b.s,
		func() string { return b.d.excluded("details") },
		func() string { return b.d.excluded("name") },
		b.value,
		func() string { return "details" },
		func() string { return "name" },
	)), false
}

func (b *builder) insertSelect() (string, bool) {
	t := b.table()
	src := pickf(b.s,
		func() string { return "SELECT " + strconv.Itoa(100+b.s.intn(100)) + ", note FROM " + b.n.Other },
		func() string { return "SELECT id + 200, details FROM " + t },
		func() string { return "SELECT id + 300, name FROM " + t },
		func() string { return "SELECT " + strconv.Itoa(400+b.s.intn(100)) + ", " + b.param("W:sel") },
		func() string {
			return "SELECT o.id + 500, x.details FROM " + b.n.Other + " o, " + t + " x WHERE o.id = x.id"
		},
		func() string {
			return "SELECT 600, note FROM " + b.n.Other + " UNION ALL SELECT 601, details FROM " + t
		},
	)
	return "INSERT INTO " + t + " (id, details) " + src, false
}

func (b *builder) noColumnList() (string, bool) {
	return "INSERT INTO " + b.table() + " VALUES (" + strconv.Itoa(700+b.s.intn(100)) + ", 'n', " + b.value() + ")", false
}

// read draws a query over the protected and the unprotected table.
func (b *builder) read() (string, bool) {
	t, o := b.table(), b.n.Other
	sql := pick(b.s,
		"SELECT details FROM "+t,
		"SELECT d.details AS x, o.note FROM "+t+" d JOIN "+o+" o ON o.id = d.id",
		"SELECT note FROM "+o,
		"SELECT note AS details FROM "+o,
		"SELECT * FROM "+t+", "+o,
		"SELECT * FROM "+o+", "+t,
		"SELECT details FROM "+t+" UNION ALL SELECT note FROM "+o,
		"SELECT (SELECT note FROM "+o+" LIMIT 1) AS details FROM "+t,
		"SELECT details FROM (SELECT note AS details FROM "+o+") "+b.n.Table,
		"SELECT "+b.n.Table+".details FROM "+t,
		"SELECT "+threePart(b.n)+" FROM "+b.n.Table,
		"SELECT details FROM "+b.n.Table+" WHERE id = 1",
		"SELECT x.details FROM "+o+" x",
		"SELECT note FROM "+o+" WHERE note IS NOT NULL",
	)
	return sql, true
}

// forwardCTE draws a WITH clause whose first entry refers to a later entry
// named like the protected table, which copies the unprotected column.
func (b *builder) forwardCTE() (string, bool) {
	t, o := b.n.Table, b.n.Other
	rec := pick(b.s, "", "RECURSIVE ")
	with := "WITH " + rec + "x AS (SELECT id, details FROM " + t + "), " + t + " AS (SELECT id, note AS details FROM " + qualified(b.n.Home, o) + ") "
	if b.s.intn(2) == 0 {
		return with + "SELECT details FROM x", true
	}
	return b.d.withInsert(qualified(b.n.Home, t), with, "SELECT id + 800, details FROM x"), false
}

// session draws a statement that changes session settings.
func (b *builder) session() (string, bool) {
	return pick(b.s, b.d.sessionChanges(b.n)...), false
}

// ddl draws DDL, some of it moving values into the protected column.
func (b *builder) ddl() (string, bool) {
	return pick(b.s, b.d.ddl(b.n)...), false
}

// dynamic draws server-computed SQL that writes the protected table.
func (b *builder) dynamic() (string, bool) {
	return pick(b.s, b.d.dynamic(b.n)...), false
}

// multiStatement draws a session change followed by a write, in one text.
func (b *builder) multiStatement() (string, bool) {
	first := pick(b.s, b.d.sessionChanges(b.n)...)
	w, _ := b.insertValues()
	return first + "; " + w, false
}

// comments inserts comments of the dialect at random spaces of sql,
// outside quotes.
func (b *builder) comments(sql string) string {
	if b.s.intn(3) != 0 {
		return sql
	}
	var out strings.Builder
	quote := byte(0)
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"' || c == '`'):
			quote = c
		case quote == 0 && c == ' ' && b.s.intn(4) == 0:
			out.WriteString(" " + pick(b.s, b.d.commentForms...))
		}
		out.WriteByte(c)
	}
	return out.String()
}
