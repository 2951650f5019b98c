package rotate

import (
	"fmt"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// Family names a database family. It picks the catalog queries, the
// primary-key lookup and the NULL-safe comparison of the compare-and-swap
// updates.
type Family string

// The supported database families.
const (
	Postgres Family = "postgres"
	MySQL    Family = "mysql" // MySQL and MariaDB
	SQLite   Family = "sqlite"
)

// FamilyOf returns the family of a database/sql driver name: "pgx" and
// "postgres" are Postgres, "mysql" is MySQL, "sqlite" and "sqlite3" are
// SQLite.
func FamilyOf(driverName string) (Family, error) {
	switch driverName {
	case "pgx", "postgres", "pgx/v5":
		return Postgres, nil
	case "mysql":
		return MySQL, nil
	case "sqlite", "sqlite3":
		return SQLite, nil
	}
	return "", fmt.Errorf("sqlseal: no database family known for driver %q", driverName)
}

// catalogFor returns the catalog of d.
func catalogFor(d Family) (catalog.Catalog, error) {
	if c, ok := catalogs[d]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("sqlseal: unknown database family %q", d)
}

// Phase is the stage a Progress report belongs to.
type Phase string

// Phases of a rotation.
const (
	// PhaseCheck is the pre-flight scan, which reads every protected value
	// and writes nothing.
	PhaseCheck Phase = "check"
	// PhaseRotate is the pass that writes.
	PhaseRotate Phase = "rotate"
)

// Progress is one progress report: Done of Total rows handled in Phase.
// Total is counted before the phase starts; rows inserted while an online
// rotation runs can make Done exceed it.
type Progress struct {
	Phase Phase
	Done  int64
	Total int64
}

// Options configures Rotate.
type Options struct {
	// Family is the database family of the *sql.DB. Required.
	Family Family
	// Catalog overrides the catalog of Family (quoting, placeholders and
	// column kinds). Nil uses the family's.
	Catalog catalog.Catalog

	// Config supplies the protected columns (Config.ColumnList) and the
	// keys values are currently sealed with: Config.SecretKey and
	// Config.PreviousSecretKeys, all of which are tried when opening.
	Config config.Config
	// NewSecret is the secret to seal with from now on. "" disables
	// encryption: every sealed value is written back as plaintext. The
	// current secret seals the remaining plaintext and re-seals values
	// sealed with previous keys.
	NewSecret string
	// DataKeys are the data keys of the database's key table
	// (docs/ENVELOPE.md), nil when it has none. Values in the envelope
	// format open with them; when they have an active key, every value
	// (plaintext, Metabase format, other data keys) is rewritten to it,
	// and NewSecret must be empty.
	DataKeys *codec.DataKeySet
	// Disable writes every sealed value back as plaintext, also when
	// DataKeys has an active key (NewSecret must be ""). Without data
	// keys, NewSecret "" disables encryption already.
	Disable bool

	// KeyColumn names a unique column that identifies rows, for tables
	// without a primary key (or to use instead of it). "" discovers the
	// primary key.
	KeyColumn string
	// AllowMissing skips a configured column whose table or column does
	// not exist (yet), reporting it as Missing. Otherwise Rotate refuses
	// before reading anything, with an error wrapping ErrMissingColumn.
	AllowMissing bool

	// Online rotates in batches of BatchSize rows, one transaction per
	// batch, with compare-and-swap updates, so that applications can keep
	// writing. Otherwise the whole rotation is one transaction: all or
	// nothing.
	Online bool
	// BatchSize is the number of rows read and written at a time; in the
	// default mode it bounds memory, in online mode it is also the size of
	// a transaction. Zero means 1000.
	BatchSize int
	// Workers is the number of connections an online rotation writes
	// with, each batch (a key range) in its own transaction, while one
	// more connection reads the batches ahead. Zero means 1. Ignored
	// without Online: one transaction has one connection.
	Workers int
	// MaxRetries bounds how often a row whose compare-and-swap update
	// found it changed is re-read and retried. Zero means 5.
	MaxRetries int

	// DryRun runs the pre-flight check and reports what a rotation would
	// do, writing nothing.
	DryRun bool

	// Progress, if set, is called as rows are handled, from the goroutine
	// that called Rotate.
	Progress func(Progress)
}

const (
	defaultBatchSize  = 1000
	defaultMaxRetries = 5
)

// Offender identifies a row by table, column and primary key, never by
// value.
type Offender struct {
	// Column is the protected column as configured: [schema.]table.column.
	Column string `json:"column"`
	// Key is the row's key, "name=value" (several joined by ", "), or ""
	// when the table has no primary key (Status only).
	Key string `json:"key"`
}

// String returns "column (key)".
func (o Offender) String() string {
	if o.Key == "" {
		return o.Column + " (row without a primary key)"
	}
	return o.Column + " (" + o.Key + ")"
}

// ColumnSummary counts what a rotation did, or in a dry run would do, to
// one protected column.
type ColumnSummary struct {
	// Column is the protected column as configured.
	Column string `json:"column"`
	// Kind is "text" (base64) or "binary" (raw bytes).
	Kind string `json:"kind,omitempty"`
	// Missing reports that the table or column does not exist; it is
	// skipped.
	Missing bool `json:"missing,omitempty"`
	// Total is the number of rows handled.
	Total int64 `json:"total"`
	// Null counts NULL values, left as they are.
	Null int64 `json:"null"`
	// Sealed counts plaintext values sealed with the new key.
	Sealed int64 `json:"sealed"`
	// Resealed counts values opened with another key and sealed with the
	// new key.
	Resealed int64 `json:"resealed"`
	// Current counts values already sealed with the new key, left alone.
	Current int64 `json:"current"`
	// Decrypted counts sealed values written back as plaintext (new key
	// "").
	Decrypted int64 `json:"decrypted"`
	// Plaintext counts plaintext values left as they are (new key "").
	Plaintext int64 `json:"plaintext"`
	// Retried counts compare-and-swap updates that found the row changed
	// and succeeded after re-reading it.
	Retried int64 `json:"retried"`
	// Skipped counts rows deleted while the rotation ran.
	Skipped int64 `json:"skipped"`
	// Conflicts counts rows that kept changing until the retries ran out,
	// and unopenable values written while an online rotation ran; they
	// are left as they were (see Summary.Conflicts).
	Conflicts int64 `json:"conflicts"`
}

// Changed returns the number of rows written (or that a dry run would
// write).
func (c ColumnSummary) Changed() int64 { return c.Sealed + c.Resealed + c.Decrypted }

// Summary is the result of Rotate. It holds counts, tables, columns and
// primary keys, never values or keys, so it can be printed or logged.
type Summary struct {
	// Mode is "transaction" or "online".
	Mode string `json:"mode"`
	// DryRun reports that nothing was written.
	DryRun bool `json:"dry_run"`
	// Disable reports that encryption is turned off: values are
	// decrypted.
	Disable bool `json:"disable"`
	// DataKey is the id of the data key values were rewritten to, in the
	// envelope format; 0 when they were sealed in the Metabase format or
	// decrypted.
	DataKey uint32 `json:"data_key,omitempty"`
	// Columns has one entry per configured column, in configuration order.
	Columns []ColumnSummary `json:"columns"`
	// Unopenable counts the values that look sealed but open under no
	// known key; the pre-flight check found them and nothing was written.
	Unopenable int64 `json:"unopenable"`
	// Offenders lists the unopenable values by column and key, the first
	// 1000 of them.
	Offenders []Offender `json:"offenders,omitempty"`
	// Conflicts lists the rows a rotation left behind (the first 1000):
	// rows that kept changing until the retries ran out, and unopenable
	// values written while an online rotation ran.
	Conflicts []Offender `json:"conflicts,omitempty"`
	// Seconds is the wall-clock duration.
	Seconds float64 `json:"seconds"`
	// RowsPerSecond is Rows over Seconds: the rate of the whole run, the
	// pre-flight pass included.
	RowsPerSecond float64 `json:"rows_per_second"`
	// Workers is the number of connections an online rotation wrote
	// with; 1 for a one-transaction rotation.
	Workers int `json:"workers"`
}

// Rows returns the number of rows handled over all columns.
func (s *Summary) Rows() int64 {
	var n int64
	for _, c := range s.Columns {
		n += c.Total
	}
	return n
}

// Changed returns the number of rows written over all columns.
func (s *Summary) Changed() int64 {
	var n int64
	for _, c := range s.Columns {
		n += c.Changed()
	}
	return n
}
