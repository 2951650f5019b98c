package engine

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// kind returns how column c stores ciphertext, reading the catalog over q
// the first time c is seen to exist. A column whose table does not exist
// yet is treated as text and looked up again next time; a column whose
// type cannot hold ciphertext is an error wrapping sqlseal.ErrColumnType.
func (e *Engine) kind(ctx context.Context, q driver.QueryerContext, c analysis.Column) (catalog.Kind, error) {
	e.kindsMu.RLock()
	k, ok := e.kinds[c]
	e.kindsMu.RUnlock()
	if ok {
		return k, nil
	}
	facts, err := e.b.Catalog.ColumnType(ctx, q, c)
	if err != nil {
		return 0, fmt.Errorf("sqlseal: reading the type of protected column %s: %w", c, err)
	}
	if !facts.Exists {
		return catalog.KindText, nil
	}
	if !facts.Supported {
		return 0, fmt.Errorf("sqlseal: protected column %s has type %s: %w; store it in a text or variable-length binary column", c, facts.Type, sqlseal.ErrColumnType)
	}
	e.kindsMu.Lock()
	e.kinds[c] = facts.Kind
	e.kindsMu.Unlock()
	return facts.Kind, nil
}

// knownKind returns the cached kind of c.
func (e *Engine) knownKind(c analysis.Column) (catalog.Kind, bool) {
	e.kindsMu.RLock()
	defer e.kindsMu.RUnlock()
	k, ok := e.kinds[c]
	return k, ok
}

// ensureKinds reads the kinds of cols not read yet.
func (e *Engine) ensureKinds(ctx context.Context, q driver.QueryerContext, cols []analysis.Column) error {
	for _, c := range cols {
		if _, err := e.kind(ctx, q, c); err != nil {
			return err
		}
	}
	return nil
}

// checkColumns runs once per engine, on the first connection that
// succeeds: every configured column that exists must have a type that can
// hold ciphertext, and if it holds sealed values, at least one of a sample
// must open with the configured keys. A configured column that does not
// exist is logged, once per engine, as a warning.
func (e *Engine) checkColumns(ctx context.Context, q driver.QueryerContext) error {
	e.connectMu.Lock()
	defer e.connectMu.Unlock()
	if e.connected {
		return nil
	}
	for _, c := range e.prot.Columns() {
		if _, err := e.kind(ctx, q, c); err != nil {
			return err
		}
		k, exists := e.knownKind(c)
		if !exists {
			e.warnMissing(c)
			continue
		}
		if err := e.checkSibling(ctx, q, c); err != nil {
			return err
		}
		if e.keys.ring.Len() == 0 && e.keys.current().Len() == 0 {
			continue
		}
		if err := e.checkSample(ctx, q, c, k); err != nil {
			return err
		}
	}
	e.connected = true
	return nil
}

// warnMissing logs that protected column c does not exist, the first time
// only. A misspelled name protects nothing: the real column is written and
// read as it is. The caller holds connectMu.
func (e *Engine) warnMissing(c analysis.Column) {
	if e.warnedMissing[c] {
		return
	}
	if e.warnedMissing == nil {
		e.warnedMissing = make(map[analysis.Column]bool)
	}
	e.warnedMissing[c] = true
	e.logger.Warn("sqlseal: a configured protected column does not exist in the database; nothing is sealed or opened for it until it does (is its name in SQLSEAL_COLUMNS or Config.Columns misspelled?)",
		"column", c.String())
}

// sampleSize is how many values of a column checkSample reads.
const sampleSize = 20

// checkSample fails when column c holds sealed values and none of a
// sample opens with the configured keys: the database was encrypted with
// another key.
func (e *Engine) checkSample(ctx context.Context, q driver.QueryerContext, c analysis.Column, k catalog.Kind) error {
	rows, err := catalog.Query(ctx, q, e.b.Catalog.SampleQuery(c, sampleSize))
	if err != nil {
		return fmt.Errorf("sqlseal: sampling protected column %s: %w", c, err)
	}
	sealed := 0
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		looks, err := e.tryOpen(row[0], c, k)
		if looks {
			sealed++
			if err == nil {
				return nil
			}
		}
	}
	if sealed > 0 {
		return fmt.Errorf("sqlseal: protected column %s holds sealed values and none of the %d sampled opens with the configured keys: %w; set SQLSEAL_ENCRYPTION_SECRET_KEY to the key it was encrypted with, or list that key in SQLSEAL_PREVIOUS_SECRET_KEYS",
			c, sealed, sqlseal.ErrWrongKey)
	}
	return nil
}

// tryOpen reports whether a stored value of c looks sealed, in either
// format, and if so whether the keys open it.
func (e *Engine) tryOpen(v driver.Value, c analysis.Column, k catalog.Kind) (looksSealed bool, err error) {
	switch x := v.(type) {
	case string:
		if !codec.LooksSealed(x) && !codec.LooksEnvelope(x) {
			return false, nil
		}
	case []byte:
		if k == catalog.KindBinary && !codec.LooksSealedRaw(x) && !codec.LooksEnvelopeRaw(x) {
			return false, nil
		}
		if k != catalog.KindBinary && !codec.LooksSealed(string(x)) && !codec.LooksEnvelope(string(x)) {
			return false, nil
		}
	default:
		return false, nil
	}
	_, err = e.openOnce(v, c, k)
	return true, err
}
