// Package config reads sqlseal's settings, shared by the driver and the
// sqlseal command, from the environment or from any lookup function.
//
// The variables (see docs/DESIGN.md):
//
//	SQLSEAL_ENCRYPTION_SECRET_KEY       the secret, 16+ characters; "" disables encryption.
//	                                    MB_ENCRYPTION_SECRET_KEY is read when it is unset.
//	SQLSEAL_ENCRYPTION_SECRET_KEY_FILE  read the secret from a file; one trailing newline is stripped.
//	SQLSEAL_PREVIOUS_SECRET_KEYS        comma-separated older secrets, accepted for opening only.
//	SQLSEAL_PREVIOUS_SECRET_KEYS_FILE   the same, one per line.
//	SQLSEAL_COLUMNS                     comma-separated table.column or schema.table.column;
//	                                    default metabase_database.details.
//	SQLSEAL_ACCEPT_PLAINTEXT            true (default) or false.
//	SQLSEAL_KEK_URL                     the KMS master key of the key table (needs package kms).
//	SQLSEAL_KEY_REFRESH                 how often the key table is read again; default 1m.
//
// Usage:
//
//	cfg, err := config.FromEnv()
//	if err != nil {
//		return err // wraps config.ErrInvalid and names the variable
//	}
//	ring, err := cfg.Keyring() // derives the keys (once per process)
//	if err != nil {
//		return err // e.g. "MB_ENCRYPTION_SECRET_KEY must be at least 16 characters"
//	}
//	if !ring.CanSeal() {
//		// no secret: encryption disabled
//	}
//	for _, col := range cfg.ColumnList() {
//		schema, table, column, _ := config.ParseColumn(col)
//		...
//	}
//
// A Config can also be built in code. Error messages name the variable a
// setting came from and never contain a secret; printing a Config with the
// fmt package redacts its secrets.
package config
