package main

import (
	"fmt"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/indexbuild"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// newIndexKey makes a new active blind-index key (docs/ENVELOPE.md, "Blind
// index"): once a database has a key table, its active index key is the
// root of every term.
func (k keysRun) newIndexKey() error {
	e, prev, err := k.makeActiveKey(keytable.PurposeIndex)
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

// checkIndexRetire refuses to retire index key id while stored terms are
// not all under the active index key: lookups would stop finding those
// rows. Their columns must be configured so that they can be checked.
func (k keysRun) checkIndexRetire(kt *keyTable, id uint32) error {
	isIndex := false
	for _, e := range kt.entries {
		isIndex = isIndex || (e.ID == id && e.Purpose == keytable.PurposeIndex)
	}
	if !isIndex {
		return nil
	}
	if len(k.cfg.BlindIndexes) == 0 {
		return fmt.Errorf("key %d is an index key, and no blind index is configured to check that no term uses it; set %s to the applications' blind indexes: %w",
			id, config.EnvBlindIndexes, keytable.ErrInUse)
	}
	x, err := indexKeyOf(k.ctx, kt, k.cfg.SecretKey)
	if err != nil {
		return err
	}
	reps, err := indexbuild.Run(k.ctx, k.db, indexbuild.Options{Family: k.ds.family, Config: k.cfg, DataKeys: kt.set(), Index: x, DryRun: true})
	if err != nil {
		return err
	}
	var n int64
	for _, r := range reps {
		n += r.Missing + r.Stale
	}
	if n > 0 {
		return fmt.Errorf("%d blind index terms are not under the active index key yet (lookups would miss their rows); run sqlseal index rebuild first: %w", n, keytable.ErrInUse)
	}
	return nil
}
