package main

import (
	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
)

// noKeyHelp tells the operator how to configure a key.
const noKeyHelp = "no secret key configured: set SQLSEAL_ENCRYPTION_SECRET_KEY, MB_ENCRYPTION_SECRET_KEY or SQLSEAL_ENCRYPTION_SECRET_KEY_FILE"

// loadKeyring reads the configuration from the command's environment and
// derives its keys. Errors name the variable at fault, never a secret.
func loadKeyring(std stdio) (*codec.Keyring, error) {
	cfg, err := config.FromLookup(std.lookupEnv)
	if err != nil {
		return nil, err
	}
	return cfg.Keyring()
}
