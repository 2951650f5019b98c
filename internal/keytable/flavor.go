package keytable

import (
	"fmt"
	"strconv"
)

// Flavor is the SQL of one database family for the key table.
type Flavor struct {
	// Create creates the table. created_at keeps fractions of a second, so
	// that an entry made again under the same id is told apart.
	Create string
	// Exists is a query whose one row tells whether the table exists (a
	// non-zero count).
	Exists string
	// Now is the database's current time as created_at stores it, taken
	// when the statement runs (not when its transaction began).
	Now string
	// Lock, run first in a writer's transaction, makes the writers of the
	// key table wait for each other; "" where the database serializes
	// writers itself (SQLite).
	Lock string
	// Placeholder is the n-th (1-based) bind parameter.
	Placeholder func(n int) string
	// CreatedWithin is a condition true of entries made less than secs
	// seconds ago, by the database's clock.
	CreatedWithin func(secs int64) string
	// OpenSince, if set, is a query whose one row counts the transactions
	// of other sessions on the database that began before the time of
	// parameter 1 (MySQL: of sessions whose current database it is); ""
	// where the database cannot tell (SQLite: a writing transaction holds
	// the database's write lock, so a writer of the key table waits for
	// it).
	OpenSince string
}

// FlavorOf returns the flavor of a database family: "postgres", "mysql"
// (MySQL and MariaDB) or "sqlite".
func FlavorOf(family string) (Flavor, error) {
	dollar := func(n int) string { return "$" + strconv.Itoa(n) }
	question := func(int) string { return "?" }
	switch family {
	case "postgres":
		return Flavor{
			Create: `CREATE TABLE ` + Table + ` (id integer PRIMARY KEY, purpose text NOT NULL, state text NOT NULL,
				kek text NOT NULL, wrapped bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
			Exists:      `SELECT count(*) FROM pg_catalog.pg_class WHERE oid = to_regclass('` + Table + `')`,
			Now:         `clock_timestamp()`,
			Lock:        `LOCK TABLE ` + Table + ` IN SHARE ROW EXCLUSIVE MODE`,
			Placeholder: dollar,
			CreatedWithin: func(secs int64) string {
				return fmt.Sprintf("created_at > clock_timestamp() - interval '%d seconds'", secs)
			},
			// A session whose transaction the role may not see counts as
			// open: it may be.
			OpenSince: `SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
				AND datname = current_database() AND (xact_start < $1 OR (xact_start IS NULL AND query = '<insufficient privilege>'))`,
		}, nil
	case "mysql":
		return Flavor{
			Create: `CREATE TABLE ` + Table + ` (id INT PRIMARY KEY, purpose VARCHAR(16) NOT NULL, state VARCHAR(16) NOT NULL,
				kek VARCHAR(512) NOT NULL, wrapped VARBINARY(2048) NOT NULL, created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))`,
			Exists:      `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '` + Table + `'`,
			Now:         `SYSDATE(6)`,
			Lock:        `SELECT id FROM ` + Table + ` FOR UPDATE`,
			Placeholder: question,
			CreatedWithin: func(secs int64) string {
				return fmt.Sprintf("created_at > SYSDATE(6) - INTERVAL %d SECOND", secs)
			},
			OpenSince: `SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID() AND trx_started < ?
				AND trx_mysql_thread_id IN (SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE())`,
		}, nil
	case "sqlite":
		const now = `strftime('%Y-%m-%d %H:%M:%f', 'now')`
		return Flavor{
			Create: `CREATE TABLE ` + Table + ` (id INTEGER PRIMARY KEY, purpose TEXT NOT NULL, state TEXT NOT NULL,
				kek TEXT NOT NULL, wrapped BLOB NOT NULL, created_at TEXT NOT NULL DEFAULT (` + now + `))`,
			Exists:      `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '` + Table + `'`,
			Now:         now,
			Placeholder: question,
			CreatedWithin: func(secs int64) string {
				return fmt.Sprintf("created_at > strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '-%d seconds')", secs)
			},
		}, nil
	}
	return Flavor{}, fmt.Errorf("sqlseal: no key table for database family %q", family)
}
