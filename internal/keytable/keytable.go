// Package keytable reads and writes the key table of the envelope format
// (docs/ENVELOPE.md): sqlseal_keys, in the protected database, holds the
// data keys, each wrapped by a master key, so that every instance of an
// application sees the same keys.
//
//	entries, err := keytable.Load(ctx, query)   // nil when there is no table
//	keys, err := keytable.DataKeys(ctx, master, entries, nil)
//	sealed := keys.Set.Active().SealText(plaintext, keytable.Label("accounts", "api_token"))
//
// The driver only reads the table. Writing it (creating it, making a new
// data key, rewrapping every key under another master key, retiring a key)
// is the sqlseal command's work, over a plain connection.
package keytable

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"

	"github.com/sqlseal/sqlseal/internal/catalog"
)

// Table is the name of the key table.
const Table = "sqlseal_keys"

// Purpose is what a key table entry is for.
type Purpose string

// The purposes of entries.
const (
	// PurposeData entries seal values.
	PurposeData Purpose = "data"
	// PurposeIndex entries are the roots of blind-index keys.
	PurposeIndex Purpose = "index"
)

// State is an entry's place in its life.
type State string

// The states of entries.
const (
	// StateActive: used for new values; exactly one per purpose.
	StateActive State = "active"
	// StateDecrypt: still opens the values sealed under it.
	StateDecrypt State = "decrypt"
	// StateRetired: opens nothing.
	StateRetired State = "retired"
)

// Entry is one row of the key table.
type Entry struct {
	ID      uint32
	Purpose Purpose
	State   State
	// KEK identifies the master key that wrapped it (codec.Wrapper.ID).
	KEK     string
	Wrapped []byte
	// Created is when the entry was made, as the database prints it.
	Created string
}

// QueryFunc runs a query and returns every row. The driver passes a
// catalog query over its raw connection; the command passes one over a
// *sql.DB or *sql.Tx.
type QueryFunc func(ctx context.Context, query string, args ...any) ([][]driver.Value, error)

// ErrNoMasterKey is returned when the key table has entries but no master
// key is configured to unwrap them.
var ErrNoMasterKey = errors.New("the key table has data keys but no master key is configured")

// ErrTable is wrapped by errors about the key table's content: more than
// one active key of a purpose, an unknown state, a malformed row.
var ErrTable = errors.New("the key table is inconsistent")

// loadSQL reads the entries, oldest first.
const loadSQL = `SELECT id, purpose, state, kek, wrapped, created_at FROM ` + Table + ` ORDER BY id`

// Load reads every entry of the key table.
func Load(ctx context.Context, query QueryFunc) ([]Entry, error) {
	rows, err := query(ctx, loadSQL)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: reading the key table: %w", err)
	}
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		if len(r) != 6 {
			return nil, fmt.Errorf("sqlseal: reading the key table: a row of %d columns: %w", len(r), ErrTable)
		}
		id, err := toInt(r[0])
		if err != nil || id < 1 || id > 1<<32-1 {
			return nil, fmt.Errorf("sqlseal: reading the key table: id %v: %w", r[0], ErrTable)
		}
		e := Entry{ID: uint32(id), Purpose: Purpose(catalog.String(r[1])), State: State(catalog.String(r[2])), KEK: catalog.String(r[3]), Created: catalog.String(r[5])}
		if b, ok := r[4].([]byte); ok {
			e.Wrapped = append([]byte(nil), b...)
		} else {
			e.Wrapped = []byte(catalog.String(r[4]))
		}
		switch e.State {
		case StateActive, StateDecrypt, StateRetired:
		default:
			return nil, fmt.Errorf("sqlseal: key table entry %d has state %q: %w", e.ID, e.State, ErrTable)
		}
		out = append(out, e)
	}
	return out, nil
}

// Active returns the active entry of purpose p, if any; more than one is
// an error.
func Active(entries []Entry, p Purpose) (*Entry, error) {
	var found *Entry
	for i := range entries {
		e := &entries[i]
		if e.Purpose != p || e.State != StateActive {
			continue
		}
		if found != nil {
			return nil, fmt.Errorf("sqlseal: key table entries %d and %d are both active %s keys: %w", found.ID, e.ID, p, ErrTable)
		}
		found = e
	}
	return found, nil
}

// toInt reads an integer column however the driver returns it.
func toInt(v driver.Value) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case []byte:
		return strconv.ParseInt(string(x), 10, 64)
	case string:
		return strconv.ParseInt(x, 10, 64)
	}
	return 0, fmt.Errorf("an integer of type %T", v)
}
