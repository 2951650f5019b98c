package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/rotate"
)

var rotateCommand = &command{
	name:     "rotate-encryption-key",
	summary:  "re-encrypt the protected columns with a new key or the active data key",
	synopsis: "[flags] [NEW-KEY | -]",
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

NEW-KEY comes from exactly one of: the argument (visible in ps and shell
history), "-" to read it from standard input, --new-key-file PATH, or
SQLSEAL_NEW_ENCRYPTION_SECRET_KEY; a file or standard input loses one
trailing newline. "" turns encryption off and is only taken as an argument.

A protected column whose table or column does not exist is refused before
anything is read, since it is usually a misspelling in SQLSEAL_COLUMNS (a
rotation that skipped it would leave the real column under the old key);
--allow-missing skips it, for a table not created yet.

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
printed; rows are listed by table, column and key, sorted.

The summary counts, per protected column, what the rotation did (with
--dry-run: would do) to each row; the JSON field is in parentheses:
  TOTAL       rows read (total)
  NULL        NULL values, left as they are (null)
  ENCRYPTED   plaintext values, now sealed under the new key (sealed)
  RE-SEALED   values under another key, opened and sealed under the new key
              (resealed)
  UP-TO-DATE  values already under the new key, left as they are (current)
  DECRYPTED   sealed values written back as plaintext; NEW-KEY "" (decrypted)
  LEFT-PLAIN  plaintext values left as they are; NEW-KEY "" (plaintext)
  RETRIED     --online: rows changed by an application between read and
              write, read again and rotated (retried)
  SKIPPED     --online: rows deleted while the rotation ran (skipped)
  CONFLICTS   --online: rows that kept changing, left as they were; run the
              command again (conflicts)
The new key is NEW-KEY, or the active data key with a key table. When
NEW-KEY is the current key, the summary says "re-sealed under the current
key".

` + dsnHelp + `
Exit status: 0 done, 1 failure (offenders listed), 2 usage error.
`,
	env: envList(databaseEnv, []string{envNewSecret}, secretEnv, previousEnv, []string{config.EnvKEKURL}),
	flags: func(fs *flag.FlagSet) {
		fs.String("dsn", "", "the database (default $"+envDSN+"; see above)")
		fs.Bool("online", false, "rotate in batches, one transaction each, while applications run")
		fs.Int("batch-size", 1000, "rows per batch (and per transaction with --online)")
		fs.Int("workers", 1, "with --online, connections that write batches in parallel")
		fs.Bool("dry-run", false, "check and count what would change; write nothing")
		fs.Bool("json", false, "print the summary as JSON")
		fs.String("key-column", "", "a unique column that identifies rows, for tables without a primary key")
		fs.String("new-key-file", "", "read NEW-KEY from this file (one trailing newline is removed)")
		allowMissingFlag(fs)
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
		return cmd.usageError(std, "too many arguments: want only NEW-KEY")
	}
	batch := flagValue[int](fs, "batch-size")
	if batch <= 0 {
		return cmd.usageError(std, "--batch-size must be positive")
	}
	workers := flagValue[int](fs, "workers")
	switch {
	case workers <= 0:
		return cmd.usageError(std, "--workers must be positive")
	case workers > 1 && !flagValue[bool](fs, "online"):
		return cmd.usageError(std, "--workers needs --online: a one-transaction rotation has one connection")
	}
	nk, usage, err := readNewKey(pos, flagValue[string](fs, "new-key-file"), std)
	switch {
	case err != nil && usage:
		return cmd.usageError(std, "%v", err)
	case err != nil:
		return cmd.fail(std, "%v", err)
	}
	newKey, haveNew := nk.secret, nk.given
	if newKey != "" {
		if _, err := codec.DeriveKey(newKey); err != nil {
			if errors.Is(err, codec.ErrKeyTooShort) {
				return cmd.usageError(std, "%s must be at least %d characters (see 'sqlseal genkey')", nk.source, codec.MinSecretLength)
			}
			return cmd.usageError(std, "%s: %v", nk.source, err)
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
		return cmd.usageError(std, `missing NEW-KEY: give it as an argument, "-" to read it from standard input, --new-key-file or %s ("" turns encryption off)`, envNewSecret)
	}

	progress := newProgress(std.err, cmd.name)
	sum, err := rotate.Rotate(ctx, db, rotate.Options{
		Family:       ds.family,
		Config:       cfg,
		NewSecret:    newKey,
		DataKeys:     kt.set(),
		Disable:      haveNew && newKey == "",
		KeyColumn:    flagValue[string](fs, "key-column"),
		AllowMissing: flagValue[bool](fs, "allow-missing"),
		Online:       flagValue[bool](fs, "online"),
		BatchSize:    batch,
		Workers:      workers,
		DryRun:       flagValue[bool](fs, "dry-run"),
		Progress:     progress.update,
	})
	progress.finishPhase()
	// The JSON summary is printed on failure too (it lists the
	// offenders); the table only on success.
	if sum != nil {
		sortRows(sum.Offenders)
		sortRows(sum.Conflicts)
	}
	var werr error
	switch {
	case sum != nil && flagValue[bool](fs, "json"):
		werr = writeJSON(std.out, sum)
	case sum != nil && err == nil:
		werr = writeRotateSummary(std.out, sum, newKey != "" && newKey == cfg.SecretKey)
	}
	if werr != nil && err == nil {
		return cmd.fail(std, "writing standard output: %v", werr)
	}
	if err != nil {
		switch {
		case errors.Is(err, rotate.ErrMissingColumn) && sum != nil:
			return missingColumnsFailure(cmd, std, missingNames(sum.Columns, func(c rotate.ColumnSummary) (string, bool) { return c.Column, c.Missing }), "; nothing was read or written")
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

// listRows prints offending rows, one per line, in sortRows order, with
// how many were left out of the list.
func listRows(w io.Writer, title string, rows []rotate.Offender, total int64) {
	sortRows(rows)
	fmt.Fprintln(w, title)
	for _, o := range rows {
		fmt.Fprintf(w, "  %s\n", o)
	}
	if total > int64(len(rows)) {
		fmt.Fprintf(w, "  ... and %d more\n", total-int64(len(rows)))
	}
}

// sortRows sorts rows by column, then key, so that lists do not depend on
// the order the database returned them in; a shorter key sorts first, so
// id=9 comes before id=10.
func sortRows(rows []rotate.Offender) {
	slices.SortFunc(rows, func(a, b rotate.Offender) int {
		return cmp.Or(cmp.Compare(a.Column, b.Column), cmp.Compare(len(a.Key), len(b.Key)), cmp.Compare(a.Key, b.Key))
	})
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeRotateSummary prints the summary as a table. reseal says that the
// new key is the current key.
func writeRotateSummary(w io.Writer, s *rotate.Summary, reseal bool) error {
	what := "rotated to the new key"
	switch {
	case s.DataKey != 0:
		what = fmt.Sprintf("rotated to data key %d", s.DataKey)
	case reseal:
		what = "re-sealed under the current key"
	}
	switch {
	case s.DryRun && s.Disable:
		what = "dry run, nothing written; decrypting would"
	case s.DryRun && s.DataKey != 0:
		what = fmt.Sprintf("dry run, nothing written; rotating to data key %d would", s.DataKey)
	case s.DryRun && reseal:
		what = "dry run, nothing written; re-sealing under the current key would"
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
	fmt.Fprintln(tw, "COLUMN\tKIND\tTOTAL\tNULL\tENCRYPTED\tRE-SEALED\tUP-TO-DATE\tDECRYPTED\tLEFT-PLAIN\tRETRIED\tSKIPPED\tCONFLICTS\t")
	for _, c := range s.Columns {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", c.Column, columnKind(c.Kind, c.Missing),
			c.Total, c.Null, c.Sealed, c.Resealed, c.Current, c.Decrypted, c.Plaintext, c.Retried, c.Skipped, c.Conflicts)
	}
	return tw.Flush()
}
