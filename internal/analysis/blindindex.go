package analysis

import (
	"sort"
	"strconv"

	"github.com/sqlseal/sqlseal/internal/query"
)

// Index is a blind index: the terms of protected column Column live in
// Sibling, a column of the same table (names normalised like Column's).
type Index struct {
	Column  Column
	Sibling string
}

// NewIndexedProtected returns the set of the given columns, with blind
// indexes on some of them. An index whose column is not among cols is
// ignored.
func NewIndexedProtected(cols []Column, idx []Index) *Protected {
	p := NewProtected(cols)
	if len(idx) == 0 {
		return p
	}
	p.index = make(map[Column]string, len(idx))
	var keys []string
	for _, x := range idx {
		if !containsColumn(cols, x.Column) {
			continue
		}
		p.index[x.Column] = x.Sibling
		keys = append(keys, strconv.Quote(x.Column.String())+strconv.Quote(x.Sibling))
	}
	sort.Strings(keys)
	for _, k := range keys {
		p.key += "|" + k
	}
	return p
}

func containsColumn(cs []Column, c Column) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// Sibling returns the blind index column of c, if c has a blind index.
func (p *Protected) Sibling(c Column) (string, bool) {
	s, ok := p.index[c]
	return s, ok
}

// siblingOf returns the blind-indexed column whose sibling is column name
// of table t, if any (matching tables as ofTable does).
func (p *Protected) siblingOf(t query.Table, name string) (Column, bool) {
	if len(p.index) == 0 {
		return Column{}, false
	}
	for _, c := range p.ofTable(t) {
		if s, ok := p.index[c]; ok && s == name {
			return c, true
		}
	}
	return Column{}, false
}

// EditKind is what a blind index rewrite does to the text.
type EditKind uint8

const (
	// EditSibling replaces a reference's column name, text[Start:End],
	// with the sibling's name: a lookup on the column becomes one on its
	// blind index.
	EditSibling EditKind = iota + 1
	// EditTermLiteral replaces the string literal text[Start:End] compared
	// with the column by the literal of its term.
	EditTermLiteral
	// EditAddColumn inserts ", sibling" at Start, after the column in an
	// INSERT's column list.
	EditAddColumn
	// EditAddValue inserts ", value" at Start, after the column's value in
	// a VALUES row.
	EditAddValue
	// EditAddAssign inserts ", sibling = value" at Start, after the
	// column's assignment in UPDATE ... SET or an upsert.
	EditAddAssign
	// EditNumberParam writes the anonymous placeholder text[Start:End] as
	// Text, the same placeholder with its number, in a dialect where an
	// added numbered placeholder would renumber it (SQLite).
	EditNumberParam
	// EditLookupOpen inserts "(" at Start, and EditLookupClose inserts
	// " OR <reference to the sibling> IN (<older terms of Values>))" at
	// Start, around an equality lookup, while an older index key's terms
	// may still be stored (lookups match both): the reference is
	// text[RefStart:NameStart] followed by the sibling's name. Neither
	// inserts anything otherwise.
	EditLookupOpen
	// EditLookupClose closes what EditLookupOpen opened (see there).
	EditLookupClose
	// EditLookupMore inserts ", <older terms of Values>" after the last
	// item of an IN list, while an older index key's terms may be stored.
	EditLookupMore
)

// LookupValue is one value a blind-indexed column is compared with: a
// parameter (Source SourceParam) or the string literal
// text[LitStart:LitEnd] (SourceLiteral).
type LookupValue struct {
	Source           Source
	Param            query.Param
	LitStart, LitEnd int
}

// Source is where the value an EditAddValue or EditAddAssign writes to the
// sibling comes from.
type Source uint8

const (
	// SourceParam: the term of the argument bound to Edit.Param, bound to
	// a new placeholder numbered Edit.NewParam.
	SourceParam Source = iota + 1
	// SourceLiteral: the term of the string literal
	// text[Edit.LitStart:Edit.LitEnd].
	SourceLiteral
	// SourceNull: NULL.
	SourceNull
	// SourceDefault: DEFAULT.
	SourceDefault
	// SourceExcluded: the upsert's proposed value of the sibling.
	SourceExcluded
)

// Edit is one change of the text that keeps a blind index: the engine
// applies the edits of a plan, in text order, with the sealing of
// Plan.Literals. It holds positions, never values.
type Edit struct {
	// Start and End delimit the replaced text; Start == End inserts.
	Start, End int
	Kind       EditKind
	// Column is the blind-indexed column concerned.
	Column Column
	// Source, for EditAddValue and EditAddAssign.
	Source Source
	// Param and NewParam, for SourceParam: the placeholder whose argument's
	// term is written, and the ordinal of the placeholder added for it.
	Param    query.Param
	NewParam int
	// LitStart and LitEnd, for SourceLiteral.
	LitStart, LitEnd int
	// Text, for EditNumberParam: a placeholder, never a value.
	Text string
	// RefStart, NameStart and Values, for EditLookupClose and
	// EditLookupMore.
	RefStart, NameStart int
	Values              []LookupValue
	// NameEnd, for SourceExcluded in a dialect that writes the proposed
	// value as a call (MySQL's VALUES(col)): the value added is
	// text[RefStart:NameStart], the sibling's name, text[NameEnd:Start].
	// 0 otherwise (EXCLUDED.sibling).
	NameEnd int
	// ParamsBefore, in a plan whose placeholders bind by position, is how
	// many placeholders of the text come before Start.
	ParamsBefore int
}

// TermTarget is a bind parameter compared with a blind-indexed column:
// its argument is replaced by the argument's term.
type TermTarget struct {
	query.Param
	Column Column
}
