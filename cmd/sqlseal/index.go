package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/indexbuild"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

var indexCommand = &command{
	name:     "index",
	summary:  "report or rebuild the blind index columns (SQLSEAL_BLIND_INDEXES)",
	synopsis: "status | rebuild [flags]",
	help: `Index works on the sibling columns of the blind indexes that
SQLSEAL_BLIND_INDEXES configures, which hold a keyed hash (a term) of each
protected value so that equality lookups work (docs/ENVELOPE.md, "Blind
index"). The term's key is the key table's active index key ('sqlseal keys
new-index'), or, without a key table, derived from
SQLSEAL_ENCRYPTION_SECRET_KEY.

  status    count, per blind-indexed column, the rows whose term is fresh,
            missing (a value without a term: rows written before the index
            existed, or without sqlseal) or stale (a term under an older
            index key or normalization). Writes nothing.
  rebuild   write the term of every row whose term is missing or stale, in
            batches of --batch-size rows, one transaction each. Each write
            is a compare-and-swap on the row's value and term as read, so a
            row the application changes meanwhile keeps the application's
            write; an interrupted rebuild is resumed by running it again.

Tables need a single-column primary key.

` + dsnHelp + `
Exit status: 0 done (status: every term fresh), 1 when terms are missing or
stale (status), values do not open, or on failure, 2 usage error.
`,
	env: envList(databaseEnv, []string{config.EnvBlindIndexes}, secretEnv, previousEnv, []string{config.EnvKEKURL}),
	flags: func(fs *flag.FlagSet) {
		fs.String("dsn", "", "the database (default $"+envDSN+"; see above)")
		fs.Bool("json", false, "print the report as JSON")
		fs.Int("batch-size", indexbuild.DefaultBatchSize, "rebuild: rows per batch and transaction")
	},
	run: runIndex,
}

func runIndex(ctx context.Context, cmd *command, args []string, std stdio) int {
	fs := cmd.flagSet()
	pos, code, ok := parseArgs(cmd, fs, args, std)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 0:
		return cmd.usageError(std, "missing subcommand: status or rebuild")
	case pos[0] != "status" && pos[0] != "rebuild":
		return cmd.usageError(std, "unknown subcommand %q: want status or rebuild", pos[0])
	case len(pos) > 1:
		return cmd.usageError(std, "%s: unexpected argument %q", pos[0], pos[1])
	case flagValue[int](fs, "batch-size") <= 0:
		return cmd.usageError(std, "--batch-size must be positive")
	}
	cfg, db, ds, kt, code, ok := openWithKeys(ctx, cmd, fs, std)
	if !ok {
		return code
	}
	defer db.Close()
	if len(cfg.BlindIndexes) == 0 {
		return cmd.fail(std, "no blind index is configured: set SQLSEAL_BLIND_INDEXES")
	}
	x, err := indexKeyOf(ctx, kt, cfg.SecretKey)
	if err != nil {
		return cmd.fail(std, "%v", err)
	}
	dry := pos[0] == "status"
	reps, err := indexbuild.Run(ctx, db, indexbuild.Options{
		Family: ds.family, Config: cfg, DataKeys: kt.set(), Index: x,
		BatchSize: flagValue[int](fs, "batch-size"), DryRun: dry,
	})
	if reps != nil {
		if flagValue[bool](fs, "json") {
			err2 := writeJSON(std.out, reps)
			if err == nil && err2 != nil {
				err = err2
			}
		} else {
			writeIndexReport(std.out, reps, dry)
		}
	}
	if err != nil {
		return cmd.fail(std, "%v", err)
	}
	if dry {
		var n int64
		for _, r := range reps {
			n += r.Missing + r.Stale
		}
		if n > 0 {
			return cmd.fail(std, "%d terms are missing or stale; run sqlseal index rebuild", n)
		}
	}
	return exitOK
}

// indexKeyOf returns the key terms are computed with: the key table's
// active index key, or the secret's when there is no key table.
func indexKeyOf(ctx context.Context, kt *keyTable, secret string) (*codec.IndexKey, error) {
	if kt.entries != nil {
		ik, err := keytable.IndexKeysOf(ctx, kt.master, kt.entries)
		if err != nil {
			return nil, err
		}
		if ik == nil {
			return nil, errors.New("the key table has no active index key; make one with sqlseal keys new-index")
		}
		return ik.Active, nil
	}
	if secret == "" {
		return nil, fmt.Errorf("%w: set SQLSEAL_ENCRYPTION_SECRET_KEY or create a key table with an index key", codec.ErrNoKey)
	}
	k, err := codec.DeriveKey(secret)
	if err != nil {
		return nil, err
	}
	return codec.NewSecretIndexKey(k)
}

// writeIndexReport prints one line per blind-indexed column.
func writeIndexReport(w io.Writer, reps []indexbuild.Report, dry bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if dry {
		fmt.Fprintln(tw, "COLUMN\tSIBLING\tROWS\tFRESH\tMISSING\tSTALE\tUNOPENABLE\t")
	} else {
		fmt.Fprintln(tw, "COLUMN\tSIBLING\tROWS\tFRESH\tMISSING\tSTALE\tWRITTEN\tCONFLICTS\tUNOPENABLE\t")
	}
	for _, r := range reps {
		if dry {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t\n", r.Column, r.Sibling, r.Rows, r.Fresh, r.Missing, r.Stale, r.Unopenable)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", r.Column, r.Sibling, r.Rows, r.Fresh, r.Missing, r.Stale, r.Written, r.Conflicts, r.Unopenable)
		}
	}
	tw.Flush()
}

// statusIndexes prints, after status's table, the counts of index status.
func statusIndexes(ctx context.Context, std stdio, db *sql.DB, ds dataSource, cfg config.Config, kt *keyTable) error {
	x, err := indexKeyOf(ctx, kt, cfg.SecretKey)
	if err != nil {
		return err
	}
	reps, err := indexbuild.Run(ctx, db, indexbuild.Options{Family: ds.family, Config: cfg, DataKeys: kt.set(), Index: x, DryRun: true})
	if err != nil && reps == nil {
		return err
	}
	fmt.Fprintln(std.out)
	writeIndexReport(std.out, reps, true)
	return nil
}
