package config

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalization is a transformation applied to a value before its blind
// index term is computed, so that values an application considers equal
// (e-mail addresses in any case) get the same term. The stored value is
// not changed. Changing a column's normalization changes its terms: run
// `sqlseal index rebuild` afterwards.
type Normalization string

// The normalizations a blind index may name.
const (
	// NormalizeNone uses the value as it is.
	NormalizeNone Normalization = ""
	// NormalizeLower folds the value to lower case (Unicode simple
	// folding, as strings.ToLower) rune by rune; bytes that are not valid
	// UTF-8 are kept as they are, so distinct values stay distinct.
	NormalizeLower Normalization = "lower"
	// NormalizeTrim removes leading and trailing white space.
	NormalizeTrim Normalization = "trim"
	// NormalizeTrimLower trims, then folds to lower case.
	NormalizeTrimLower Normalization = "trim+lower"
)

// Apply returns v normalized.
func (n Normalization) Apply(v []byte) []byte {
	switch n {
	case NormalizeLower:
		return lowerValid(v)
	case NormalizeTrim:
		return []byte(strings.TrimSpace(string(v)))
	case NormalizeTrimLower:
		return lowerValid([]byte(strings.TrimSpace(string(v))))
	}
	return v
}

// lowerValid folds the valid UTF-8 runes of v to lower case and keeps
// every byte that is not part of a valid rune unchanged (strings.ToLower
// would replace each by U+FFFD, giving distinct values one term).
func lowerValid(v []byte) []byte {
	out := make([]byte, 0, len(v))
	for len(v) > 0 {
		r, n := utf8.DecodeRune(v)
		if r == utf8.RuneError && n <= 1 {
			out = append(out, v[0])
			v = v[1:]
			continue
		}
		out = utf8.AppendRune(out, unicode.ToLower(r))
		v = v[n:]
	}
	return out
}

// DefaultSiblingSuffix is appended to a blind-indexed column's name to name
// its sibling column when the configuration names none.
const DefaultSiblingSuffix = "_bidx"

// BlindIndex is one protected column that also gets a blind index: the
// driver keeps a keyed hash of its plaintext (docs/ENVELOPE.md, "Blind
// index") in Sibling, a binary column of the same table, and rewrites
// equality lookups on the column to lookups on Sibling.
type BlindIndex struct {
	// Column is the protected column, as in Config.Columns.
	Column string
	// Sibling is the name of the column holding the terms, in the same
	// table.
	Sibling string
	// Normalize is applied to values before their term is computed.
	Normalize Normalization
}

// ParseBlindIndex reads one blind index setting:
//
//	table.column[:sibling][/normalization]
//
// for example "accounts.api_token", "accounts.api_token:tok_idx" or
// "accounts.email/lower". The sibling defaults to the column's name with
// DefaultSiblingSuffix; normalizations are "lower", "trim" and
// "trim+lower". An error wraps [ErrInvalid].
func ParseBlindIndex(s string) (BlindIndex, error) {
	spec, norm, hasNorm := strings.Cut(s, "/")
	col, sibling, hasSibling := strings.Cut(spec, ":")
	_, _, column, err := ParseColumn(col)
	if err != nil {
		return BlindIndex{}, err
	}
	b := BlindIndex{Column: col, Sibling: column + DefaultSiblingSuffix}
	if hasSibling {
		if sibling == "" || strings.ContainsAny(sibling, ". \t\r\n") {
			return BlindIndex{}, &settingError{msg: fmt.Sprintf("invalid blind index %q: the sibling column must be a plain column name", s)}
		}
		b.Sibling = sibling
	}
	if hasNorm {
		switch n := Normalization(norm); n {
		case NormalizeLower, NormalizeTrim, NormalizeTrimLower:
			b.Normalize = n
		default:
			return BlindIndex{}, &settingError{msg: fmt.Sprintf("invalid blind index %q: unknown normalization (use lower, trim or trim+lower)", s)}
		}
	}
	if strings.EqualFold(b.Sibling, column) {
		return BlindIndex{}, &settingError{msg: fmt.Sprintf("invalid blind index %q: the sibling column must differ from the column", s)}
	}
	return b, nil
}

// BlindIndexList returns the parsed BlindIndexes. Every blind-indexed
// column must be one of the protected columns (ColumnList), be indexed at
// most once, and its sibling must not be a protected column or another
// index's sibling. Names compare without regard to case here; the
// database's own rules apply when the driver uses them. An error wraps
// [ErrInvalid].
func (c Config) BlindIndexList() ([]BlindIndex, error) {
	protected := map[string]bool{}
	// The protected columns as table.column: a schema-qualified name and
	// an unqualified one may name the same column (the search path's).
	unqualified := map[string]bool{}
	for _, s := range c.ColumnList() {
		protected[strings.ToLower(s)] = true
		if _, table, column, err := ParseColumn(s); err == nil {
			unqualified[strings.ToLower(table+"."+column)] = true
		}
	}
	var out []BlindIndex
	seen := map[string]bool{}
	for _, s := range c.BlindIndexes {
		b, err := ParseBlindIndex(s)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(b.Column)
		if !protected[key] {
			return nil, &settingError{msg: fmt.Sprintf("blind index on %s: the column is not protected; list it in %s too", b.Column, EnvColumns)}
		}
		if seen[key] {
			return nil, &settingError{msg: fmt.Sprintf("blind index on %s: configured twice", b.Column)}
		}
		seen[key] = true
		out = append(out, b)
	}
	// A sibling may not be a protected column or another index's sibling.
	for i, b := range out {
		_, table, _, _ := ParseColumn(b.Column)
		if unqualified[strings.ToLower(table+"."+b.Sibling)] {
			return nil, &settingError{msg: fmt.Sprintf("blind index on %s: its sibling column %s is a protected column", b.Column, b.Sibling)}
		}
		for _, o := range out[:i] {
			_, otable, _, _ := ParseColumn(o.Column)
			if strings.EqualFold(otable, table) && strings.EqualFold(o.Sibling, b.Sibling) {
				return nil, &settingError{msg: fmt.Sprintf("blind indexes on %s and %s share the sibling column %s", o.Column, b.Column, b.Sibling)}
			}
		}
	}
	return out, nil
}
