package engine

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// bound is one execution ready to send: its text and arguments, with the
// values for protected columns sealed.
type bound struct {
	sql   string
	args  []driver.NamedValue
	entry *planEntry
	plan  *analysis.Plan
}

// argForms applies the wrapped driver's argument forms, as it will.
func (e *Engine) argForms(ctx context.Context, sql string, args []driver.NamedValue, query bool) (ArgForms, error) {
	if e.b.Args == nil || len(args) == 0 {
		return ArgForms{SQL: sql, Args: args}, nil
	}
	return e.b.Args(ctx, sql, args, query)
}

// bind prepares one execution of a text on the connection path: it looks
// the analysis up, refuses what must be refused, seals the arguments and
// the string literals bound for protected columns, and returns what to
// send.
func (e *Engine) bind(ctx context.Context, q driver.QueryerContext, forms ArgForms) (bound, error) {
	pe := e.plan(forms.SQL)
	var ik *indexKeys
	if p := pe.plan; p.Err == nil && (len(p.Edits) > 0 || len(p.Terms) > 0) {
		// One execution uses one state of the keys, for its text and its
		// arguments alike.
		e.refreshIfStale(ctx)
		var err error
		if ik, err = e.currentIndexKeys(); err != nil {
			return bound{}, err
		}
	}
	b, err := e.bindPrepared(ctx, q, pe, forms, ik)
	if err != nil || (len(pe.plan.Literals) == 0 && len(pe.plan.Edits) == 0) {
		return b, err
	}
	b.sql, _, err = e.rewriteText(ctx, q, forms.SQL, pe.plan, ik)
	return b, err
}

// bindPrepared prepares one execution of the plan pe with the arguments
// of forms; the literals are not touched (a prepared statement has them
// sealed in its text already). ik are the index keys the text was
// rewritten with, nil when the plan has no blind index edits or terms.
func (e *Engine) bindPrepared(ctx context.Context, q driver.QueryerContext, pe *planEntry, forms ArgForms, ik *indexKeys) (bound, error) {
	b := bound{sql: forms.SQL, args: forms.Args, entry: pe, plan: pe.plan}
	p := pe.plan
	if p.Inert() {
		return b, nil
	}
	if p.Err != nil {
		return bound{}, p.Err
	}
	if p.SessionBeforeLast && e.b.ReadsEachStatement {
		return bound{}, e.refuseSessionText()
	}
	if len(p.Params) > 0 || len(p.Literals) > 0 || len(p.Edits) > 0 || len(p.Terms) > 0 {
		e.refreshIfStale(ctx)
	}
	var placed []addedArg
	if len(p.Edits) > 0 || len(p.Terms) > 0 {
		if ik == nil {
			return bound{}, fmt.Errorf("sqlseal: blind index lookups without index keys: %w", errInternal)
		}
		values := forms.Args[forms.Options:]
		added, err := e.indexArgs(ctx, q, p, values, ik)
		if err != nil {
			return bound{}, err
		}
		if len(added) > 0 {
			all := make([]driver.NamedValue, 0, len(forms.Args)+len(added))
			all = append(all, forms.Args...)
			for _, a := range added {
				a.Ordinal = len(all) + 1
				all = append(all, a.NamedValue)
			}
			b.args = all
			forms.Args = all[:len(forms.Args)]
			placed = added
		}
	}
	if len(p.Params) > 0 {
		if err := e.sealParams(ctx, q, p, forms.Args[forms.Options:]); err != nil {
			return bound{}, err
		}
	}
	if p.Positional && len(placed) > 0 {
		// Sealed in place above; now each added argument goes to the
		// place of its placeholder.
		b.args = placeAdded(p, forms.Args[:forms.Options], forms.Args[forms.Options:], placed)
	}
	return b, nil
}

// sealParams seals, in place, the arguments the wrapped driver binds to the
// parameters written to protected columns. Every parameter must have an
// argument, and an argument bound to a protected parameter must not also be
// bound to another place of the statement (the driver may bind one argument
// to several placeholders, as SQLite does for ?1 and :a): otherwise the
// statement is refused.
func (e *Engine) sealParams(ctx context.Context, q driver.QueryerContext, p *analysis.Plan, args []driver.NamedValue) error {
	s, sealing, err := e.keys.sealer()
	if err != nil {
		return err
	}
	var buf [8]int
	targets := buf[:0]
	for _, t := range p.Params {
		i := e.b.Bind(t.Param, args)
		if i < 0 || i >= len(args) {
			return refuseArgs(t.Column, "no argument for a parameter written to it")
		}
		for k, j := range targets {
			if j == i && p.Params[k].Column != t.Column {
				return refuseArgs(t.Column, "one argument bound to two protected columns")
			}
		}
		targets = append(targets, i)
	}
	for _, o := range p.Others {
		i := e.b.Bind(o, args)
		for k, j := range targets {
			if i == j {
				return refuseArgs(p.Params[k].Column, "its argument is also bound to another place in the statement")
			}
		}
	}
	for k, t := range p.Params {
		i := targets[k]
		if sealedBefore(targets[:k], i) {
			continue // two placeholders of one column bound to one argument
		}
		kind, err := e.kind(ctx, q, t.Column)
		if err != nil {
			return err
		}
		if err := checkVia(t.Column, t.Via, kind); err != nil {
			return err
		}
		v, err := e.sealValue(s, sealing, args[i].Value, t.Column, kind)
		if err != nil {
			return err
		}
		args[i].Value = v
	}
	return nil
}

// sealedBefore reports whether argument i is among those already sealed.
func sealedBefore(done []int, i int) bool {
	for _, j := range done {
		if j == i {
			return true
		}
	}
	return false
}

// checkVia refuses a cast that does not fit the column: a binary cast into
// a text column would store the ciphertext's bytes as the server prints
// them, a text cast into a binary column would have the server convert the
// raw ciphertext as text.
func checkVia(c analysis.Column, via analysis.Via, kind catalog.Kind) error {
	switch {
	case via == analysis.ViaBinary && kind == catalog.KindText,
		via == analysis.ViaText && kind == catalog.KindBinary:
		return refuseCast(c)
	}
	return nil
}

// sealValue seals one argument for column c with s. With encryption
// disabled (sealing false) the value passes through unchanged.
func (e *Engine) sealValue(s sealer, sealing bool, v any, c analysis.Column, k catalog.Kind) (any, error) {
	arg, err := plaintext(v, c)
	switch {
	case err != nil:
		return nil, err
	case arg.null:
		// NULL, not v: a driver.Valuer asked again by the wrapped driver
		// could answer a plaintext this time.
		return nil, nil
	case !sealing:
		return v, nil
	}
	return e.sealArg(s, arg, c, k)
}

// sealArg seals what an argument for column c of kind k holds with s.
func (e *Engine) sealArg(s sealer, arg argValue, c analysis.Column, k catalog.Kind) (any, error) {
	pt := arg.bytes
	var err error
	if k == catalog.KindBinary && arg.text && e.b.BinaryInput != nil {
		// The server reads a string bound to a binary column as that
		// type's text input: seal what it would store.
		if pt, err = e.b.BinaryInput(string(pt)); err != nil {
			return nil, columnErr(c, "argument is a string the server would not accept for its binary type", unsupported(err))
		}
	}
	return e.seal(s, pt, c, k)
}

// sealLiterals returns sql with each literal of lits replaced by the
// sealed literal of its value, and the key that sealed them. The spans must
// be in order, inside the text and not overlap; anything else is an error,
// never a partly sealed text.
func (e *Engine) sealLiterals(ctx context.Context, q driver.QueryerContext, sql string, lits []analysis.LiteralTarget) (string, sealer, error) {
	if len(lits) == 0 {
		return sql, sealer{}, nil
	}
	s, sealing, err := e.keys.sealer()
	if err != nil || !sealing {
		return sql, s, err
	}
	var b strings.Builder
	b.Grow(len(sql) + 128*len(lits))
	last := 0
	for _, l := range lits {
		if l.Start < last || l.End <= l.Start || l.End > len(sql) {
			return "", sealer{}, fmt.Errorf("sqlseal: protected column %s: a literal's position in the text is out of order: %w", l.Column, errInternal)
		}
		lit, err := e.sealedLiteral(ctx, q, s, sql, l)
		if err != nil {
			return "", sealer{}, err
		}
		b.WriteString(sql[last:l.Start])
		b.WriteString(lit)
		last = l.End
	}
	b.WriteString(sql[last:])
	return b.String(), s, nil
}

// sealedLiteral returns the SQL literal of the sealed value of literal l
// of sql, sealed with s.
func (e *Engine) sealedLiteral(ctx context.Context, q driver.QueryerContext, s sealer, sql string, l analysis.LiteralTarget) (string, error) {
	if l.End <= l.Start || l.End > len(sql) {
		return "", fmt.Errorf("sqlseal: protected column %s: a literal's position in the text is out of order: %w", l.Column, errInternal)
	}
	k, err := e.kind(ctx, q, l.Column)
	if err != nil {
		return "", err
	}
	if err := checkVia(l.Column, l.Via, k); err != nil {
		return "", err
	}
	value, err := e.b.Parser.LiteralValue(sql[l.Start:l.End])
	if err != nil {
		return "", fmt.Errorf("sqlseal: protected column %s: reading a literal back from the text: %w", l.Column, errInternal)
	}
	pt := []byte(value)
	if k == catalog.KindBinary && e.b.BinaryInput != nil {
		if pt, err = e.b.BinaryInput(value); err != nil {
			return "", columnErr(l.Column, "literal is a string the server would not accept for its binary type", unsupported(err))
		}
	}
	sealed, err := e.seal(s, pt, l.Column, k)
	if err != nil {
		return "", err
	}
	if raw, ok := sealed.([]byte); ok {
		return e.b.BinaryLiteral(raw), nil
	}
	return "'" + sealed.(string) + "'", nil
}

// resultColumns returns the protected columns results may open.
func resultColumns(rs []analysis.Result) []analysis.Column {
	var out []analysis.Column
	for _, r := range rs {
		if r.Column != nil {
			out = append(out, *r.Column)
		}
		if r.Star != nil {
			out = append(out, r.Star.Protected...)
		}
	}
	return out
}
