package config

import (
	"fmt"
	"strings"
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
	// folding, as strings.ToLower).
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
		return []byte(strings.ToLower(string(v)))
	case NormalizeTrim:
		return []byte(strings.TrimSpace(string(v)))
	case NormalizeTrimLower:
		return []byte(strings.ToLower(strings.TrimSpace(string(v))))
	}
	return v
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
	for _, s := range c.ColumnList() {
		protected[strings.ToLower(s)] = true
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
		schema, table, _, _ := ParseColumn(b.Column)
		sib := strings.ToLower(table + "." + b.Sibling)
		if schema != "" {
			sib = strings.ToLower(schema) + "." + sib
		}
		if protected[sib] {
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
