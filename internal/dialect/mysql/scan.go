package mysql

import (
	"encoding/hex"
	"strings"
	"unicode"
)

// token is a string or hexadecimal literal found in the SQL text by scan.
type token struct {
	// Start and End delimit the whole literal token, including a charset
	// introducer (_utf8mb4'...') or the N of N'...'.
	Start, End int
	// RepStart is where the part replaced by a marker starts: the opening
	// quote of a string, or the X / 0x of a hexadecimal literal.
	RepStart int
	// Value is the decoded value, as MySQL stores it (backslash escapes
	// applied, hexadecimal digits turned into bytes).
	Value string
	// Hex reports an X'...' or 0x... literal.
	Hex bool
}

// scanned is what scan found in a SQL text.
type scanned struct {
	tokens []token
	// params counts the ? placeholders outside strings and comments, and
	// paramAt holds their offsets in text order.
	params  int
	paramAt []int
	// ords, when not nil, are the ordinals the placeholders of the text
	// stand for, in text order (see parseReturning); nil means 1 to params.
	ords []int
	// conditional reports a comment whose content MySQL, MariaDB and the
	// TiDB parser may disagree on executing: /*!NNNNN ...*/ (version
	// dependent), /*M! ...*/ (MariaDB only) and /*T! ...*/ (TiDB only).
	conditional bool
	// stmts describes the statements of the text, as separated by ; (see
	// stmtInfo).
	stmts []stmtInfo
	// bangSep reports a ; inside /*! ... */.
	bangSep bool
	// dollars counts the bare words $1, $2, ...: names to MySQL, but
	// PostgreSQL's placeholders in a text written for it (see Advice).
	dollars int
}

// ordinals returns the ordinals of the placeholders of the text, in text
// order.
func (sc scanned) ordinals() []int {
	if sc.ords != nil {
		return sc.ords
	}
	return ordinalsUpTo(sc.params)
}

// stmtInfo is one statement of the text as the scanner sees it: the text
// between two ; outside strings, quoted names and comments.
type stmtInfo struct {
	// verb is the first word of the statement, lower-cased, or "" when the
	// statement starts with anything else.
	verb string
	// started reports that the statement holds more than white space and
	// comments; the parser drops a statement that does not.
	started bool
	// ret is the statement's RETURNING clause, nil if it has none.
	ret *clause
}

// clause is a MariaDB RETURNING clause of an INSERT, REPLACE or DELETE:
// the keyword RETURNING as a bare word outside parentheses (MariaDB
// reserves the word, so it cannot be an unquoted name there), and
// everything after it up to the end of the statement.
type clause struct {
	// Start is the offset of the keyword, List the offset just past it,
	// End the offset of the ; that ends the statement or the length of the
	// text.
	Start, List, End int
	// inBang reports that the keyword or the end of the statement is
	// inside /*! ... */.
	inBang bool
}

// returningVerbs are the statements MariaDB accepts a RETURNING clause in.
var returningVerbs = map[string]bool{"insert": true, "replace": true, "delete": true}

// scan tokenises sql the way the TiDB lexer does, as far as string
// literals, comments and placeholders are concerned, with the default SQL
// mode (backslash escapes on, "..." is a string). Strings that only name
// something (after ESCAPE, CHARSET, CHARACTER SET, COLLATE, NAMES, and
// user variables such as @'x') are not reported: they are never values,
// and the parser checks some of them. It also splits the text into
// statements at ; and finds MariaDB RETURNING clauses.
func scan(sql string) scanned {
	var out scanned
	s := scanner{src: sql}
	s.run(&out)
	return out
}

// scanner holds the state of one scan.
type scanner struct {
	src    string
	pos    int
	inBang bool // inside /*! ... */, whose content is SQL
	// prevWord is the last bare word when nothing but whitespace and
	// comments followed it, lower-cased; prevWordStart is its offset.
	prevWord      string
	prevWordStart int
	// depth is the nesting of parentheses in the current statement; cur
	// is what is known of the current statement.
	depth int
	cur   stmtInfo
}

func (s *scanner) run(out *scanned) {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if !isSpace(c) && !isWordChar(c) && c != ';' && !s.atComment() {
			s.begin("") // word calls begin with the word
		}
		switch {
		case isSpace(c):
			s.pos++
		case c == '#':
			s.skipLine()
		case c == '-' && strings.HasPrefix(s.src[s.pos:], "--") &&
			(s.pos+2 == len(s.src) || isSpace(s.src[s.pos+2])):
			s.skipLine()
		case c == '/' && strings.HasPrefix(s.src[s.pos:], "/*"):
			s.comment(out)
		case c == '*' && s.inBang && strings.HasPrefix(s.src[s.pos:], "*/"):
			s.inBang = false
			s.pos += 2
			s.prevWord = ""
		case c == '\'' || c == '"':
			s.stringToken(out, s.pos)
		case c == '`':
			s.skipQuoted('`')
			s.prevWord = ""
		case c == '@':
			s.userVariable()
		case c == '?':
			out.params++
			out.paramAt = append(out.paramAt, s.pos)
			s.pos++
			s.prevWord = ""
		case isWordChar(c):
			s.word(out)
		case c == ';':
			s.endStatement(out)
			s.pos++
			s.prevWord = ""
		default:
			switch c {
			case '(':
				s.depth++
			case ')':
				s.depth = max(s.depth-1, 0)
			}
			s.pos++
			s.prevWord = ""
		}
	}
	s.endStatement(out)
}

// atComment reports whether s.pos starts a comment, or the end of an
// executable comment, which are not part of a statement's content.
func (s *scanner) atComment() bool {
	rest := s.src[s.pos:]
	return rest[0] == '#' ||
		strings.HasPrefix(rest, "--") && (len(rest) == 2 || isSpace(rest[2])) ||
		strings.HasPrefix(rest, "/*") ||
		s.inBang && strings.HasPrefix(rest, "*/")
}

// begin notes content in the current statement; word is the content's
// lower-cased text when it is a bare word. The first content decides the
// statement's verb.
func (s *scanner) begin(word string) {
	if !s.cur.started {
		s.cur.started = true
		s.cur.verb = word
	}
}

// endStatement closes the current statement at s.pos, a ; or the end of
// the text.
func (s *scanner) endStatement(out *scanned) {
	if s.pos < len(s.src) && s.inBang {
		out.bangSep = true
	}
	if s.cur.ret != nil {
		s.cur.ret.End = s.pos
		s.cur.ret.inBang = s.cur.ret.inBang || s.inBang
	}
	out.stmts = append(out.stmts, s.cur)
	s.cur = stmtInfo{}
	s.depth = 0
}

// keyword notes a bare word w, lower-cased, spanning [start, end): the
// first RETURNING outside parentheses of an INSERT, REPLACE or DELETE
// starts its RETURNING clause. A word right after . or @ is a name
// (t.returning, @returning), never the keyword.
func (s *scanner) keyword(w string, start, end int) {
	if w != "returning" || s.depth != 0 || s.cur.ret != nil || !returningVerbs[s.cur.verb] {
		return
	}
	if start > 0 && (s.src[start-1] == '.' || s.src[start-1] == '@') {
		return
	}
	s.cur.ret = &clause{Start: start, List: end, inBang: s.inBang}
}

// isSpace is the TiDB lexer's notion of white space, applied to a byte.
func isSpace(c byte) bool { return unicode.IsSpace(rune(c)) }

// isWordChar reports a byte that can be part of an unquoted identifier,
// keyword or number.
func isWordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '$' || c >= 0x80
}

func (s *scanner) skipLine() {
	if i := strings.IndexByte(s.src[s.pos:], '\n'); i >= 0 {
		s.pos += i + 1
	} else {
		s.pos = len(s.src)
	}
}

// comment handles text starting with /*. The content of /*! ... */ is SQL;
// every other comment is skipped. A comment keeps prevWord, as the lexer
// does not see it.
func (s *scanner) comment(out *scanned) {
	rest := s.src[s.pos+2:]
	switch {
	case strings.HasPrefix(rest, "!"):
		s.pos += 3
		if s.pos < len(s.src) && s.src[s.pos] >= '0' && s.src[s.pos] <= '9' {
			out.conditional = true
			// The TiDB lexer consumes a version of exactly five digits.
			n := 0
			for n < 5 && s.pos+n < len(s.src) && s.src[s.pos+n] >= '0' && s.src[s.pos+n] <= '9' {
				n++
			}
			if n == 5 {
				s.pos += n
			}
		}
		s.inBang = true
		return
	case strings.HasPrefix(rest, "M!"), strings.HasPrefix(rest, "T!"):
		out.conditional = true
	}
	if i := strings.Index(rest, "*/"); i >= 0 {
		s.pos += 2 + i + 2
	} else {
		s.pos = len(s.src)
	}
}

// userVariable skips @name, @@name and a quoted user variable name such as
// @'x' or @`x`, which is an identifier rather than a string.
func (s *scanner) userVariable() {
	s.pos++
	if s.pos < len(s.src) && s.src[s.pos] == '@' {
		s.pos++
	}
	if s.pos < len(s.src) {
		switch q := s.src[s.pos]; q {
		case '\'', '"', '`':
			s.skipQuoted(q)
		}
	}
	s.prevWord = ""
}

// skipQuoted skips a quoted token starting at s.pos without decoding it.
func (s *scanner) skipQuoted(q byte) {
	_, end, _ := readQuoted(s.src, s.pos, q != '`')
	s.pos = end
}

// namingWords are the keywords after which a string names a character
// set, a collation or an escape character rather than being a value.
var namingWords = map[string]bool{
	"escape": true, "charset": true, "set": true, "collate": true, "names": true,
}

// stringToken reads a '...' or "..." literal whose quote is at s.pos and
// whose token (with introducer) starts at start.
func (s *scanner) stringToken(out *scanned, start int) {
	quoteAt := s.pos
	val, end, ok := readQuoted(s.src, quoteAt, true)
	s.pos = end
	naming := namingWords[s.prevWord]
	if start == quoteAt && strings.HasPrefix(s.prevWord, "_") {
		start = s.prevWordStart // charset introducer: _utf8mb4'...'
	}
	s.prevWord = ""
	if !ok || naming {
		return
	}
	out.tokens = append(out.tokens, token{Start: start, End: end, RepStart: quoteAt, Value: val})
}

// word reads an unquoted identifier, keyword or number, and the X'..',
// B'..' and N'..' literals that start like one.
func (s *scanner) word(out *scanned) {
	start := s.pos
	end := start
	for end < len(s.src) && isWordChar(s.src[end]) {
		end++
	}
	w := s.src[start:end]
	lw := strings.ToLower(w)
	s.begin(lw)
	if isDollarNumber(w) && (start == 0 || s.src[start-1] != '.') {
		out.dollars++
	}
	quoted := end < len(s.src) && s.src[end] == '\''
	switch {
	case quoted && (w == "x" || w == "X"):
		s.hexQuoted(out, start, end)
		return
	case quoted && (w == "b" || w == "B"):
		s.pos = end
		s.skipQuoted('\'') // bit literal: not a string value
		s.prevWord = ""
		return
	case quoted && (w == "n" || w == "N"):
		s.pos = end
		s.prevWord = ""
		s.stringToken(out, start)
		return
	case isHexNumber(w) && (start == 0 || s.src[start-1] != '.'):
		// After a dot, t.0x41 is a column name.
		s.hexToken(out, start, end, w[2:])
		return
	}
	s.pos = end
	s.keyword(lw, start, end)
	s.prevWord = lw
	s.prevWordStart = start
}

// isHexNumber reports a 0x... literal such as 0x7B7D.
func isHexNumber(w string) bool {
	if len(w) < 3 || w[0] != '0' || w[1] != 'x' {
		return false
	}
	for i := 2; i < len(w); i++ {
		if !isHexDigit(w[i]) {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// hexQuoted reads X'...' whose X is at start and quote at quoteAt.
func (s *scanner) hexQuoted(out *scanned, start, quoteAt int) {
	i := quoteAt + 1
	for i < len(s.src) && isHexDigit(s.src[i]) {
		i++
	}
	if i >= len(s.src) || s.src[i] != '\'' {
		// Not a valid hexadecimal literal: the parser rejects it.
		s.pos = quoteAt
		s.prevWord = ""
		return
	}
	s.hexToken(out, start, i+1, s.src[quoteAt+1:i])
}

// hexToken records a hexadecimal literal spanning [start, end) with the
// given digits. An odd number of digits is invalid in X'...' and
// left-padded with a zero in 0x...; the value check against the parser's
// own decoding catches any disagreement.
func (s *scanner) hexToken(out *scanned, start, end int, digits string) {
	s.pos = end
	tokStart := start
	if strings.HasPrefix(s.prevWord, "_") {
		tokStart = s.prevWordStart
	}
	s.prevWord = ""
	if len(digits)%2 == 1 {
		digits = "0" + digits
	}
	b, err := hex.DecodeString(digits)
	if err != nil {
		return
	}
	out.tokens = append(out.tokens, token{Start: tokStart, End: end, RepStart: start, Value: string(b), Hex: true})
}

// readQuoted reads the quoted token whose opening quote is at src[at]. It
// returns the decoded content, the offset just past the closing quote and
// whether the token is terminated. A doubled quote stands for one quote;
// with escapes, a backslash escapes the next byte as MySQL does.
func readQuoted(src string, at int, escapes bool) (string, int, bool) {
	q := src[at]
	var b strings.Builder
	i := at + 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == q:
			if i+1 < len(src) && src[i+1] == q {
				b.WriteByte(q)
				i += 2
				continue
			}
			return b.String(), i + 1, true
		case c == '\\' && escapes:
			if i+1 >= len(src) {
				return "", len(src), false
			}
			b.WriteString(unescape(src[i+1]))
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", len(src), false
}

// unescape is the value of the backslash escape \c in a MySQL string.
func unescape(c byte) string {
	switch c {
	case '0':
		return "\x00"
	case 'b':
		return "\b"
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case 'Z':
		return "\x1a"
	case '%', '_':
		return "\\" + string(c)
	default:
		return string(c)
	}
}
