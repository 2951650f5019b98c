// Package engine is the backend-independent core of the sqlseal driver: it
// analyses each SQL text once (package analysis), seals the arguments and
// literals bound for protected columns, opens protected result columns, and
// refuses what it cannot prove safe. A backend supplies a Dialect and wraps
// its driver's connector:
//
//	e, err := engine.New(dialect, cfg, logger)
//	connector := e.WrapConnector(pgxConnector)
//	db := sql.OpenDB(connector)
//
// An Engine is safe for concurrent use by every connection of a pool.
package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/analysis"
)

// Errors callers can branch on with errors.Is.
var (
	// ErrWrongKey: the protected columns hold sealed values and none of a
	// sample opens with the configured keys.
	ErrWrongKey = errors.New("the database was encrypted with a different key")
	// ErrColumnType: a protected column has a type that cannot hold
	// ciphertext (json, jsonb, integer, ...).
	ErrColumnType = errors.New("protected column type cannot hold ciphertext")
	// ErrUnsupportedValue: an argument bound for a protected column has a
	// Go type sqlseal does not seal.
	ErrUnsupportedValue = errors.New("unsupported value for a protected column")
	// ErrPlaintext: a protected column holds a value that is not sealed
	// and plaintext is not accepted (SQLSEAL_ACCEPT_PLAINTEXT=false).
	ErrPlaintext = errors.New("protected column holds an unsealed value")
	// ErrResultColumns: the result columns of a query with * do not match
	// the table's columns as read from the catalog.
	ErrResultColumns = errors.New("cannot tell which result columns are protected")
	// ErrSQLMode: the session's SQL mode makes the server read quotes or
	// backslashes differently from the parser sqlseal analyses with.
	ErrSQLMode = errors.New("session SQL mode changes how SQL text is read")
)

// Engine seals and opens the protected columns of one configuration.
type Engine struct {
	d               *Dialect
	keyring         *codec.Keyring
	prot            *analysis.Protected
	rejectPlaintext bool
	logger          *slog.Logger
	cache           *planCache

	kindsMu sync.RWMutex
	kinds   map[analysis.Column]Kind

	// stmtReaders holds the reader of each prepared statement whose
	// results are opened, made at prepare time (the statement path has no
	// connection to consult the catalog on).
	stmtReaders sync.Map // driver.Stmt -> *reader

	connectMu sync.Mutex
	connected bool
	warnOnce  sync.Once
}

// New returns the engine for dialect d and configuration cfg. A nil logger
// means slog.Default().
func New(d *Dialect, cfg config.Config, logger *slog.Logger) (*Engine, error) {
	if logger == nil {
		logger = slog.Default()
	}
	keyring, err := cfg.Keyring()
	if err != nil {
		return nil, err
	}
	var cols []analysis.Column
	for _, s := range cfg.ColumnList() {
		schema, table, column, err := config.ParseColumn(s)
		if err != nil {
			return nil, err
		}
		c := analysis.Column{Table: d.FoldIdent(table), Name: d.FoldIdent(column)}
		if schema != "" {
			c.Schema = d.FoldIdent(schema)
		}
		cols = append(cols, c)
	}
	prot := analysis.NewProtected(cols)
	e := &Engine{
		d:               d,
		keyring:         keyring,
		prot:            prot,
		rejectPlaintext: cfg.RejectPlaintext,
		logger:          logger,
		cache:           sharedCache(d.Name + "|" + prot.Key()),
		kinds:           make(map[analysis.Column]Kind),
	}
	if !keyring.CanSeal() {
		e.warnOnce.Do(func() {
			logger.Warn("sqlseal: no encryption key is set (SQLSEAL_ENCRYPTION_SECRET_KEY); protected columns are written unencrypted",
				"columns", prot.Key())
		})
	}
	return e, nil
}

// Keyring returns the engine's keys.
func (e *Engine) Keyring() *codec.Keyring { return e.keyring }

// Protected returns the engine's protected columns.
func (e *Engine) Protected() []analysis.Column { return e.prot.Columns() }

// Analyses reports how many SQL texts this engine's cache has analysed.
func (e *Engine) Analyses() int64 { return e.cache.analyses.Load() }

func (e *Engine) info(sql string) *stmtInfo {
	return e.cache.get(sql, func(s string) *analysis.Plan {
		return analysis.Analyze(e.d.Parser, e.prot, s)
	})
}

func columnErr(c analysis.Column, what string, err error) error {
	return fmt.Errorf("sqlseal: %s %s: %w", c, what, err)
}
