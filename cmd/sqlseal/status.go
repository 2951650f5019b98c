package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/rotate"
)

var statusCommand = &command{
	name:     "status",
	summary:  "count the protected values of a database by the key that opens them",
	synopsis: "[flags]",
	help: `Status reads every protected column (SQLSEAL_COLUMNS, default
metabase_database.details) and counts its values by the key that opens
them. Sealed values no configured key opens are listed on standard error by
table, column and primary key, sorted. It writes nothing and never prints
keys or values.

The report has one row per protected column; the JSON field is in
parentheses:
  KIND        text (base64) or binary (raw bytes); missing when the table or
              column does not exist (kind, missing)
  TOTAL       rows (total)
  NULL        NULL values (null)
  PLAINTEXT   values stored unsealed, as written before a key was set
              (plaintext)
  PRIMARY     values sealed with the current key (primary)
  PREVIOUS    values sealed with each previous key, in the order of
              SQLSEAL_PREVIOUS_SECRET_KEYS: "0,3" (previous)
  ENVELOPE    values in the envelope format by data key id: "1:20,2:5"
              (envelope)
  UNOPENABLE  values that look sealed but no configured key opens
              (unopenable)

A protected column whose table or column does not exist is shown as
missing and fails the command, since it is usually a misspelling in
SQLSEAL_COLUMNS; --allow-missing accepts it, for a table not created yet.

With SQLSEAL_BLIND_INDEXES, it also counts the terms of each blind index
that are fresh, missing or stale (see 'sqlseal index').

` + dsnHelp + `
Exit status: 0 when every value opens (or is plaintext or NULL), 1 when some
value cannot be opened, a protected column is missing, or on failure, 2
usage error.
`,
	env: envList(databaseEnv, secretEnv, previousEnv, []string{config.EnvKEKURL}),
	flags: func(fs *flag.FlagSet) {
		fs.String("dsn", "", "the database (default $"+envDSN+"; see above)")
		fs.Bool("json", false, "print the report as JSON")
		fs.String("key-column", "", "a unique column that identifies rows in the list of unopenable values, for tables without a primary key")
		allowMissingFlag(fs)
	},
	run: runStatus,
}

func runStatus(ctx context.Context, cmd *command, args []string, std stdio) int {
	fs := cmd.flagSet()
	if code, ok := cmd.parse(fs, args, 0, std); !ok {
		return code
	}
	cfg, db, ds, kt, code, ok := openWithKeys(ctx, cmd, fs, std)
	if !ok {
		return code
	}
	defer db.Close()
	rep, err := rotate.Status(ctx, db, rotate.StatusOptions{
		Family: ds.family, Config: cfg, KeyColumn: flagValue[string](fs, "key-column"), DataKeys: kt.set(),
		AllowMissing: flagValue[bool](fs, "allow-missing"),
	})
	missing := errors.Is(err, rotate.ErrMissingColumn) && rep != nil
	if err != nil && !missing {
		return cmd.fail(std, "%v", err)
	}
	sortRows(rep.Offenders)
	if flagValue[bool](fs, "json") {
		err = writeJSON(std.out, rep)
	} else {
		err = writeStatus(std.out, rep)
	}
	if err != nil {
		return cmd.fail(std, "writing standard output: %v", err)
	}
	if !flagValue[bool](fs, "json") && len(cfg.BlindIndexes) > 0 {
		if err := statusIndexes(ctx, std, db, ds, cfg, kt); err != nil {
			return cmd.fail(std, "%v", err)
		}
	}
	if rep.Unopenable > 0 {
		listRows(std.err, "no configured key opens these values:", rep.Offenders, rep.Unopenable)
		code := cmd.fail(std, "%d values look sealed but no configured key opens them", rep.Unopenable)
		if !missing {
			return code
		}
	}
	if missing {
		return missingColumnsFailure(cmd, std, missingNames(rep.Columns, func(c rotate.ColumnStatus) (string, bool) { return c.Column, c.Missing }), "")
	}
	return exitOK
}

// envelopeCounts prints the envelope values of a column by data key id:
// "1:20,2:5", or "-" when there are none.
func envelopeCounts(byKey map[uint32]int64) string {
	if len(byKey) == 0 {
		return "-"
	}
	ids := slices.Sorted(maps.Keys(byKey))
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%d:%d", id, byKey[id])
	}
	return strings.Join(parts, ",")
}

// columnKind is the KIND cell of a column of a table the commands print:
// its kind, or missing when the column does not exist.
func columnKind(kind string, missing bool) string {
	if missing {
		return "missing"
	}
	return kind
}

// writeStatus prints the report as a table.
func writeStatus(w io.Writer, r *rotate.Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tKIND\tTOTAL\tNULL\tPLAINTEXT\tPRIMARY\tPREVIOUS\tENVELOPE\tUNOPENABLE\t")
	for _, c := range r.Columns {
		prev := "-"
		if len(c.Previous) > 0 {
			parts := make([]string, len(c.Previous))
			for i, n := range c.Previous {
				parts[i] = fmt.Sprint(n)
			}
			prev = strings.Join(parts, ",")
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d\t\n", c.Column, columnKind(c.Kind, c.Missing), c.Total, c.Null, c.Plaintext, c.Primary, prev, envelopeCounts(c.Envelope), c.Unopenable)
	}
	return tw.Flush()
}
