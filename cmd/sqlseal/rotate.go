package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/rotate"
)

var rotateCommand = &command{
	name:     "rotate-encryption-key",
	summary:  "re-encrypt the protected columns with a new key or the active data key",
	synopsis: "[flags] [NEW-KEY]",
	help: `Rotate-encryption-key re-encrypts every protected column (SQLSEAL_COLUMNS,
default metabase_database.details) with NEW-KEY, as Metabase's
"MB_ENCRYPTION_SECRET_KEY=old ... rotate-encryption-key new" does:

  - values sealed with the current key (SQLSEAL_ENCRYPTION_SECRET_KEY or
    MB_ENCRYPTION_SECRET_KEY) or a previous key (SQLSEAL_PREVIOUS_SECRET_KEYS)
    are opened and sealed with NEW-KEY; text columns keep base64, binary
    columns raw bytes; NULL stays NULL;
  - plaintext values, saved before a key was set, are sealed with NEW-KEY;
  - values already sealed with NEW-KEY are left alone, so the command can be
    run again, and finishes an interrupted --online run;
  - NEW-KEY "" turns encryption off: every value is written back as plaintext;
  - NEW-KEY equal to the current key seals the remaining plaintext and
    re-seals the values still under previous keys.

Before writing, every value is read. If any looks sealed but no known key
opens it, nothing is written and those rows are listed on standard error by
table, column and primary key. By default the rotation is one transaction,
all or nothing: stop the applications that write these columns first.
--online rotates in batches, one transaction each, with compare-and-swap
updates, so applications can keep running: first deploy them with NEW-KEY as
their key and the old key in SQLSEAL_PREVIOUS_SECRET_KEYS, then rotate, then
drop the old key.

When the database has a key table (sqlseal keys init), give no NEW-KEY:
every value in the Metabase format, under an older data key, or in
plaintext is rewritten in the envelope format under the active data key,
bound to its column; values already under it are left alone. NEW-KEY ""
still turns encryption off. Moving a deployment to the envelope format is
'sqlseal keys init' followed by 'sqlseal rotate-encryption-key --online'.

Each batch is written with one compare-and-swap statement. --workers N
(with --online) writes batches on N connections at once while one more
reads ahead; see the README's "Rotation performance" for sizing
--batch-size and --workers. An interrupted --online run loses nothing:
run it again to finish.

Rows are found by primary key; for a table without one, name a unique
column with --key-column. Progress goes to standard error (a progress bar on
a terminal), the summary to standard output. Keys and values are never
printed.

` + dsnHelp + `
Exit status: 0 done, 1 failure (offenders listed), 2 usage error.
`,
	flags: func(fs *flag.FlagSet) {
		fs.String("dsn", "", "the database (default $"+envDSN+"; see above)")
		fs.Bool("online", false, "rotate in batches, one transaction each, while applications run")
		fs.Int("batch-size", 1000, "rows per batch (and per transaction with --online)")
		fs.Int("workers", 1, "with --online, connections that write batches in parallel")
		fs.Bool("dry-run", false, "check and count what would change; write nothing")
		fs.Bool("json", false, "print the summary as JSON")
		fs.String("key-column", "", "a unique column that identifies rows, for tables without a primary key")
	},
	run: runRotate,
}

// parseArgs parses args with fs, allowing flags after positional arguments
// ("rotate-encryption-key NEW --online"), and returns the positional
// arguments. Arguments after "--" are all positional.
func parseArgs(cmd *command, fs *flag.FlagSet, args []string, std stdio) (pos []string, code int, ok bool) {
	rest := args
	for {
		if code, ok := cmd.parse(fs, rest, math.MaxInt, std); !ok {
			return nil, code, false
		}
		consumed := len(rest) - fs.NArg()
		if consumed > 0 && rest[consumed-1] == "--" {
			return append(pos, fs.Args()...), exitOK, true
		}
		if fs.NArg() == 0 {
			return pos, exitOK, true
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

// flagValue returns the value of a defined flag.
func flagValue[T any](fs *flag.FlagSet, name string) T {
	return fs.Lookup(name).Value.(flag.Getter).Get().(T)
}

func runRotate(ctx context.Context, cmd *command, args []string, std stdio) int {
	fs := cmd.flagSet()
	pos, code, ok := parseArgs(cmd, fs, args, std)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		return cmd.usageError(std, fs, "too many arguments: want only NEW-KEY")
	}
	batch := flagValue[int](fs, "batch-size")
	if batch <= 0 {
		return cmd.usageError(std, fs, "--batch-size must be positive")
	}
	workers := flagValue[int](fs, "workers")
	switch {
	case workers <= 0:
		return cmd.usageError(std, fs, "--workers must be positive")
	case workers > 1 && !flagValue[bool](fs, "online"):
		return cmd.usageError(std, fs, "--workers needs --online: a one-transaction rotation has one connection")
	}
	newKey, haveNew := "", len(pos) == 1
	if haveNew {
		newKey = pos[0]
	}
	if newKey != "" {
		if _, err := codec.DeriveKey(newKey); err != nil {
			if errors.Is(err, codec.ErrKeyTooShort) {
				return cmd.usageError(std, fs, "NEW-KEY must be at least %d characters (see 'sqlseal genkey')", codec.MinSecretLength)
			}
			return cmd.usageError(std, fs, "NEW-KEY: %v", err)
		}
	}
	cfg, db, ds, kt, code, ok := openWithKeys(ctx, cmd, fs, std)
	if !ok {
		return code
	}
	defer db.Close()
	envelope := kt.set().Active() != nil
	switch {
	case envelope && newKey != "":
		return cmd.fail(std, "the database has a key table: values are rewritten to its active data key, so give no NEW-KEY (or \"\" to turn encryption off); to change the master key use sqlseal keys rewrap")
	case !envelope && !haveNew:
		return cmd.usageError(std, fs, `missing NEW-KEY (give "" to turn encryption off)`)
	}

	progress := newProgress(std.err, cmd.name)
	sum, err := rotate.Rotate(ctx, db, rotate.Options{
		Family:    ds.family,
		Config:    cfg,
		NewSecret: newKey,
		DataKeys:  kt.set(),
		Disable:   haveNew && newKey == "",
		KeyColumn: flagValue[string](fs, "key-column"),
		Online:    flagValue[bool](fs, "online"),
		BatchSize: batch,
		Workers:   workers,
		DryRun:    flagValue[bool](fs, "dry-run"),
		Progress:  progress.update,
	})
	progress.finishPhase()
	// The JSON summary is printed on failure too (it lists the
	// offenders); the table only on success.
	var werr error
	switch {
	case sum != nil && flagValue[bool](fs, "json"):
		werr = writeJSON(std.out, sum)
	case sum != nil && err == nil:
		werr = writeRotateSummary(std.out, sum)
	}
	if werr != nil && err == nil {
		return cmd.fail(std, "writing standard output: %v", werr)
	}
	if err != nil {
		switch {
		case errors.Is(err, rotate.ErrUnopenable) && sum != nil:
			listRows(std.err, "no known key opens these values:", sum.Offenders, sum.Unopenable)
			return cmd.fail(std, "%d values look sealed but no known key opens them; nothing was written. Set the key they were sealed with as the current key or in %s, or fix those rows",
				sum.Unopenable, config.EnvPreviousSecretKeys)
		case errors.Is(err, rotate.ErrIncomplete) && sum != nil:
			listRows(std.err, "rows left as they were:", sum.Conflicts, int64(len(sum.Conflicts)))
		}
		return cmd.fail(std, "%v", err)
	}
	return exitOK
}

// listRows prints offending rows, one per line, with how many were left
// out of the list.
func listRows(w io.Writer, title string, rows []rotate.Offender, total int64) {
	fmt.Fprintln(w, title)
	for _, o := range rows {
		fmt.Fprintf(w, "  %s\n", o)
	}
	if total > int64(len(rows)) {
		fmt.Fprintf(w, "  ... and %d more\n", total-int64(len(rows)))
	}
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeRotateSummary prints the summary as a table.
func writeRotateSummary(w io.Writer, s *rotate.Summary) error {
	what := "rotated to the new key"
	if s.DataKey != 0 {
		what = fmt.Sprintf("rotated to data key %d", s.DataKey)
	}
	switch {
	case s.DryRun && s.Disable:
		what = "dry run, nothing written; decrypting would"
	case s.DryRun && s.DataKey != 0:
		what = fmt.Sprintf("dry run, nothing written; rotating to data key %d would", s.DataKey)
	case s.DryRun:
		what = "dry run, nothing written; rotating would"
	case s.Disable:
		what = "encryption turned off"
	}
	verb := "wrote"
	if s.DryRun {
		verb = "write"
	}
	fmt.Fprintf(w, "%s (%s mode): %d rows read, %s %d, in %.2fs (%.0f rows/s)\n", what, s.Mode, s.Rows(), verb, s.Changed(), s.Seconds, s.RowsPerSecond)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tKIND\tTOTAL\tNULL\tSEALED\tRESEALED\tCURRENT\tDECRYPTED\tPLAINTEXT\tRETRIED\tSKIPPED\tCONFLICTS\t")
	for _, c := range s.Columns {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", c.Column, columnKind(c.Kind, c.Missing),
			c.Total, c.Null, c.Sealed, c.Resealed, c.Current, c.Decrypted, c.Plaintext, c.Retried, c.Skipped, c.Conflicts)
	}
	return tw.Flush()
}
