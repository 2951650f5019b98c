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

// binding returns the parameter with index idx as the driver binds it.
//
// modernc.org/sqlite (conn.bind) looks at each index's parameter name: an
// unnamed index takes the argument with that ordinal; ?NNN and $NNN (NNN
// without a leading zero) take the argument with ordinal NNN; any other
// name takes the first argument whose NamedValue.Name is the name without
// its prefix, and only that (there is no fallback to a position). So the
// returned Param has Name set exactly when the driver binds by name; its
// Ordinal is then SQLite's index, for information only.
func (p *paramTable) binding(idx int) query.Param {
	name, ok := p.name[idx]
	if !ok {
		return query.Param{Ordinal: idx}
	}
	if (name[0] == '?' || name[0] == '$') && '1' <= at1(name) && at1(name) <= '9' {
		if k, err := strconv.Atoi(name[1:]); err == nil {
			return query.Param{Ordinal: k}
		}
	}
	return query.Param{Ordinal: idx, Name: name[1:]}
}

// at1 returns s[1], or 0 if s is shorter.
func at1(s string) byte { return at(s, 1) }
