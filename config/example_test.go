package config_test

import (
	"fmt"

	"github.com/sqlseal/sqlseal/config"
)

func ExampleFromLookup() {
	environment := map[string]string{
		"MB_ENCRYPTION_SECRET_KEY": "a Metabase secret of 16+ characters",
		"SQLSEAL_COLUMNS":          "metabase_database.details, public.connections.details",
	}
	cfg, err := config.FromLookup(func(name string) (string, bool) {
		v, ok := environment[name]
		return v, ok
	})
	if err != nil {
		panic(err)
	}
	ring, err := cfg.Keyring()
	if err != nil {
		panic(err)
	}
	fmt.Println(ring.CanSeal(), cfg.ColumnList())
	fmt.Println(cfg) // secrets are redacted
	// Output:
	// true [metabase_database.details public.connections.details]
	// config.Config{SecretKey:<redacted> PreviousSecretKeys:<0 redacted> Columns:["metabase_database.details" "public.connections.details"] RejectPlaintext:false BlindIndexes:[] KEKURL:"" KeyRefresh:1m0s}
}

func ExampleParseColumn() {
	schema, table, column, err := config.ParseColumn("public.metabase_database.details")
	fmt.Printf("%q %q %q %v\n", schema, table, column, err)
	_, _, _, err = config.ParseColumn("details")
	fmt.Println(err)
	// Output:
	// "public" "metabase_database" "details" <nil>
	// invalid column "details": want table.column or schema.table.column
}

func ExampleConfig_Keyring() {
	cfg := config.Config{SecretKey: "too short"}
	_, err := cfg.Keyring()
	fmt.Println(err)
	// Output:
	// Config.SecretKey must be at least 16 characters
}
