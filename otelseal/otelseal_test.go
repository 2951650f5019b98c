package otelseal_test

import (
	"context"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/otelseal"
)

// collected is one collection of the manual reader, by instrument name.
type collected map[string]metricdata.Aggregation

func collect(t *testing.T, r *sdkmetric.ManualReader) collected {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.Collect(context.Background(), &rm))
	out := collected{}
	for _, sm := range rm.ScopeMetrics {
		require.Equal(t, otelseal.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// sum returns the value of counter name for exactly the attributes attrs.
func (c collected) sum(t *testing.T, name string, attrs ...attribute.KeyValue) int64 {
	t.Helper()
	data, ok := c[name]
	require.True(t, ok, "no instrument %s", name)
	s, ok := data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is a %T", name, data)
	require.True(t, s.IsMonotonic, name)
	want := attribute.NewSet(attrs...)
	for _, dp := range s.DataPoints {
		if dp.Attributes.Equals(&want) {
			return dp.Value
		}
	}
	return 0
}

// gauge returns the last value of gauge name.
func (c collected) gauge(t *testing.T, name string) int64 {
	t.Helper()
	g, ok := c[name].(metricdata.Gauge[int64])
	require.True(t, ok, "%s is a %T", name, c[name])
	require.Len(t, g.DataPoints, 1, name)
	return g.DataPoints[0].Value
}

// Statements run through the driver on SQLite, with a key table, are
// counted in the instruments the manual reader collects.
func TestMetrics(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { mp.Shutdown(context.Background()) })
	obs, err := otelseal.NewObserver(otelseal.WithMeterProvider(mp))
	require.NoError(t, err)

	e := conformance.NewEnv(t, conformance.SQLite(t, conformance.WithKeyTable()), "name TEXT, details TEXT")
	cfg := e.Config()
	cfg.Observer = obs
	db := e.Open(cfg)

	for _, v := range []string{"one", "two"} {
		_, err := db.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`, "n", v)
		require.NoError(t, err)
	}
	e.RequireSealed(1, "one")
	e.RequireSealed(2, "two")
	e.RawExec(`INSERT INTO ` + e.Table + ` (name, details) VALUES ('legacy', 'plain')`)
	require.Equal(t, [][]string{{"one"}, {"two"}, {"plain"}},
		conformance.Rows(t, db, `SELECT details FROM `+e.Table+` ORDER BY id`))
	for range 2 {
		_, err = db.Exec(`SELECT id FROM `+e.Table+` WHERE details = ?`, conformance.RefusedValue)
		conformance.RequireRefused(t, err, e.Table+".details", "compared")
	}
	_, err = db.Exec(`UPDATE ` + e.Table + ` SET details = upper(name)`)
	conformance.RequireRefused(t, err, e.Table+".details", "computed")

	got := collect(t, reader)
	col := otelseal.ColumnKey.String(e.Table + ".details")
	require.EqualValues(t, 2, got.sum(t, "sqlseal.values.sealed", col))
	require.EqualValues(t, 2, got.sum(t, "sqlseal.values.opened", col))
	require.EqualValues(t, 1, got.sum(t, "sqlseal.values.plaintext", col))
	require.EqualValues(t, 2, got.sum(t, "sqlseal.statements.refused", col, otelseal.ReasonKey.String("compared")))
	require.EqualValues(t, 1, got.sum(t, "sqlseal.statements.refused", col, otelseal.ReasonKey.String("computed")))
	// The key table was read once, at the first connection; its one data
	// key was unwrapped when the test made the table (conformance), so
	// this process's cache holds it.
	require.EqualValues(t, 1, got.sum(t, "sqlseal.data_key_cache.hits"))
	require.EqualValues(t, 0, got.sum(t, "sqlseal.data_key_cache.misses"))
	require.Positive(t, got.gauge(t, "sqlseal.plan_cache.entries"))
	require.Positive(t, got.gauge(t, "sqlseal.plan_cache.size"))
}

// Without WithMeterProvider the observer records with the global
// MeterProvider, also one set after it was made.
func TestGlobalMeterProvider(t *testing.T) {
	prev := otel.GetMeterProvider()
	t.Cleanup(func() { otel.SetMeterProvider(prev) })
	obs, err := otelseal.NewObserver()
	require.NoError(t, err)

	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { mp.Shutdown(context.Background()) })
	otel.SetMeterProvider(mp)

	c := sqlseal.Column{Table: "users", Name: "ssn"}
	obs.Sealed(c)
	obs.Refused(c, sqlseal.ReasonCompared)
	obs.DataKeys(1, 2)
	obs.PlanCache(3, 400)
	got := collect(t, reader)
	col := otelseal.ColumnKey.String("users.ssn")
	require.EqualValues(t, 1, got.sum(t, "sqlseal.values.sealed", col))
	require.EqualValues(t, 1, got.sum(t, "sqlseal.statements.refused", col, otelseal.ReasonKey.String("compared")))
	require.EqualValues(t, 1, got.sum(t, "sqlseal.data_key_cache.hits"))
	require.EqualValues(t, 2, got.sum(t, "sqlseal.data_key_cache.misses"))
	require.EqualValues(t, 3, got.gauge(t, "sqlseal.plan_cache.entries"))
	require.EqualValues(t, 400, got.gauge(t, "sqlseal.plan_cache.size"))
}

// Only this package imports OpenTelemetry: the driver packages, config and
// the root package do not depend on it.
func TestCoreHasNoOpenTelemetry(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list dependencies with")
	}
	pkgs := []string{"github.com/sqlseal/sqlseal", "github.com/sqlseal/sqlseal/config",
		"github.com/sqlseal/sqlseal/driver", "github.com/sqlseal/sqlseal/driver/mysql", "github.com/sqlseal/sqlseal/driver/sqlite"}
	out, err := exec.Command(goTool, append([]string{"list", "-deps"}, pkgs...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "github.com/sqlseal/sqlseal/internal/engine")
	require.NotContains(t, string(out), "go.opentelemetry.io")
}
