package sqlite

import (
	"fmt"

	"github.com/sqlseal/sqlseal/internal/query"
)

// utilityStart are the keywords that start statements which neither read
// nor write table data, or only the schema: they are not parsed.
var utilityStart = makeSet("EXPLAIN", "PRAGMA", "ATTACH", "DETACH", "VACUUM", "REINDEX", "ANALYZE",
	"DROP", "BEGIN", "COMMIT", "END", "SAVEPOINT", "RELEASE", "ROLLBACK")

// classify returns the statement for a statement that is not translated:
// a query.Utility for the utility statements and most DDL, a query.Opaque
// for CREATE TRIGGER. It returns nil for a statement to translate, which
// includes CREATE TABLE ... AS SELECT (PostgreSQL has the same syntax, and
// its front-end lowers it to an Opaque that lists the tables read).
func classify(s *stmt) (query.Statement, error) {
	first := s.toks[0]
	switch {
	case utilityStart[first.keyword]:
		return &query.Utility{}, nil
	case first.is("ALTER"):
		return s.alterTable()
	case !first.is("CREATE"):
		return nil, nil
	case isCreateTrigger(s.toks):
		return s.trigger()
	case s.isCreateTableAs():
		return nil, nil
	case s.isCreateTable():
		return s.createTable()
	}
	return &query.Utility{}, nil
}

// isCreateTable reports whether the statement is CREATE [TEMP] TABLE.
func (s *stmt) isCreateTable() bool {
	i := 1
	if s.tok(i).is("TEMP") || s.tok(i).is("TEMPORARY") {
		i++
	}
	return s.tok(i).is("TABLE")
}

// ddlResult returns d, or a query.Utility when d records nothing.
func ddlResult(d *query.DDL) (query.Statement, error) {
	if len(d.Renames) == 0 && len(d.ColumnRenames) == 0 && len(d.Fills) == 0 {
		return &query.Utility{}, nil
	}
	return d, nil
}

// alterTable lowers ALTER TABLE [schema.]t RENAME TO n, RENAME [COLUMN] a
// TO b and ADD [COLUMN] definition to a query.DDL; DROP COLUMN is a
// query.Utility.
func (s *stmt) alterTable() (query.Statement, error) {
	if !s.tok(1).is("TABLE") {
		return nil, illegal("ALTER without TABLE", s.tok(1).start)
	}
	t, n := s.tableName(2)
	if n == 0 {
		return nil, illegal("ALTER TABLE without a table name", s.tok(2).start)
	}
	i := 2 + n
	d := &query.DDL{}
	switch {
	case s.tok(i).is("RENAME") && s.tok(i+1).is("TO") && s.isName(i+2):
		// The renamed table stays in its database.
		d.Renames = append(d.Renames, query.TableRename{From: t, To: query.Table{Schema: t.Schema, Name: lowerASCII(s.toks[i+2].value)}})
	case s.tok(i).is("RENAME"):
		j := i + 1
		if s.tok(j).is("COLUMN") {
			j++
		}
		if !s.isName(j) || !s.tok(j+1).is("TO") || !s.isName(j+2) {
			return nil, illegal("ALTER TABLE ... RENAME that sqlseal cannot read", s.tok(i).start)
		}
		d.ColumnRenames = append(d.ColumnRenames, query.ColumnRename{
			Table: t, From: lowerASCII(s.toks[j].value), To: lowerASCII(s.toks[j+2].value),
		})
	case s.tok(i).is("ADD"):
		j := i + 1
		if s.tok(j).is("COLUMN") {
			j++
		}
		s.columnFills(d, t, j, len(s.toks))
	}
	return ddlResult(d)
}

// createTable lowers CREATE [TEMP] TABLE t (definitions) to a query.DDL
// listing the columns with a DEFAULT other than NULL or a generated value.
func (s *stmt) createTable() (query.Statement, error) {
	i := 2
	if !s.tok(1).is("TABLE") {
		i++
	}
	if s.tok(i).is("IF") && s.tok(i+1).is("NOT") && s.tok(i+2).is("EXISTS") {
		i += 3
	}
	t, n := s.tableName(i)
	if n == 0 {
		return nil, illegal("CREATE TABLE without a table name", s.tok(i).start)
	}
	open := i + n
	d := &query.DDL{}
	if !s.tok(open).punct("(") || s.match[open] < 0 {
		return ddlResult(d)
	}
	close := s.match[open]
	start := open + 1
	for j := open + 1; j <= close; j++ {
		if j == close || s.depth[j] == s.depth[open]+1 && s.toks[j].punct(",") {
			if !tableConstraint[s.tok(start).keyword] {
				s.columnFills(d, t, start, j)
			}
			start = j + 1
		}
	}
	return ddlResult(d)
}

// tableConstraint are the keywords that start a table constraint rather
// than a column definition.
var tableConstraint = makeSet("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")

// columnFills records the column defined by the tokens lo up to hi (name,
// type, constraints) if it has a DEFAULT other than NULL or a generated
// value (GENERATED ALWAYS AS (...) or AS (...)).
func (s *stmt) columnFills(d *query.DDL, t query.Table, lo, hi int) {
	if lo >= hi || !s.isName(lo) {
		return
	}
	name := lowerASCII(s.toks[lo].value)
	for j := lo + 1; j < hi; j++ {
		switch {
		case s.toks[j].is("DEFAULT"):
			if !s.defaultIsNull(j+1, hi) {
				d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: name, Source: query.FillDefault})
			}
		case s.toks[j].is("AS") && s.tok(j+1).punct("("):
			d.Fills = append(d.Fills, query.ColumnFill{Table: t, Column: name, Source: query.FillGenerated})
		}
	}
}

// defaultIsNull reports whether the DEFAULT value starting at token i is
// NULL, possibly in parentheses.
func (s *stmt) defaultIsNull(i, hi int) bool {
	for i < hi && s.toks[i].punct("(") {
		i++
	}
	return i < hi && s.toks[i].is("NULL")
}

// isCreateTableAs reports whether the statement is CREATE [TEMP] TABLE [IF
// NOT EXISTS] name AS select.
func (s *stmt) isCreateTableAs() bool {
	i := 1
	if s.tok(i).is("TEMP") || s.tok(i).is("TEMPORARY") {
		i++
	}
	if !s.tok(i).is("TABLE") {
		return false
	}
	i++
	if s.tok(i).is("IF") && s.tok(i+1).is("NOT") && s.tok(i+2).is("EXISTS") {
		i += 3
	}
	_, n := s.tableName(i)
	return n > 0 && s.tok(i+n).is("AS")
}

// trigger lowers CREATE TRIGGER to an Opaque: the statements of its body
// run later, on every change to its table, and may write any table. Writes
// lists every table after INSERT [OR action] INTO, REPLACE INTO, UPDATE [OR
// action] and DELETE FROM in the body; Reads the trigger's table and every
// table after FROM or JOIN in the body.
func (s *stmt) trigger() (query.Statement, error) {
	op := &query.Opaque{Kind: query.OpaqueCreateTrigger}
	body := len(s.toks)
	for i, t := range s.toks {
		if t.is("BEGIN") && !s.tok(i-1).punct(".") {
			body = i
			break
		}
		if t.is("ON") && len(op.Reads) == 0 {
			tb, n := s.tableName(i + 1)
			if n == 0 {
				return nil, fmt.Errorf("%w: CREATE TRIGGER without a table name", ErrSyntax)
			}
			op.Reads = append(op.Reads, tb)
		}
	}
	for i := body + 1; i < len(s.toks); i++ {
		at, write := s.triggerTarget(i)
		if at < 0 {
			continue
		}
		tb, n := s.tableName(at)
		switch {
		case n == 0 && !write && s.tok(at).punct("("):
			// FROM (subquery): its tables come after their own FROM.
		case n == 0:
			return nil, fmt.Errorf("%w: CREATE TRIGGER: no table name at byte %d", ErrSyntax, s.tok(i).start)
		case write:
			op.Writes = append(op.Writes, tb)
		default:
			op.Reads = append(op.Reads, tb)
		}
	}
	return op, nil
}

// triggerTarget returns the index of the table name a trigger body's i-th
// token introduces and whether the table is written, or -1.
func (s *stmt) triggerTarget(i int) (int, bool) {
	t := s.toks[i]
	skipAction := func(j int) int {
		if s.tok(j).is("OR") && conflictAction[s.tok(j+1).keyword] {
			return j + 2
		}
		return j
	}
	switch {
	case t.is("INSERT"):
		if j := skipAction(i + 1); s.tok(j).is("INTO") {
			return j + 1, true
		}
	case t.is("REPLACE") && s.tok(i+1).is("INTO") && !s.tok(i-1).is("OR"):
		return i + 2, true
	case t.is("UPDATE") && !s.tok(i+1).is("SET") && !s.tok(i-1).punct("."):
		return skipAction(i + 1), true
	case t.is("DELETE") && s.tok(i+1).is("FROM"):
		return i + 2, true
	case (t.is("FROM") && !s.tok(i-1).is("DELETE")) || t.is("JOIN"):
		return i + 1, false
	}
	return -1, false
}

// tableName reads a table name, name or schema.name, at the i-th token and
// returns it folded with the number of tokens it takes (0 if none).
func (s *stmt) tableName(i int) (query.Table, int) {
	if !s.isName(i) {
		return query.Table{}, 0
	}
	first := lowerASCII(s.toks[i].value)
	if s.tok(i+1).punct(".") && s.isName(i+2) {
		return query.Table{Schema: first, Name: lowerASCII(s.toks[i+2].value)}, 3
	}
	return query.Table{Name: first}, 1
}
