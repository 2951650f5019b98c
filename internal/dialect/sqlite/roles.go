package sqlite

// role says how a string or quoted token is to be read where SQLite reads it
// differently from PostgreSQL.
type role uint8

const (
	// roleDefault: a 'string' is a string, a quoted token an identifier.
	roleDefault role = iota
	// roleName: the token stands where SQLite's grammar takes only a name,
	// so SQLite reads even a 'string' as an identifier (INSERT INTO 't',
	// SET 'col' = ?, x AS 'alias', 't'.col).
	roleName
	// roleDQString: a "double-quoted" token where no column is in scope
	// (the rows of INSERT ... VALUES): SQLite, which accepts double-quoted
	// string literals by default, reads it as a string.
	roleDQString
)

// nameAfter are the keywords after which SQLite's grammar takes a name.
var nameAfter = makeSet("FROM", "JOIN", "INTO", "UPDATE", "TABLE", "AS", "COLLATE")

// setEnd are the keywords that end the assignment list of SET.
var setEnd = makeSet("WHERE", "FROM", "RETURNING", "ORDER", "LIMIT", "ON")

// valuesEnd are the keywords that end the VALUES rows of an INSERT.
var valuesEnd = makeSet("ON", "RETURNING", "UNION", "INTERSECT", "EXCEPT", "ORDER", "LIMIT", "WINDOW")

// roles finds the tokens SQLite reads as a name or as a string regardless of
// their quotes.
func (s *stmt) roles() []role {
	r := make([]role, len(s.toks))
	for i, t := range s.toks {
		if (t.kind == tokString || t.kind == tokQuoted) && s.namePosition(i) {
			r[i] = roleName
		}
		switch {
		case t.is("INTO"):
			s.markInsertColumns(i, r)
		case t.is("USING") && s.tok(i+1).punct("("):
			s.markList(i+1, r)
		case t.is("SET"):
			s.markSetTargets(i, r)
		}
	}
	s.markValues(r)
	return r
}

// namePosition reports whether the i-th token is in a position that takes
// only a name: qualified by or qualifying another name, after a keyword that
// introduces a name, or an alias after an operand.
func (s *stmt) namePosition(i int) bool {
	prev := s.tok(i - 1)
	switch {
	case prev.punct(".") || s.tok(i+1).punct("."):
		return true
	case nameAfter[prev.keyword]:
		return true
	case conflictAction[prev.keyword] && s.tok(i-2).is("OR") && s.tok(i-3).is("UPDATE"):
		return true // UPDATE OR REPLACE 't'
	}
	return s.operandEnd(i - 1)
}

// markInsertColumns marks the column list of INSERT INTO table [AS alias]
// (col, ...) whose INTO is the i-th token.
func (s *stmt) markInsertColumns(i int, r []role) {
	j := i + 1
	if !s.isName(j) {
		return
	}
	j++
	if s.tok(j).punct(".") && s.isName(j+1) {
		j += 2
	}
	if s.tok(j).is("AS") && s.isName(j+1) {
		j += 2
	}
	if s.tok(j).punct("(") {
		s.markList(j, r)
	}
}

// markList marks the names of a parenthesised name list opening at j.
func (s *stmt) markList(j int, r []role) {
	end := s.match[j]
	for k := j + 1; k < end; k++ {
		if t := s.toks[k]; t.kind == tokString || t.kind == tokQuoted {
			r[k] = roleName
		}
	}
}

// markSetTargets marks the targets of the assignment list of the SET that
// is the i-th token: SET col = expr, (col, col) = expr, ...
func (s *stmt) markSetTargets(i int, r []role) {
	end := s.clauseEnd(i, setEnd)
	d := s.depth[i]
	for j := i + 1; j < end; {
		switch t := s.toks[j]; {
		case t.punct("(") && s.match[j] > j:
			s.markList(j, r)
		case t.kind == tokString || t.kind == tokQuoted:
			r[j] = roleName
		}
		// Skip to the next assignment.
		for j++; j < end && !(s.depth[j] == d && s.toks[j].punct(",")); j++ {
		}
		j++
	}
}

// markValues marks the double-quoted tokens of the rows of INSERT ...
// VALUES outside subqueries: there no column is in scope, so SQLite reads
// "x" as the string 'x'.
func (s *stmt) markValues(r []role) {
	into := -1
	for i, t := range s.toks {
		if t.is("INTO") && s.depth[i] == 0 {
			into = i
			break
		}
	}
	if into < 0 || !s.isInsert() {
		return
	}
	for i := into + 1; i < len(s.toks); i++ {
		if !s.toks[i].is("VALUES") || s.depth[i] != 0 {
			continue
		}
		end := s.clauseEnd(i, valuesEnd)
		for j := i + 1; j < end; j++ {
			t := s.toks[j]
			switch {
			case t.punct("(") && s.startsQuery(j+1) && s.match[j] > j:
				j = s.match[j]
			case t.kind == tokQuoted && t.text[0] == '"' && r[j] == roleDefault &&
				!s.tok(j+1).punct("(") && !s.tok(j+1).punct(".") && !s.tok(j-1).punct("."):
				r[j] = roleDQString
			}
		}
		i = end
	}
}

// isInsert reports whether the statement is an INSERT or REPLACE (after any
// WITH clause).
func (s *stmt) isInsert() bool {
	for i, t := range s.toks {
		if s.depth[i] == 0 && (t.is("INSERT") || t.is("REPLACE") && s.tok(i+1).is("INTO")) {
			return true
		}
		if s.depth[i] == 0 && (t.is("SELECT") || t.is("UPDATE") || t.is("DELETE") || t.is("VALUES")) {
			return false
		}
	}
	return false
}

// startsQuery reports whether the i-th token starts a query.
func (s *stmt) startsQuery(i int) bool {
	t := s.tok(i)
	return t.is("SELECT") || t.is("WITH") || t.is("VALUES")
}
