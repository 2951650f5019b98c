// Package sqlseal holds what every sqlseal backend shares: the errors its
// connections return and the refusal that explains a statement it would
// not send. Applications test errors with errors.Is and errors.As against
// this package, whichever driver they use, without linking another
// backend's driver:
//
//	import (
//		"github.com/sqlseal/sqlseal"
//		_ "github.com/sqlseal/sqlseal/driver/mysql"
//	)
//
//	_, err := db.Exec("UPDATE accounts SET api_token = UPPER(?)", token)
//	var refusal *sqlseal.RefusalError
//	if errors.As(err, &refusal) {
//		log.Printf("refused for %s: %s", refusal.Column, refusal.Reason)
//	}
//
// An Observer, set in config.Config.Observer, is told what the
// connections seal, open and refuse, for metrics; package otelseal exports
// it to OpenTelemetry.
//
// The drivers live in the sub-packages: driver (PostgreSQL through pgx),
// driver/mysql (MySQL and MariaDB) and driver/sqlite (SQLite); config holds
// the configuration and codec the ciphertext format.
package sqlseal
