package sqlite

import (
	"fmt"
	"strconv"

	"github.com/sqlseal/sqlseal/internal/query"
)

// maxVariableNumber is SQLITE_MAX_VARIABLE_NUMBER in modernc.org/sqlite: the
// largest ?NNN SQLite accepts.
const maxVariableNumber = 32766

// paramTable numbers the parameters of one statement as SQLite does
// (sqlite3ExprAssignVarNumber) and knows which argument modernc.org/sqlite
// binds to each.
//
// SQLite gives "?" the next index (one more than the largest so far),
// "?NNN" the index NNN, and each distinct :name, @name, $name or #name
// (prefix included, case-sensitive) the next index at its first appearance.
// The first name seen for an index is that index's parameter name.
type paramTable struct {
	n      int            // largest index assigned so far
	byName map[string]int // named parameter (with prefix) -> index
	name   map[int]string // index -> its parameter name
}

// assign returns the index of the parameter token text.
func (p *paramTable) assign(text string, at int) (int, error) {
	if p.byName == nil {
		p.byName = map[string]int{}
		p.name = map[int]string{}
	}
	switch {
	case text == "?":
		p.n++
		return p.n, nil
	case text[0] == '?':
		x, err := strconv.Atoi(text[1:])
		if err != nil || x < 1 || x > maxVariableNumber {
			return 0, fmt.Errorf("%w: parameter number out of range at byte %d", ErrSyntax, at)
		}
		if x > p.n {
			p.n = x
		}
		if _, ok := p.name[x]; !ok {
			p.name[x] = text
		}
		return x, nil
	case text[0] == '#' && isDigit(at1(text)):
		// SQLite reserves #NNN for its own nested statements.
		return 0, fmt.Errorf("%w: malformed parameter at byte %d", ErrSyntax, at)
	}
	if x, ok := p.byName[text]; ok {
		return x, nil
	}
	p.n++
	p.byName[text] = p.n
	p.name[p.n] = text
	return p.n, nil
}

// param returns the parameter with index idx as SQLite describes it to the
// driver: its index and the name sqlite3_bind_parameter_name reports for
// it, the name (prefix included) of the first token that took the index,
// or "" for an index only anonymous ? took. Which argument
// modernc.org/sqlite binds to it is the backend's rule.
func (p *paramTable) param(idx int) query.Param {
	return query.Param{Ordinal: idx, Name: p.name[idx]}
}

// at1 returns s[1], or 0 if s is shorter.
func at1(s string) byte { return at(s, 1) }
