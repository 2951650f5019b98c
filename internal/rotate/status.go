package rotate

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// StatusOptions configures Status.
type StatusOptions struct {
	// Family is the database family of the *sql.DB. Required.
	Family Family
	// Catalog overrides the catalog of Family. Nil uses the family's.
	Catalog catalog.Catalog
	// Config supplies the protected columns and the keys: the primary key
	// (Config.SecretKey) and the previous keys, by position.
	Config config.Config
	// KeyColumn names the column that identifies rows in the list of
	// unopenable values; "" uses the primary key. A table without either
	// is still counted, its unopenable values listed without a key.
	KeyColumn string
	// DataKeys are the data keys of the key table, nil when there is none.
	DataKeys *codec.DataKeySet
	// AllowMissing makes a configured column whose table or column does
	// not exist (yet) no error: it is reported as Missing. Otherwise
	// Status counts the other columns and returns the Report with an
	// error wrapping ErrMissingColumn.
	AllowMissing bool
}

// ColumnStatus counts the values of one protected column by the key that
// opens them.
type ColumnStatus struct {
	// Column is the protected column as configured.
	Column string `json:"column"`
	// Kind is "text" (base64) or "binary" (raw bytes).
	Kind string `json:"kind,omitempty"`
	// Missing reports that the table or column does not exist.
	Missing bool `json:"missing,omitempty"`
	// Total is the number of rows.
	Total int64 `json:"total"`
	// Null counts NULL values.
	Null int64 `json:"null"`
	// Plaintext counts values that do not look sealed.
	Plaintext int64 `json:"plaintext"`
	// Primary counts values sealed with the primary (current) key.
	Primary int64 `json:"primary"`
	// Previous[i] counts values sealed with the i-th previous key, in
	// the order of Config.PreviousSecretKeys.
	Previous []int64 `json:"previous"`
	// Envelope counts the values in the envelope format by the id of the
	// data key that opens them.
	Envelope map[uint32]int64 `json:"envelope,omitempty"`
	// Unopenable counts values that look sealed but no key opens.
	Unopenable int64 `json:"unopenable"`
}

// Report is the result of Status. It holds counts, tables, columns and
// primary keys, never values or keys.
type Report struct {
	// Columns has one entry per configured column, in configuration order.
	Columns []ColumnStatus `json:"columns"`
	// Unopenable is the number of values no key opens, over all columns.
	Unopenable int64 `json:"unopenable"`
	// Offenders lists the unopenable values by column and key, the first
	// 1000 of them.
	Offenders []Offender `json:"offenders,omitempty"`
	// Seconds is the wall-clock duration.
	Seconds float64 `json:"seconds"`
}

// Status reads every value of the protected columns of db (a handle of the
// database's own driver, not of sqlseal) and counts them: NULL, plaintext,
// sealed with the primary key, sealed with each previous key, and not
// openable by any of them. It writes nothing. A Report with unopenable
// values is not an error; the caller decides. A configured column that does
// not exist is, unless opts.AllowMissing: the Report comes with an error
// wrapping ErrMissingColumn.
func Status(ctx context.Context, db *sql.DB, opts StatusOptions) (*Report, error) {
	start := time.Now()
	k, err := newKeys(opts.Config, "", opts.DataKeys, false)
	if err != nil {
		return nil, err
	}
	cat := opts.Catalog
	if cat == nil {
		if cat, err = catalogFor(opts.Family); err != nil {
			return nil, err
		}
	}
	jobs, missing, err := plan(ctx, db, planOptions{
		family: opts.Family, catalog: cat, columns: opts.Config.ColumnList(),
		keyColumn: opts.KeyColumn, batch: defaultBatchSize,
	})
	if err != nil {
		return nil, err
	}
	rep := &Report{Columns: make([]ColumnStatus, len(jobs))}
	for i, j := range jobs {
		cs := &rep.Columns[i]
		*cs = ColumnStatus{Column: j.name, Missing: missing[i], Previous: make([]int64, len(opts.Config.PreviousSecretKeys))}
		if missing[i] {
			continue
		}
		cs.Kind = kindName(j.kind)
		err := scan(ctx, db, j, func(key []any, v value) {
			cs.Total++
			if v.null {
				cs.Null++
				return
			}
			pt, by, err := k.open(v, j.kind, j.label)
			clear(pt)
			switch {
			case errors.Is(err, codec.ErrNotSealed):
				cs.Plaintext++
			case err != nil:
				cs.Unopenable++
				rep.Unopenable++
				if len(rep.Offenders) < maxListed {
					rep.Offenders = append(rep.Offenders, Offender{Column: j.name, Key: formatKey(j.keys, key)})
				}
			case by.Format == codec.FormatEnvelope:
				if cs.Envelope == nil {
					cs.Envelope = map[uint32]int64{}
				}
				cs.Envelope[by.KeyID]++
			case by.KeyIndex == 0:
				cs.Primary++
			default:
				cs.Previous[by.KeyIndex-1]++
			}
		})
		if err != nil {
			return nil, err
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	if !opts.AllowMissing {
		if err := missingError(jobs, missing); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
