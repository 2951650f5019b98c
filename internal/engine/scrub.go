package engine

import (
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// sensitiveNames is the Sensitive of an engine: the names of its protected
// columns, their blind index columns and their tables, in lower case.
type sensitiveNames struct {
	columns []string
	tables  map[string]bool
}

// newSensitiveNames returns the Sensitive for the protected columns cols
// and the blind indexes indexes.
func newSensitiveNames(cols []analysis.Column, indexes map[analysis.Column]blindIndex) *sensitiveNames {
	s := &sensitiveNames{tables: map[string]bool{}}
	seen := map[string]bool{}
	add := func(name string) {
		name = strings.ToLower(name)
		if name != "" && !seen[name] {
			seen[name] = true
			s.columns = append(s.columns, name)
		}
	}
	for _, c := range cols {
		add(c.Name)
		s.tables[strings.ToLower(c.Table)] = true
	}
	for _, ix := range indexes {
		add(ix.sibling)
	}
	return s
}

// Mentions implements Sensitive: whether text contains the name of a
// protected or blind index column (as a substring: a false match only
// withholds more).
func (s *sensitiveNames) Mentions(text string) bool {
	if text == "" {
		return false
	}
	text = strings.ToLower(text)
	for _, c := range s.columns {
		if strings.Contains(text, c) {
			return true
		}
	}
	return false
}

// Table implements Sensitive.
func (s *sensitiveNames) Table(table string) bool {
	return table != "" && s.tables[strings.ToLower(table)]
}

// scrub passes err, an error of the wrapped driver, through the backend's
// ScrubError.
func (e *Engine) scrub(err error) error {
	if err == nil || e.b.ScrubError == nil {
		return err
	}
	return e.b.ScrubError(err, e.sensitive)
}
