package otelseal_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
	"github.com/sqlseal/sqlseal/otelseal"
)

// BenchmarkObserver measures the OpenTelemetry observer with the SDK's
// MeterProvider (a manual reader, never collected during the run) against
// no observer, through sqlseal on SQLite (see
// conformance.BenchmarkObserver).
func BenchmarkObserver(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { mp.Shutdown(context.Background()) })
	obs, err := otelseal.NewObserver(otelseal.WithMeterProvider(mp))
	require.NoError(b, err)
	conformance.BenchmarkObserver(b, conformance.SQLite(b), obs, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")
}

// BenchmarkCalls measures one call of each kind into the OpenTelemetry
// observer with the SDK's MeterProvider: what a value sealed or opened, or
// a refused statement, adds when otelseal is used.
func BenchmarkCalls(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { mp.Shutdown(context.Background()) })
	obs, err := otelseal.NewObserver(otelseal.WithMeterProvider(mp))
	require.NoError(b, err)
	c := sqlseal.Column{Table: "users", Name: "ssn"}
	for _, tc := range []struct {
		name string
		call func()
	}{
		{"Sealed", func() { obs.Sealed(c) }},
		{"Opened", func() { obs.Opened(c) }},
		{"Refused", func() { obs.Refused(c, sqlseal.ReasonCompared) }},
		{"PlanCache", func() { obs.PlanCache(10, 4096) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tc.call()
			}
		})
	}
}
