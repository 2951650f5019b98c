// Package engine is the backend-independent core of the sqlseal driver: it
// analyses each SQL text once (package analysis), seals the arguments and
// literals bound for protected columns, opens protected result columns, and
// refuses what it cannot prove safe. A backend supplies a Backend and the
// connector of its driver:
//
//	e, err := engine.New(backend, cfg, logger)
//	db := sql.OpenDB(e.WrapConnector(pgxConnector))
//
// Each connection of the wrapped driver is wrapped in a conn, each prepared
// statement in a stmt and each result set in rows: the state of a
// connection's session, of a statement's plan and of one execution's
// result mapping lives on them. An Engine is safe for concurrent use by
// every connection of a pool; a conn, like the driver connection it wraps,
// is used by one goroutine at a time.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// Engine seals and opens the protected columns of one configuration.
type Engine struct {
	b               *Backend
	keys            keys
	prot            *analysis.Protected
	labels          map[analysis.Column]string // each protected column's envelope label
	rejectPlaintext bool
	// indexes are the blind indexes; secretIndex the key of their terms
	// when the database has no key table.
	indexes     map[analysis.Column]blindIndex
	secretIndex *codec.IndexKey
	// sensitive names what the wrapped driver's errors must not quote
	// values of (see Backend.ScrubError).
	sensitive *sensitiveNames
	logger    *slog.Logger
	obs       *sqlseal.Observer // nil: nothing observes (see observe.go)
	cache     *planCache

	kindsMu sync.RWMutex
	kinds   map[analysis.Column]catalog.Kind

	connectMu     sync.Mutex
	connected     bool
	warnedMissing map[analysis.Column]bool // missing columns logged; guarded by connectMu
}

// New returns the engine for backend b and configuration cfg. A nil logger
// means cfg.Logger, and a nil cfg.Logger slog.Default().
func New(b *Backend, cfg config.Config, logger *slog.Logger) (*Engine, error) {
	if logger == nil {
		logger = cfg.Logger
	}
	if logger == nil {
		logger = slog.Default()
	}
	keyring, err := cfg.Keyring()
	if err != nil {
		return nil, err
	}
	master, err := cfg.MasterKey(context.Background())
	if err != nil {
		return nil, err
	}
	var cols []analysis.Column
	for _, s := range cfg.ColumnList() {
		schema, table, column, err := config.ParseColumn(s)
		if err != nil {
			return nil, err
		}
		c := analysis.Column{Table: b.FoldIdent(table), Name: b.FoldIdent(column)}
		if schema != "" {
			c.Schema = b.FoldIdent(schema)
		}
		cols = append(cols, c)
	}
	indexes, idx, err := blindIndexes(b, cfg)
	if err != nil {
		return nil, err
	}
	var secretIndex *codec.IndexKey
	if len(indexes) > 0 {
		if secretIndex, err = secretIndexKey(cfg); err != nil {
			return nil, err
		}
	}
	prot := analysis.NewIndexedProtected(cols, idx)
	e := &Engine{
		b:               b,
		keys:            newKeys(keyring, master, cfg.KeyRefreshInterval()),
		prot:            prot,
		labels:          make(map[analysis.Column]string, len(cols)),
		rejectPlaintext: cfg.RejectPlaintext,
		indexes:         indexes,
		secretIndex:     secretIndex,
		sensitive:       newSensitiveNames(cols, indexes),
		logger:          logger,
		obs:             newObserver(cfg.Observer),
		cache:           sharedCache(b.Name, prot.Key()),
		kinds:           make(map[analysis.Column]catalog.Kind),
	}
	for _, c := range cols {
		e.labels[c] = label(c)
	}
	if b.Warm != nil {
		b.Warm()
	}
	if !keyring.CanSeal() && master == nil {
		logger.Warn("sqlseal: no encryption key is set (SQLSEAL_ENCRYPTION_SECRET_KEY); protected columns are written unencrypted",
			"columns", len(cols))
	}
	return e, nil
}

// Analyses reports how many SQL texts this engine's cache has analysed.
func (e *Engine) Analyses() int64 { return e.cache.analyses.Load() }

// plan returns the cached analysis of sql.
func (e *Engine) plan(sql string) *planEntry {
	if e.obs != nil {
		return e.observedPlan(sql)
	}
	return e.cache.get(sql, e.analyse)
}

// analyse analyses sql for this engine's protected columns.
func (e *Engine) analyse(sql string) *analysis.Plan {
	return analysis.Analyze(e.b.Parser, e.prot, sql)
}

// columnErr describes an error about protected column c.
func columnErr(c analysis.Column, what string, err error) error {
	return fmt.Errorf("sqlseal: %s %s: %w", c, what, err)
}

// refuseArgs is the refusal of an execution whose arguments cannot be
// bound as the driver binds them.
func refuseArgs(c analysis.Column, detail string) error {
	return &sqlseal.RefusalError{Column: c, Reason: sqlseal.ReasonArguments, Detail: detail}
}

// refuseCast is the refusal of a cast that does not fit the column's kind.
func refuseCast(c analysis.Column) error {
	return &sqlseal.RefusalError{Column: c, Reason: sqlseal.ReasonCast}
}

// errInternal is wrapped by errors that mean sqlseal's own bookkeeping is
// inconsistent; the statement is not sent.
var errInternal = errors.New("sqlseal: internal inconsistency, nothing was sent")

// unsupported wraps err with sqlseal.ErrUnsupportedValue.
func unsupported(err error) error {
	return fmt.Errorf("%w: %w", sqlseal.ErrUnsupportedValue, err)
}

// refuseSessionText is the refusal of a text in which a statement that may
// change how SQL is read is followed by others, on a server that reads each
// statement after the previous one ran.
func (e *Engine) refuseSessionText() error {
	var c analysis.Column
	if cs := e.prot.Columns(); len(cs) > 0 {
		c = cs[0]
	}
	return &sqlseal.RefusalError{Column: c, Reason: sqlseal.ReasonBlind,
		Detail: "a text in which a statement that may change how SQL is read is followed by others"}
}
