package main

import (
	"context"
	"database/sql"
	"flag"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// keyTable is the key table of one database as the command sees it.
type keyTable struct {
	flavor keytable.Flavor
	// entries are the rows of the table; nil when there is no table.
	entries []keytable.Entry
	// master is the configured master key; nil when none is.
	master codec.Wrapper
	// keys are the unwrapped data keys; nil when there is no table.
	keys *keytable.Keys
}

// set returns the data keys that open values, nil without a key table.
func (kt *keyTable) set() *codec.DataKeySet {
	if kt.keys == nil {
		return nil
	}
	return kt.keys.Set
}

// readKeyTable reads the key table of db, if it has one, and unwraps its
// data keys with the configured master key.
func readKeyTable(ctx context.Context, db *sql.DB, ds dataSource, cfg config.Config) (*keyTable, error) {
	f, err := keytable.FlavorOf(string(ds.family))
	if err != nil {
		return nil, err
	}
	kt := &keyTable{flavor: f}
	if kt.master, err = cfg.MasterKey(ctx); err != nil {
		return nil, err
	}
	if kt.entries, err = keytable.LoadIfExists(ctx, db, f); err != nil {
		return nil, err
	}
	if kt.entries == nil {
		return kt, nil
	}
	if kt.keys, err = keytable.DataKeys(ctx, kt.master, kt.entries, nil); err != nil {
		return nil, err
	}
	return kt, nil
}

// openWithKeys is openForCommand, which never creates a database, followed
// by readKeyTable.
func openWithKeys(ctx context.Context, cmd *command, fs *flag.FlagSet, std stdio) (cfg config.Config, db *sql.DB, ds dataSource, kt *keyTable, code int, ok bool) {
	cfg, db, ds, code, ok = openForCommand(ctx, cmd, fs, std, false)
	if !ok {
		return cfg, nil, ds, nil, code, false
	}
	kt, err := readKeyTable(ctx, db, ds, cfg)
	if err != nil {
		db.Close()
		return cfg, nil, ds, nil, cmd.fail(std, "%v", err), false
	}
	return cfg, db, ds, kt, exitOK, true
}
