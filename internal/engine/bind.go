package engine

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
)

// bind prepares one execution of sql: it applies the dialect's argument
// forms, looks the analysis up, refuses what must be refused, seals the
// arguments (and, unless the statement was prepared, the literals) bound
// for protected columns, and returns what to send. The reader is non-nil
// when result columns must be opened. q is nil on the prepared statement
// path, where the catalog was consulted at prepare time and stmtReader, if
// set, is the reader made then.
func (e *Engine) bind(ctx context.Context, q driver.QueryerContext, sql string, args []driver.NamedValue, prepared bool, stmtReader *reader) (string, []driver.NamedValue, *reader, error) {
	options := 0
	if e.d.Args != nil && len(args) > 0 {
		out, outArgs, opts, rewrote, err := e.d.Args(ctx, sql, args)
		if err != nil {
			return "", nil, nil, err
		}
		if rewrote && prepared {
			if si := e.info(sql); !si.plan.Inert() {
				return "", nil, nil, fmt.Errorf("sqlseal: named arguments cannot be used with a prepared statement that touches a protected column: %w", analysis.ErrRefused)
			}
			return sql, args, nil, nil
		}
		sql, args, options = out, outArgs, opts
	}
	si := e.info(sql)
	plan := si.plan
	if plan.Inert() {
		return sql, args, nil, nil
	}
	if plan.Err != nil {
		return "", nil, nil, plan.Err
	}
	if err := e.sealParams(ctx, q, plan, args, options); err != nil {
		return "", nil, nil, err
	}
	if len(plan.Literals) > 0 && !prepared {
		var err error
		if sql, err = e.sealLiterals(ctx, q, sql, plan.Literals); err != nil {
			return "", nil, nil, err
		}
	}
	rd := stmtReader
	if plan.Results != nil && rd == nil {
		var err error
		if rd, err = e.readerFor(ctx, q, si); err != nil {
			return "", nil, nil, err
		}
	}
	return sql, args, rd, nil
}

// prepareSQL returns the text to prepare for sql: refused statements fail
// here, before anything reaches the server, and literals bound for
// protected columns are sealed into the prepared text. The reader, if any,
// serves every execution of the prepared statement.
func (e *Engine) prepareSQL(ctx context.Context, q driver.QueryerContext, sql string) (string, *reader, error) {
	si := e.info(sql)
	plan := si.plan
	if plan.Inert() {
		return sql, nil, nil
	}
	if plan.Err != nil {
		return "", nil, plan.Err
	}
	cols := make([]analysis.Column, 0, len(plan.Params)+len(plan.Literals))
	for _, p := range plan.Params {
		cols = append(cols, p.Column)
	}
	cols = append(cols, resultColumns(plan.Results)...)
	if err := e.ensureKinds(ctx, q, cols); err != nil {
		return "", nil, err
	}
	var rd *reader
	if plan.Results != nil {
		var err error
		if rd, err = e.readerFor(ctx, q, si); err != nil {
			return "", nil, err
		}
	}
	if len(plan.Literals) > 0 {
		sealed, err := e.sealLiterals(ctx, q, sql, plan.Literals)
		return sealed, rd, err
	}
	return sql, rd, nil
}

func (e *Engine) sealParams(ctx context.Context, q driver.QueryerContext, plan *analysis.Plan, args []driver.NamedValue, options int) error {
	last := -1
	for _, p := range plan.Params {
		if p.Ordinal == last {
			continue // the same parameter written twice to the same column
		}
		last = p.Ordinal
		i := argIndex(args, p, options)
		if i < 0 {
			continue // too few arguments: the server reports it
		}
		k, err := e.kind(ctx, q, p.Column)
		if err != nil {
			return err
		}
		v, err := e.sealValue(args[i].Value, p.Column, k)
		if err != nil {
			return err
		}
		args[i].Value = v
	}
	return nil
}

func argIndex(args []driver.NamedValue, p analysis.ParamTarget, options int) int {
	if p.Name != "" {
		for i := range args {
			if args[i].Name == p.Name {
				return i
			}
		}
	}
	for i := range args {
		if args[i].Name == "" && args[i].Ordinal-options == p.Ordinal {
			return i
		}
	}
	return -1
}

// sealValue seals one argument for column c. With encryption disabled the
// value passes through unchanged.
func (e *Engine) sealValue(v any, c analysis.Column, k Kind) (any, error) {
	pt, null, err := plaintext(v, c)
	if err != nil || null {
		return v, err
	}
	if !e.keyring.CanSeal() {
		return v, nil
	}
	if k == KindBinary {
		return e.keyring.Seal(pt)
	}
	return e.keyring.SealText(pt)
}

func (e *Engine) sealLiterals(ctx context.Context, q driver.QueryerContext, sql string, lits []analysis.LiteralTarget) (string, error) {
	if !e.keyring.CanSeal() {
		return sql, nil
	}
	var b strings.Builder
	b.Grow(len(sql) + 128*len(lits))
	last := 0
	for _, l := range lits {
		k, err := e.kind(ctx, q, l.Column)
		if err != nil {
			return "", err
		}
		b.WriteString(sql[last:l.Start])
		if k == KindBinary {
			raw, err := e.keyring.Seal([]byte(l.Value))
			if err != nil {
				return "", err
			}
			b.WriteString(e.d.BinaryLiteral(raw))
		} else {
			s, err := e.keyring.SealText([]byte(l.Value))
			if err != nil {
				return "", err
			}
			b.WriteByte('\'')
			b.WriteString(s)
			b.WriteByte('\'')
		}
		last = l.End
	}
	b.WriteString(sql[last:])
	return b.String(), nil
}

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
