package sqlite

// stmt is the token sequence of one statement with its parenthesis
// structure.
type stmt struct {
	src  string  // the whole SQL text the tokens come from
	toks []token // the statement's tokens, without the closing ";"
	// depth is the parenthesis depth of each token; a parenthesis has the
	// depth of the text around it.
	depth []int
	// match is the index of the parenthesis matching a "(" or ")", -1 for
	// other tokens and unbalanced parentheses.
	match []int
}

// newStmt computes the parenthesis structure of toks.
func newStmt(src string, toks []token) *stmt {
	s := &stmt{src: src, toks: toks, depth: make([]int, len(toks)), match: make([]int, len(toks))}
	var open []int
	for i, t := range toks {
		s.match[i] = -1
		switch {
		case t.punct("("):
			s.depth[i] = len(open)
			open = append(open, i)
		case t.punct(")") && len(open) > 0:
			j := open[len(open)-1]
			open = open[:len(open)-1]
			s.depth[i] = len(open)
			s.match[i], s.match[j] = j, i
		default:
			s.depth[i] = len(open)
		}
	}
	return s
}

// tok returns the i-th token, or a zero token out of range.
func (s *stmt) tok(i int) token {
	if i < 0 || i >= len(s.toks) {
		return token{}
	}
	return s.toks[i]
}

// isName reports whether the i-th token can be a name: an identifier, a
// keyword SQLite lets stand for one, or a quoted name.
func (s *stmt) isName(i int) bool {
	switch s.tok(i).kind {
	case tokIdent, tokQuoted, tokString:
		return true
	}
	return false
}

// operandEnd reports whether the i-th token can end an operand, so that
// what follows it is an operator or an alias rather than the start of an
// expression.
func (s *stmt) operandEnd(i int) bool {
	t := s.tok(i)
	switch t.kind {
	case tokNumber, tokString, tokBlob, tokParam, tokQuoted:
		return true
	case tokIdent:
		switch t.keyword {
		case "", "NULL", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "END":
			return true
		}
	case tokPunct:
		return t.text == ")"
	}
	return false
}

// clauseEnd returns the index of the first token after i at the depth of
// token i that is one of the keywords stop, or that closes a parenthesis
// around token i, or len(toks).
func (s *stmt) clauseEnd(i int, stop map[string]bool) int {
	d := s.depth[i]
	for j := i + 1; j < len(s.toks); j++ {
		if s.depth[j] < d || s.depth[j] == d && stop[s.toks[j].keyword] {
			return j
		}
	}
	return len(s.toks)
}
