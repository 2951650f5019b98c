package main

import (
	"database/sql"
	"fmt"

	"github.com/sqlseal/sqlseal/internal/keytable"
)

// newIndexKey makes a new active blind-index key (docs/ENVELOPE.md, "Blind
// index"): once a database has a key table, its active index key is the
// root of every term.
func (k keysRun) newIndexKey() error {
	kt, err := readKeyTable(k.ctx, k.db, k.ds, k.cfg)
	if err != nil {
		return err
	}
	if kt.entries == nil {
		return keytable.ErrNoTable
	}
	if kt.master == nil {
		return errNoMaster
	}
	prev, _ := keytable.Active(kt.entries, keytable.PurposeIndex)
	var e keytable.Entry
	err = k.inTx(func(tx *sql.Tx) error {
		e, err = keytable.NewKey(k.ctx, tx, kt.flavor, kt.master, keytable.PurposeIndex)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(k.std.out, "index key %d is active", e.ID)
	if prev != nil {
		fmt.Fprintf(k.std.out, "; lookups also match terms of key %d until it is retired", prev.ID)
	}
	fmt.Fprintf(k.std.out, ".\nApplications write terms with it within %s. Recompute the blind index columns with:\n  sqlseal index rebuild\n",
		k.cfg.KeyRefreshInterval())
	return nil
}
