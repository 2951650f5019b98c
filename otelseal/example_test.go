package otelseal_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/otelseal"
)

// An application's MeterProvider receives sqlseal's counters (here read
// back with the SDK's manual reader; in production an exporter does).
func ExampleNewObserver() {
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	obs, err := otelseal.NewObserver(otelseal.WithMeterProvider(provider))
	if err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "otelseal-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	connector, err := sealsqlite.NewConnector(config.Config{
		SecretKey: "a secret of at least 16 characters",
		Columns:   []string{"accounts.api_token"},
		Observer:  obs,
	}, filepath.Join(dir, "app.db"))
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, api_token TEXT)`); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO accounts (api_token) VALUES (?)`, "tok_live_123"); err != nil {
		log.Fatal(err)
	}
	var token string
	if err := db.QueryRow(`SELECT api_token FROM accounts WHERE id = 1`).Scan(&token); err != nil {
		log.Fatal(err)
	}
	_, err = db.Exec(`DELETE FROM accounts WHERE api_token = ?`, token)
	fmt.Println(errors.Is(err, sqlseal.ErrRefused))

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		log.Fatal(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if sum, ok := m.Data.(metricdata.Sum[int64]); ok {
			for _, dp := range sum.DataPoints {
				fmt.Println(m.Name, dp.Attributes.Encoded(attribute.DefaultEncoder()), dp.Value)
			}
		}
	}
	// Unordered output:
	// true
	// sqlseal.values.sealed sqlseal.column=accounts.api_token 1
	// sqlseal.values.opened sqlseal.column=accounts.api_token 1
	// sqlseal.statements.refused sqlseal.column=accounts.api_token,sqlseal.reason=compared 1
}
