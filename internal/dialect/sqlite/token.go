package sqlite

// tokenKind classifies a SQLite token.
type tokenKind uint8

const (
	// tokIdent is a bare identifier or keyword.
	tokIdent tokenKind = iota + 1
	// tokQuoted is an identifier in "double quotes", [brackets] or
	// `backticks`.
	tokQuoted
	// tokString is a 'string' literal.
	tokString
	// tokBlob is an X'hex' blob literal.
	tokBlob
	// tokNumber is an integer or real literal.
	tokNumber
	// tokParam is a bind parameter: ?, ?NNN, :name, @name, $name, #name.
	tokParam
	// tokPunct is an operator or punctuation, including ";".
	tokPunct
)

// token is one token of the SQL text; whitespace and comments are not
// tokens.
type token struct {
	kind       tokenKind
	start, end int    // byte offsets in the SQL text
	text       string // the token as written
	// value is, for tokString, the string's value; for tokQuoted, the name
	// without quotes (case kept); for tokIdent, the name as written.
	value string
	// keyword is the upper-case SQLite keyword a tokIdent spells, "" if
	// none.
	keyword string
}

// is reports whether t is the keyword kw (upper case).
func (t token) is(kw string) bool { return t.keyword == kw }

// punct reports whether t is the operator or punctuation p.
func (t token) punct(p string) bool { return t.kind == tokPunct && t.text == p }
