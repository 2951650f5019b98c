// Package otelseal exports what sqlseal seals, opens and refuses as
// OpenTelemetry metrics. It is the only package of the module that imports
// OpenTelemetry: the driver packages do not.
//
//	obs, err := otelseal.NewObserver() // the global MeterProvider
//	if err != nil { ... }
//	cfg.Observer = obs                  // cfg is a config.Config
//	connector, err := driver.NewConnector(cfg, pgxConfig)
//
// The instruments, in the meter named ScopeName:
//
//	sqlseal.values.sealed        counter  values sealed, by sqlseal.column
//	sqlseal.values.opened        counter  sealed values opened, by sqlseal.column
//	sqlseal.values.plaintext     counter  unsealed (legacy plaintext) values read, by sqlseal.column
//	sqlseal.statements.refused   counter  statements refused, by sqlseal.column and sqlseal.reason
//	sqlseal.data_key_cache.hits  counter  data keys taken from the cache at a key table read
//	sqlseal.data_key_cache.misses counter data keys the master key (a KMS) unwrapped
//	sqlseal.plan_cache.entries   gauge    entries in the cache of analyses
//	sqlseal.plan_cache.size      gauge    bytes the cache of analyses holds, estimated
//
// sqlseal.column is the protected column as configured
// ([schema.]table.column) and sqlseal.reason a refusal's
// sqlseal.Reason.Name, such as "compared": never a value or SQL text.
package otelseal

import (
	"context"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/sqlseal/sqlseal"
)

// ScopeName is the name of the meter the instruments belong to.
const ScopeName = "github.com/sqlseal/sqlseal/otelseal"

// Attribute keys of the measurements.
const (
	// ColumnKey is the protected column, as configured.
	ColumnKey = attribute.Key("sqlseal.column")
	// ReasonKey is the reason a statement was refused (sqlseal.Reason.Name).
	ReasonKey = attribute.Key("sqlseal.reason")
)

// Option configures NewObserver.
type Option func(*options)

type options struct {
	provider metric.MeterProvider
}

// WithMeterProvider makes the observer record with mp instead of the
// global MeterProvider (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(o *options) { o.provider = mp }
}

// NewObserver returns a sqlseal.Observer that records sqlseal's counts
// with the meter of ScopeName. Without WithMeterProvider it uses the
// global MeterProvider, which forwards to a provider set later with
// otel.SetMeterProvider. It fails only when an instrument cannot be made.
func NewObserver(opts ...Option) (*sqlseal.Observer, error) {
	o := options{}
	for _, f := range opts {
		f(&o)
	}
	if o.provider == nil {
		o.provider = otel.GetMeterProvider()
	}
	m, err := newMetrics(o.provider.Meter(ScopeName))
	if err != nil {
		return nil, fmt.Errorf("otelseal: %w", err)
	}
	return &sqlseal.Observer{
		Sealed:        m.sealedValue,
		Opened:        m.openedValue,
		PlaintextRead: m.plaintextValue,
		Refused:       m.refusedStatement,
		DataKeys:      m.dataKeys,
		PlanCache:     m.planCache,
	}, nil
}

// metrics are the instruments of one observer, and the attribute sets of
// the columns and reasons seen, made once each.
type metrics struct {
	sealed, opened, plaintext, refused metric.Int64Counter
	keyHits, keyMisses                 metric.Int64Counter
	planEntries, planBytes             metric.Int64Gauge

	columns sync.Map // sqlseal.Column -> []metric.AddOption
	refusal sync.Map // refusalKey -> []metric.AddOption
}

// refusalKey is the attribute set of a refused statement.
type refusalKey struct {
	c sqlseal.Column
	r sqlseal.Reason
}

// newMetrics makes the instruments with m.
func newMetrics(m metric.Meter) (*metrics, error) {
	var (
		ms   metrics
		errs [8]error
	)
	ms.sealed, errs[0] = m.Int64Counter("sqlseal.values.sealed", metric.WithUnit("{value}"),
		metric.WithDescription("Values sealed for a protected column."))
	ms.opened, errs[1] = m.Int64Counter("sqlseal.values.opened", metric.WithUnit("{value}"),
		metric.WithDescription("Sealed values of a protected column opened."))
	ms.plaintext, errs[2] = m.Int64Counter("sqlseal.values.plaintext", metric.WithUnit("{value}"),
		metric.WithDescription("Values of a protected column read that were not sealed (legacy plaintext)."))
	ms.refused, errs[3] = m.Int64Counter("sqlseal.statements.refused", metric.WithUnit("{statement}"),
		metric.WithDescription("Statements refused before anything was sent to the server."))
	ms.keyHits, errs[4] = m.Int64Counter("sqlseal.data_key_cache.hits", metric.WithUnit("{key}"),
		metric.WithDescription("Data keys of the key table taken from the process's cache when the table was read."))
	ms.keyMisses, errs[5] = m.Int64Counter("sqlseal.data_key_cache.misses", metric.WithUnit("{key}"),
		metric.WithDescription("Data keys of the key table unwrapped with the master key when the table was read."))
	ms.planEntries, errs[6] = m.Int64Gauge("sqlseal.plan_cache.entries", metric.WithUnit("{entry}"),
		metric.WithDescription("Entries in the cache of SQL analyses (an upper bound)."))
	ms.planBytes, errs[7] = m.Int64Gauge("sqlseal.plan_cache.size", metric.WithUnit("By"),
		metric.WithDescription("Bytes held by the cache of SQL analyses, estimated (an upper bound)."))
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return &ms, nil
}

// columnAttrs returns the measurement options of column c, made once: a
// slice passed on as it is, so that a measurement allocates nothing.
func (m *metrics) columnAttrs(c sqlseal.Column) []metric.AddOption {
	if v, ok := m.columns.Load(c); ok {
		return v.([]metric.AddOption)
	}
	opts := []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(ColumnKey.String(c.String())))}
	v, _ := m.columns.LoadOrStore(c, opts)
	return v.([]metric.AddOption)
}

func (m *metrics) sealedValue(c sqlseal.Column) {
	m.sealed.Add(context.Background(), 1, m.columnAttrs(c)...)
}

func (m *metrics) openedValue(c sqlseal.Column) {
	m.opened.Add(context.Background(), 1, m.columnAttrs(c)...)
}

func (m *metrics) plaintextValue(c sqlseal.Column) {
	m.plaintext.Add(context.Background(), 1, m.columnAttrs(c)...)
}

func (m *metrics) refusedStatement(c sqlseal.Column, r sqlseal.Reason) {
	k := refusalKey{c, r}
	v, ok := m.refusal.Load(k)
	if !ok {
		v, _ = m.refusal.LoadOrStore(k, []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(
			ColumnKey.String(c.String()), ReasonKey.String(r.Name())))})
	}
	m.refused.Add(context.Background(), 1, v.([]metric.AddOption)...)
}

func (m *metrics) dataKeys(hits, misses int) {
	ctx := context.Background()
	m.keyHits.Add(ctx, int64(hits))
	m.keyMisses.Add(ctx, int64(misses))
}

func (m *metrics) planCache(entries, bytes int) {
	ctx := context.Background()
	m.planEntries.Record(ctx, int64(entries))
	m.planBytes.Record(ctx, int64(bytes))
}
