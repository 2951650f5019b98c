package sqlite

// edit changes how one token is written in the PostgreSQL text.
type edit struct {
	drop   bool   // the token is left out
	text   string // the token is written as text instead, if not ""
	before string // synthesised text written before the token, if not ""
}

// limitSwap is a SQLite LIMIT offset, count clause: the tokens of offset run
// from the LIMIT to comma, those of count from comma to end.
type limitSwap struct {
	comma, end int
}

// conflictAction are the actions of SQLite's INSERT OR action and UPDATE OR
// action.
var conflictAction = makeSet("ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE")

// likeOperators are SQLite's pattern operators; as operators they become
// PostgreSQL's LIKE (the analysis only needs an operator of the same
// precedence), as function names they stay function names.
var likeOperators = makeSet("LIKE", "GLOB", "REGEXP", "MATCH")

// functionKeywords are keywords SQLite also uses as function names.
var functionKeywords = makeSet("LIKE", "GLOB", "REGEXP", "MATCH", "REPLACE", "IF")

// rewrites computes the token edits that turn SQLite-only syntax into
// PostgreSQL syntax of the same meaning, and the LIMIT clauses to reorder.
func (s *stmt) rewrites() ([]edit, map[int]limitSwap) {
	e := make([]edit, len(s.toks))
	swaps := map[int]limitSwap{}
	for i, t := range s.toks {
		switch {
		case t.punct("=="):
			e[i].text = "="
		case t.is("OR") && (s.tok(i-1).is("INSERT") || s.tok(i-1).is("UPDATE")) && conflictAction[s.tok(i+1).keyword]:
			// INSERT OR REPLACE INTO, UPDATE OR IGNORE t: the same write.
			e[i].drop, e[i+1].drop = true, true
		case t.is("REPLACE") && s.tok(i+1).is("INTO") && !s.tok(i-1).is("OR"):
			e[i].text = "insert" // REPLACE INTO is INSERT OR REPLACE INTO
		case t.is("IS"):
			s.rewriteIs(i, e)
		case t.is("NOT") && s.tok(i+1).is("NULL") && s.operandEnd(i-1):
			e[i].text = "is not" // x NOT NULL
		case likeOperators[t.keyword] && s.operatorPosition(i):
			if !t.is("LIKE") {
				e[i].text = "like"
			}
		case t.is("INDEXED"):
			s.dropIndexed(i, e)
		case t.is("CAST") && s.tok(i+1).punct("("):
			s.rewriteCast(i+1, e)
		case t.is("WITH") && !s.tok(i+1).is("RECURSIVE"):
			// Every entry of a SQLite WITH clause sees every other, as in
			// PostgreSQL's WITH RECURSIVE.
			e[i].text = "with recursive"
		case t.is("LIMIT"):
			if sw, ok := s.limitComma(i); ok {
				swaps[i] = sw
				e[sw.comma].text = "offset"
			}
		}
	}
	return e, swaps
}

// operatorPosition reports whether the keyword at i is used as a binary
// operator: after an operand, or after NOT after an operand.
func (s *stmt) operatorPosition(i int) bool {
	return s.operandEnd(i-1) || s.tok(i-1).is("NOT") && s.operandEnd(i-2)
}

// rewriteIs turns SQLite's null-safe comparison x IS y / x IS NOT y into
// IS NOT DISTINCT FROM / IS DISTINCT FROM, leaving IS [NOT] NULL, IS [NOT]
// TRUE/FALSE and IS [NOT] DISTINCT FROM alone.
func (s *stmt) rewriteIs(i int, e []edit) {
	j := i + 1
	not := s.tok(j).is("NOT")
	if not {
		j++
	}
	if j >= len(s.toks) {
		return
	}
	next := s.toks[j]
	if next.is("NULL") || next.is("DISTINCT") ||
		next.kind == tokIdent && (lowerASCII(next.value) == "true" || lowerASCII(next.value) == "false") {
		return
	}
	if not {
		e[i+1].text = "distinct from"
	} else {
		e[i].text = "is not distinct from"
	}
}

// dropIndexed removes the INDEXED BY name and NOT INDEXED hints after a
// table name, which choose an index and do not change the statement.
func (s *stmt) dropIndexed(i int, e []edit) {
	switch {
	case s.tok(i - 1).is("NOT"):
		e[i-1].drop, e[i].drop = true, true
	case s.tok(i+1).is("BY") && s.isName(i+2):
		e[i].drop, e[i+1].drop, e[i+2].drop = true, true, true
	}
}

// rewriteCast replaces the type of CAST(expr AS type), whose "(" is the
// open-th token, by the PostgreSQL type of the same SQLite type affinity:
// SQLite converts by affinity, so CAST(x AS VARCHAR(10)) is a text
// conversion that keeps the value whole.
func (s *stmt) rewriteCast(open int, e []edit) {
	close := s.match[open]
	if close < 0 {
		return
	}
	as := -1
	for j := open + 1; j < close; j++ {
		if s.depth[j] == s.depth[open]+1 && s.toks[j].is("AS") {
			as = j
		}
	}
	if as < 0 {
		return
	}
	typ := ""
	if as+1 < close {
		typ = s.src[s.toks[as+1].start:s.toks[close-1].end]
	}
	for j := as + 1; j < close; j++ {
		e[j].drop = true
	}
	e[close].before = affinityType(typ)
}

// limitEnd are the keywords that end a LIMIT clause.
var limitEnd = makeSet("ON", "RETURNING", "OFFSET")

// limitComma recognises LIMIT offset, count at the i-th token.
func (s *stmt) limitComma(i int) (limitSwap, bool) {
	end := s.clauseEnd(i, limitEnd)
	if s.tok(end).is("OFFSET") {
		return limitSwap{}, false
	}
	comma := -1
	for j := i + 1; j < end; j++ {
		if s.depth[j] == s.depth[i] && s.toks[j].punct(",") {
			comma = j
			break
		}
	}
	if comma < 0 {
		return limitSwap{}, false
	}
	return limitSwap{comma: comma, end: end}, true
}

// affinityType returns a PostgreSQL type with the SQLite type affinity of
// the declared type typ, determined as sqlite3AffinityType does.
func affinityType(typ string) string {
	const (
		text    = "text"
		integer = "bigint"
		real    = "float8"
		numeric = "numeric"
		blob    = "bytea"
	)
	aff := numeric
	var h uint32
	for i := 0; i < len(typ); i++ {
		h = h<<8 | uint32(lowerByte(typ[i]))
		switch {
		case h == word("char"), h == word("clob"), h == word("text"):
			aff = text
		case h == word("blob") && (aff == numeric || aff == real):
			aff = blob
		case (h == word("real") || h == word("floa") || h == word("doub")) && aff == numeric:
			aff = real
		case h&0x00FFFFFF == word("int"):
			return integer
		}
	}
	return aff
}

// word packs up to four bytes the way affinityType's rolling hash does.
func word(w string) uint32 {
	var h uint32
	for i := 0; i < len(w); i++ {
		h = h<<8 | uint32(w[i])
	}
	return h
}

// lowerByte lower-cases an ASCII letter.
func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII lower-cases the ASCII letters of s, as SQLite folds names.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerByte(c)
	}
	return string(b)
}
