package engine

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// blindIndex is the engine's view of one blind index.
type blindIndex struct {
	sibling string
	norm    config.Normalization
}

// blindIndexes returns the configured blind indexes of cfg, with names
// folded as the backend folds them.
func blindIndexes(b *Backend, cfg config.Config) (map[analysis.Column]blindIndex, []analysis.Index, error) {
	list, err := cfg.BlindIndexList()
	if err != nil || len(list) == 0 {
		return nil, nil, err
	}
	out := make(map[analysis.Column]blindIndex, len(list))
	var idx []analysis.Index
	for _, x := range list {
		schema, table, column, err := config.ParseColumn(x.Column)
		if err != nil {
			return nil, nil, err
		}
		c := analysis.Column{Table: b.FoldIdent(table), Name: b.FoldIdent(column)}
		if schema != "" {
			c.Schema = b.FoldIdent(schema)
		}
		sib := b.FoldIdent(x.Sibling)
		out[c] = blindIndex{sibling: sib, norm: x.Normalize}
		idx = append(idx, analysis.Index{Column: c, Sibling: sib})
	}
	return out, idx, nil
}

// secretIndexKey returns the blind-index key derived from the secret, for
// a database without a key table; nil without a secret.
func secretIndexKey(cfg config.Config) (*codec.IndexKey, error) {
	if cfg.SecretKey == "" {
		return nil, nil
	}
	k, err := codec.DeriveKey(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	return codec.NewSecretIndexKey(k)
}

// indexKeys are the index keys one execution uses: active computes the
// terms written and looked up; lookups also match the terms of previous
// (the key table's index keys in state decrypt) while they are rotated
// out.
type indexKeys struct {
	active   *codec.IndexKey
	previous []*codec.IndexKey
}

// currentIndexKeys returns the index keys as they are now.
func (e *Engine) currentIndexKeys() (*indexKeys, error) {
	x, err := e.indexKey()
	if err != nil {
		return nil, err
	}
	ik := &indexKeys{active: x}
	if st := e.keys.state.Load(); st != nil && st.index != nil {
		ik.previous = st.index.Previous
	}
	return ik, nil
}

// rotationParams returns how many placeholders the lookups of p add for
// the older terms of their parameters under ik.
func rotationParams(p *analysis.Plan, ik *indexKeys) int {
	if ik == nil || len(ik.previous) == 0 {
		return 0
	}
	n := 0
	for _, ed := range p.Edits {
		if ed.Kind == analysis.EditLookupClose || ed.Kind == analysis.EditLookupMore {
			for _, v := range ed.Values {
				if v.Source == analysis.SourceParam {
					n += len(ik.previous)
				}
			}
		}
	}
	return n
}

// indexKey returns the key that computes the terms written now: the
// active index key of the key table when the database has one, otherwise
// the secret's (docs/ENVELOPE.md, "Blind index").
func (e *Engine) indexKey() (*codec.IndexKey, error) {
	st := e.keys.state.Load()
	switch {
	case st != nil && st.index != nil && st.index.Active != nil:
		return st.index.Active, nil
	case st != nil && st.keys != nil:
		return nil, fmt.Errorf("sqlseal: blind indexes are configured but the key table has no active index key (run sqlseal keys new-index): %w", sqlseal.ErrNoKey)
	case e.secretIndex != nil:
		return e.secretIndex, nil
	}
	return nil, fmt.Errorf("sqlseal: blind indexes need a key: set SQLSEAL_ENCRYPTION_SECRET_KEY or create a key table with an index key: %w", sqlseal.ErrNoKey)
}

// term returns the term of plaintext pt for blind-indexed column c, whose
// values the server stores as kind k: the same bytes that are sealed,
// normalized as configured.
func (e *Engine) term(x *codec.IndexKey, c analysis.Column, pt []byte, text bool, k catalog.Kind) ([]byte, error) {
	if k == catalog.KindBinary && text && e.b.BinaryInput != nil {
		var err error
		if pt, err = e.b.BinaryInput(string(pt)); err != nil {
			return nil, columnErr(c, "value is a string the server would not accept for its binary type", unsupported(err))
		}
	}
	return x.Term(e.indexes[c].norm.Apply(pt), e.labels[c]), nil
}

// argTerm returns the term of argument v for c; nil for NULL.
func (e *Engine) argTerm(x *codec.IndexKey, c analysis.Column, v any, k catalog.Kind) (any, error) {
	arg, err := plaintext(v, c)
	if err != nil || arg.null {
		return nil, err
	}
	return e.term(x, c, arg.bytes, arg.text, k)
}

// addedArg is the argument of a placeholder a blind index edit adds, and
// the index of that edit in the plan.
type addedArg struct {
	driver.NamedValue
	edit int
}

// placeAdded returns the arguments of an execution whose driver binds
// placeholders by position (Plan.Positional): the options, then values
// (the arguments of the text's own placeholders) with each added argument
// put after the placeholders of the text before its edit, in text order,
// numbered as they are then placed.
func placeAdded(p *analysis.Plan, options, values []driver.NamedValue, added []addedArg) []driver.NamedValue {
	byText := make([]addedArg, len(added))
	copy(byText, added)
	// Edits are in text order, and an edit's placeholders in the order it
	// writes them, which is the order of their ordinals.
	sort.SliceStable(byText, func(i, j int) bool {
		if byText[i].edit != byText[j].edit {
			return byText[i].edit < byText[j].edit
		}
		return byText[i].Ordinal < byText[j].Ordinal
	})
	out := make([]driver.NamedValue, 0, len(options)+len(values)+len(added))
	out = append(out, options...)
	v := 0
	for _, a := range byText {
		before := min(p.Edits[a.edit].ParamsBefore, len(values))
		if before > v {
			out = append(out, values[v:before]...)
			v = before
		}
		out = append(out, a.NamedValue)
	}
	out = append(out, values[v:]...)
	for i := range out {
		out[i].Ordinal = i + 1
	}
	return out
}

// indexArgs replaces, in args, the arguments compared with blind-indexed
// columns by their terms, and returns the arguments of the placeholders
// that the plan's edits add (terms of the values written), to append. It
// runs before the arguments are sealed. An argument bound to a term must
// not be bound to any other placeholder.
func (e *Engine) indexArgs(ctx context.Context, q driver.QueryerContext, p *analysis.Plan, args []driver.NamedValue, ik *indexKeys) ([]addedArg, error) {
	x := ik.active
	var added []addedArg
	if addedParams(p)+rotationParams(p, ik) > 0 && len(args) != p.MaxParam {
		return nil, refuseArgs(p.Edits[0].Column, "the number of arguments differs from the statement's placeholders")
	}
	next := p.MaxParam + addedParams(p)
	for ei, ed := range p.Edits {
		if (ed.Kind == analysis.EditLookupClose || ed.Kind == analysis.EditLookupMore) && len(ik.previous) > 0 {
			for _, v := range ed.Values {
				if v.Source != analysis.SourceParam {
					continue
				}
				i := e.b.Bind(v.Param, args)
				if i < 0 || i >= len(args) {
					return nil, refuseArgs(ed.Column, "no argument for a parameter compared with it")
				}
				k, err := e.kind(ctx, q, ed.Column)
				if err != nil {
					return nil, err
				}
				for _, old := range ik.previous {
					t, err := e.argTerm(old, ed.Column, args[i].Value, k)
					if err != nil {
						return nil, err
					}
					next++
					added = append(added, addedArg{NamedValue: driver.NamedValue{Ordinal: next, Value: t}, edit: ei})
				}
			}
			continue
		}
		if ed.Source != analysis.SourceParam {
			continue
		}
		i := e.b.Bind(ed.Param, args)
		if i < 0 || i >= len(args) {
			return nil, refuseArgs(ed.Column, "no argument for a parameter written to it")
		}
		k, err := e.kind(ctx, q, ed.Column)
		if err != nil {
			return nil, err
		}
		t, err := e.argTerm(x, ed.Column, args[i].Value, k)
		if err != nil {
			return nil, err
		}
		added = append(added, addedArg{NamedValue: driver.NamedValue{Ordinal: ed.NewParam, Value: t}, edit: ei})
	}
	sort.SliceStable(added, func(i, j int) bool { return added[i].Ordinal < added[j].Ordinal })
	for _, t := range p.Terms {
		i := e.b.Bind(t.Param, args)
		if i < 0 || i >= len(args) {
			return nil, refuseArgs(t.Column, "no argument for a parameter compared with it")
		}
		for _, o := range p.Others {
			if e.b.Bind(o, args) == i {
				return nil, refuseArgs(t.Column, "its argument is also bound to another place in the statement")
			}
		}
		for _, o := range p.Params {
			if e.b.Bind(o.Param, args) == i {
				return nil, refuseArgs(t.Column, "its argument is also bound to another place in the statement")
			}
		}
		k, err := e.kind(ctx, q, t.Column)
		if err != nil {
			return nil, err
		}
		v, err := e.argTerm(x, t.Column, args[i].Value, k)
		if err != nil {
			return nil, err
		}
		args[i].Value = v
	}
	return added, nil
}

// editText returns what edit ed puts in the text, sql being the text as
// the application wrote it.
func (e *Engine) editText(ctx context.Context, q driver.QueryerContext, ik *indexKeys, next *int, sql string, ed analysis.Edit) (string, error) {
	x := ik.active
	sib := e.b.Catalog.Quote(e.indexes[ed.Column].sibling)
	literalTermUnder := func(x *codec.IndexKey, start, end int) (string, error) {
		value, err := e.b.Parser.LiteralValue(sql[start:end])
		if err != nil {
			return "", fmt.Errorf("sqlseal: protected column %s: reading a literal back from the text: %w", ed.Column, errInternal)
		}
		k, err := e.kind(ctx, q, ed.Column)
		if err != nil {
			return "", err
		}
		t, err := e.term(x, ed.Column, []byte(value), true, k)
		if err != nil {
			return "", err
		}
		return e.b.BinaryLiteral(t), nil
	}
	literalTerm := func(start, end int) (string, error) { return literalTermUnder(x, start, end) }
	// olds lists the older terms of a lookup's values, in the order
	// indexArgs binds them.
	olds := func() (string, error) {
		var parts []string
		for _, v := range ed.Values {
			for _, old := range ik.previous {
				if v.Source == analysis.SourceParam {
					*next++
					parts = append(parts, e.b.Catalog.Placeholder(*next))
					continue
				}
				lit, err := literalTermUnder(old, v.LitStart, v.LitEnd)
				if err != nil {
					return "", err
				}
				parts = append(parts, lit)
			}
		}
		return strings.Join(parts, ", "), nil
	}
	rotating := len(ik.previous) > 0
	value := func() (string, error) {
		switch ed.Source {
		case analysis.SourceParam:
			return e.b.Catalog.Placeholder(ed.NewParam), nil
		case analysis.SourceLiteral:
			return literalTerm(ed.LitStart, ed.LitEnd)
		case analysis.SourceNull:
			return "NULL", nil
		case analysis.SourceDefault:
			return "DEFAULT", nil
		case analysis.SourceExcluded:
			if ed.NameEnd > 0 {
				// VALUES(col) becomes VALUES(sibling).
				return sql[ed.RefStart:ed.NameStart] + sib + sql[ed.NameEnd:ed.Start], nil
			}
			return "EXCLUDED." + sib, nil
		}
		return "", fmt.Errorf("sqlseal: protected column %s: unknown blind index value: %w", ed.Column, errInternal)
	}
	switch ed.Kind {
	case analysis.EditLookupOpen:
		if rotating {
			return "(", nil
		}
		return "", nil
	case analysis.EditLookupClose:
		if !rotating {
			return "", nil
		}
		o, err := olds()
		return " OR " + sql[ed.RefStart:ed.NameStart] + sib + " IN (" + o + "))", err
	case analysis.EditLookupMore:
		if !rotating {
			return "", nil
		}
		o, err := olds()
		return ", " + o, err
	case analysis.EditNumberParam:
		return ed.Text, nil
	case analysis.EditSibling:
		return sib, nil
	case analysis.EditTermLiteral:
		return literalTerm(ed.Start, ed.End)
	case analysis.EditAddColumn:
		return ", " + sib, nil
	case analysis.EditAddValue:
		v, err := value()
		return ", " + v, err
	case analysis.EditAddAssign:
		v, err := value()
		return ", " + sib + " = " + v, err
	}
	return "", fmt.Errorf("sqlseal: protected column %s: unknown blind index edit: %w", ed.Column, errInternal)
}

// rewriteText returns sql with the literals of p sealed and the edits of
// p applied, and the key that sealed the literals.
func (e *Engine) rewriteText(ctx context.Context, q driver.QueryerContext, sql string, p *analysis.Plan, ik *indexKeys) (string, sealer, error) {
	if len(p.Edits) == 0 {
		return e.sealLiterals(ctx, q, sql, p.Literals)
	}
	if ik == nil {
		return "", sealer{}, fmt.Errorf("sqlseal: blind index edits without index keys: %w", errInternal)
	}
	next := p.MaxParam + addedParams(p)
	s, sealing, err := e.keys.sealer()
	if err != nil {
		return "", sealer{}, err
	}
	var b strings.Builder
	b.Grow(len(sql) + 64*len(p.Edits) + 128*len(p.Literals))
	last, li := 0, 0
	flushLiterals := func(upTo int) error {
		for li < len(p.Literals) && p.Literals[li].Start < upTo {
			l := p.Literals[li]
			if l.Start < last || l.End > upTo {
				return fmt.Errorf("sqlseal: protected column %s: a literal's position in the text is out of order: %w", l.Column, errInternal)
			}
			b.WriteString(sql[last:l.Start])
			if sealing {
				lit, err := e.sealedLiteral(ctx, q, s, sql, l)
				if err != nil {
					return err
				}
				b.WriteString(lit)
			} else {
				b.WriteString(sql[l.Start:l.End])
			}
			last = l.End
			li++
		}
		return nil
	}
	for _, ed := range p.Edits {
		if err := flushLiterals(ed.End); err != nil {
			return "", sealer{}, err
		}
		if ed.Start < last || ed.End < ed.Start || ed.End > len(sql) {
			return "", sealer{}, fmt.Errorf("sqlseal: protected column %s: a blind index edit's position in the text is out of order: %w", ed.Column, errInternal)
		}
		text, err := e.editText(ctx, q, ik, &next, sql, ed)
		if err != nil {
			return "", sealer{}, err
		}
		b.WriteString(sql[last:ed.Start])
		b.WriteString(text)
		last = ed.End
	}
	if err := flushLiterals(len(sql) + 1); err != nil {
		return "", sealer{}, err
	}
	b.WriteString(sql[last:])
	return b.String(), s, nil
}

// addedParams returns how many placeholders the edits of p add.
func addedParams(p *analysis.Plan) int {
	n := 0
	for _, ed := range p.Edits {
		if ed.Source == analysis.SourceParam {
			n++
		}
	}
	return n
}

// checkSibling fails when protected column c, which exists, has a blind
// index whose sibling column does not exist or cannot hold binary terms.
func (e *Engine) checkSibling(ctx context.Context, q driver.QueryerContext, c analysis.Column) error {
	x, ok := e.indexes[c]
	if !ok {
		return nil
	}
	sib := analysis.Column{Schema: c.Schema, Table: c.Table, Name: x.sibling}
	facts, err := e.b.Catalog.ColumnType(ctx, q, sib)
	if err != nil {
		return fmt.Errorf("sqlseal: reading the type of blind index column %s: %w", sib, err)
	}
	if !facts.Exists {
		return fmt.Errorf("sqlseal: protected column %s has a blind index, but its column %s does not exist; add it in a migration as a binary column (bytea, VARBINARY(33), BLOB) with an index: %w", c, sib, sqlseal.ErrNoBlindIndexColumn)
	}
	t := strings.ToLower(facts.Type)
	if facts.Kind != catalog.KindBinary && !strings.Contains(t, "binary") && !strings.Contains(t, "blob") && !strings.Contains(t, "bytea") {
		return fmt.Errorf("sqlseal: blind index column %s has type %s; it must be a binary column (bytea, VARBINARY(33), BLOB): %w", sib, facts.Type, sqlseal.ErrNoBlindIndexColumn)
	}
	return nil
}
