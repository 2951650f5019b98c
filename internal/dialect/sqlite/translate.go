package sqlite

import (
	"sort"
	"strconv"
	"strings"
)

// piece records where a token of the SQLite text went in the PostgreSQL
// text.
type piece struct {
	outStart, outEnd int // byte offsets in the PostgreSQL text
	tok              int // index of the token in the statement, -1 for synthesised text
}

// translation is one SQLite statement written as PostgreSQL text of the
// same structure, with what is needed to map the parse back.
type translation struct {
	*stmt
	pg     string  // the PostgreSQL text
	pieces []piece // in the order of the PostgreSQL text
	roles  []role
	params paramTable
}

// translate writes the statement as PostgreSQL text. Tokens are written
// one by one, separated by single spaces (so that PostgreSQL neither joins
// adjacent operators nor concatenates adjacent string literals), after the
// rewrites of rewrites and the readings of roles.
func translate(s *stmt) (*translation, error) {
	tr := &translation{stmt: s, roles: s.roles()}
	edits, swaps := s.rewrites()
	idx := make([]int, len(s.toks))
	for i, t := range s.toks {
		if t.kind != tokParam {
			continue
		}
		k, err := tr.params.assign(t.text, t.start)
		if err != nil {
			return nil, err
		}
		idx[i] = k
	}
	em := &emitter{tr: tr, edits: edits, swaps: swaps, params: idx}
	if err := em.span(0, len(s.toks)); err != nil {
		return nil, err
	}
	tr.pg = em.b.String()
	return tr, nil
}

// emitter writes the PostgreSQL text of a translation.
type emitter struct {
	tr     *translation
	edits  []edit
	swaps  map[int]limitSwap
	params []int // SQLite parameter index of each parameter token
	b      strings.Builder
}

// span writes the tokens lo up to hi.
func (em *emitter) span(lo, hi int) error {
	for i := lo; i < hi; i++ {
		sw, ok := em.swaps[i]
		if !ok {
			if err := em.token(i); err != nil {
				return err
			}
			continue
		}
		// LIMIT offset, count -> LIMIT count OFFSET offset.
		if err := em.token(i); err != nil {
			return err
		}
		if err := em.span(sw.comma+1, sw.end); err != nil {
			return err
		}
		if err := em.token(sw.comma); err != nil {
			return err
		}
		if err := em.span(i+1, sw.comma); err != nil {
			return err
		}
		i = sw.end - 1
	}
	return nil
}

// token writes the i-th token with its edit.
func (em *emitter) token(i int) error {
	e := em.edits[i]
	if e.before != "" {
		em.write(e.before, -1)
	}
	if e.drop {
		return nil
	}
	text := e.text
	if text == "" {
		var err error
		if text, err = em.tr.render(i, em.params[i]); err != nil {
			return err
		}
	}
	em.write(text, i)
	return nil
}

// write appends text as one piece, after a separating space.
func (em *emitter) write(text string, tok int) {
	if em.b.Len() > 0 {
		em.b.WriteByte(' ')
	}
	start := em.b.Len()
	em.b.WriteString(text)
	em.tr.pieces = append(em.tr.pieces, piece{outStart: start, outEnd: em.b.Len(), tok: tok})
}

// render writes the i-th token in PostgreSQL syntax; param is its SQLite
// parameter index if it is a parameter.
func (tr *translation) render(i, param int) (string, error) {
	t := tr.toks[i]
	switch t.kind {
	case tokIdent:
		if t.keyword != "" && !tr.keywordAsName(i) {
			return strings.ToLower(t.keyword), nil
		}
		if v := lowerASCII(t.value); t.keyword == "" && (v == "true" || v == "false") {
			return v, nil
		}
		return quoteIdent(t.value, t.start)
	case tokQuoted:
		if tr.roles[i] == roleDQString {
			return quoteString(t.value), nil
		}
		return quoteIdent(t.value, t.start)
	case tokString:
		if tr.roles[i] == roleName {
			return quoteIdent(t.value, t.start)
		}
	case tokParam:
		return "$" + strconv.Itoa(param), nil
	}
	return t.text, nil
}

// keywordAsName reports whether the keyword at i is used as a name: next to
// a ".", or as the name of a function SQLite defines (replace(...)).
func (tr *translation) keywordAsName(i int) bool {
	if tr.tok(i-1).punct(".") || tr.tok(i+1).punct(".") {
		return true
	}
	return functionKeywords[tr.toks[i].keyword] && tr.tok(i+1).punct("(") && !tr.operatorPosition(i)
}

// quoteIdent writes a name as a PostgreSQL quoted identifier, folded to
// lower case as SQLite compares names. PostgreSQL truncates identifiers to
// 63 bytes, which could make two SQLite names one: longer names are an
// error.
func quoteIdent(name string, at int) (string, error) {
	name = lowerASCII(name)
	if len(name) > maxIdentLen {
		return "", illegal("identifier longer than 63 bytes", at)
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`, nil
}

// maxIdentLen is the longest identifier PostgreSQL keeps whole.
const maxIdentLen = 63

// quoteString writes s as a PostgreSQL standard string literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// pieceAt returns the index of the piece of the PostgreSQL text that starts
// (end false) or ends (end true) at offset off, -1 if none does.
func (tr *translation) pieceAt(off int, end bool) int {
	i := sort.Search(len(tr.pieces), func(i int) bool {
		if end {
			return tr.pieces[i].outEnd >= off
		}
		return tr.pieces[i].outStart >= off
	})
	if i == len(tr.pieces) {
		return -1
	}
	if p := tr.pieces[i]; !end && p.outStart != off || end && p.outEnd != off {
		return -1
	}
	return i
}
