package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/rotate"
)

var keysCommand = &command{
	name:     "keys",
	summary:  "manage the data keys of the envelope format (sqlseal_keys)",
	synopsis: "init | list [--json] | new | new-index | rewrap --to URL | retire ID",
	help: `Keys manages the key table, sqlseal_keys, which holds the data keys of the
envelope format (AES-256-GCM values with a key id, bound to their column),
each wrapped by a master key. The master key is SQLSEAL_KEK_URL, a KMS key
(awskms://, gcpkms://, azurekeyvault://, hashivault://, base64key://), or,
when that is unset, a key derived from SQLSEAL_ENCRYPTION_SECRET_KEY.

  init          create the table and its first active data key. From then
                on applications write new values in the envelope format
                (within SQLSEAL_KEY_REFRESH, default 1m); rewrite the
                existing ones with 'sqlseal rotate-encryption-key --online'.
  list          show each key: id, state, master key, when it was made, and
                how many values of each protected column it seals.
  new           make a new active data key; the active one becomes a
                decrypt key. Rewrite values to the new key with
                'sqlseal rotate-encryption-key --online'.
  new-index     make a new active blind-index key (purpose index), the
                root of the terms of SQLSEAL_BLIND_INDEXES; an active one
                becomes a decrypt key, whose terms lookups still match.
                Then recompute the terms with 'sqlseal index rebuild'.
  rewrap --to URL
                wrap every data key under the master key URL names instead
                of the current one, in one transaction, touching no row of
                data. Then set SQLSEAL_KEK_URL to URL everywhere; running
                applications keep the keys they have unwrapped.
  retire ID     retire a decrypt key: it opens nothing from then on.
                Refused while a value of a protected column is sealed
                under it (or does not open at all), while a protected
                column is missing, until the key has been inactive for
                twice SQLSEAL_KEY_REFRESH (set it to the largest interval
                any application uses), and, on PostgreSQL and MySQL, while
                a transaction that began before then is still open.

` + dsnHelp + `
Exit status: 0 done, 1 failure, 2 usage error.
`,
	env: envList(databaseEnv, secretEnv, previousEnv, []string{config.EnvKEKURL, config.EnvKeyRefresh}),
	flags: func(fs *flag.FlagSet) {
		fs.String("dsn", "", "the database (default $"+envDSN+"; see above)")
		fs.Bool("json", false, "list: print the keys as JSON")
		fs.String("to", "", "rewrap: the URL of the new master key")
	},
	run: runKeys,
}

// keysArgs is what each keys subcommand takes besides --dsn.
var keysArgs = map[string]struct {
	args int    // positional arguments after the subcommand
	flag string // a flag it needs, or ""
}{
	"init": {}, "list": {}, "new": {}, "new-index": {}, "rewrap": {flag: "to"}, "retire": {args: 1},
}

func runKeys(ctx context.Context, cmd *command, args []string, std stdio) int {
	fs := cmd.flagSet()
	pos, code, ok := parseArgs(cmd, fs, args, std)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return cmd.usageError(std, "missing subcommand: init, list, new, new-index, rewrap or retire")
	}
	sub, want := pos[0], keysArgs[pos[0]]
	switch {
	case !slices.Contains([]string{"init", "list", "new", "new-index", "rewrap", "retire"}, sub):
		return cmd.usageError(std, "unknown subcommand %q: want init, list, new, new-index, rewrap or retire", sub)
	case len(pos)-1 < want.args:
		return cmd.usageError(std, "%s: missing key id", sub)
	case len(pos)-1 > want.args:
		return cmd.usageError(std, "%s: unexpected argument %q", sub, pos[want.args+1])
	case want.flag != "" && flagValue[string](fs, want.flag) == "":
		return cmd.usageError(std, "%s: missing --%s", sub, want.flag)
	case want.flag == "" && flagValue[string](fs, "to") != "":
		return cmd.usageError(std, "%s: --to is only for rewrap", sub)
	}
	var id uint32
	if sub == "retire" {
		n, err := strconv.ParseUint(pos[1], 10, 32)
		if err != nil || n == 0 {
			return cmd.usageError(std, "keys retire: the key id must be a positive number, as keys list shows it")
		}
		id = uint32(n)
	}
	cfg, db, ds, code, ok := openForCommand(ctx, cmd, fs, std, sub == "init")
	if !ok {
		return code
	}
	defer db.Close()
	k := keysRun{ctx: ctx, db: db, ds: ds, cfg: cfg, std: std}
	var err error
	switch sub {
	case "init":
		err = k.init()
	case "list":
		err = k.list(flagValue[bool](fs, "json"))
	case "new":
		err = k.newKey()
	case "new-index":
		err = k.newIndexKey()
	case "rewrap":
		err = k.rewrap(flagValue[string](fs, "to"))
	case "retire":
		err = k.retire(id)
	}
	if err != nil {
		// "sqlseal keys init: ...", not "sqlseal keys: keys init: ...".
		return (&command{name: cmd.name + " " + sub}).fail(std, "%v", err)
	}
	return exitOK
}

// keysRun is one run of a keys subcommand.
type keysRun struct {
	ctx context.Context
	db  *sql.DB
	ds  dataSource
	cfg config.Config
	std stdio
}

// errNoMaster is the error of a subcommand that needs a master key.
var errNoMaster = errors.New("no master key: set " + config.EnvKEKURL + " or " + config.EnvSecretKey)

// master returns the configured master key.
func (k keysRun) master() (keytable.Flavor, codec.Wrapper, error) {
	f, err := keytable.FlavorOf(string(k.ds.family))
	if err != nil {
		return f, nil, err
	}
	m, err := k.cfg.MasterKey(k.ctx)
	if err != nil {
		return f, nil, err
	}
	if m == nil {
		return f, nil, errNoMaster
	}
	return f, m, nil
}

// inTx runs fn in a transaction and commits it.
func (k keysRun) inTx(fn func(tx *sql.Tx) error) error {
	tx, err := k.db.BeginTx(k.ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (k keysRun) init() error {
	f, m, err := k.master()
	if err != nil {
		return err
	}
	var e keytable.Entry
	err = k.inTx(func(tx *sql.Tx) error {
		e, err = keytable.Init(k.ctx, tx, f, m)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(k.std.out, "created %s: data key %d is active, wrapped by %s.\n", keytable.Table, e.ID, e.KEK)
	fmt.Fprintf(k.std.out, "Applications write new values with it within %s (%s). Rewrite the values written before with:\n  sqlseal rotate-encryption-key --online\n",
		k.cfg.KeyRefreshInterval(), config.EnvKeyRefresh)
	return nil
}

func (k keysRun) newKey() error {
	e, prev, err := k.makeActiveKey(keytable.PurposeData)
	if err != nil {
		return err
	}
	fmt.Fprintf(k.std.out, "data key %d is active", e.ID)
	if prev != nil {
		fmt.Fprintf(k.std.out, "; key %d now only decrypts", prev.ID)
	}
	fmt.Fprintf(k.std.out, ".\nApplications write new values with it within %s. Rewrite the values under older keys with:\n  sqlseal rotate-encryption-key --online\n",
		k.cfg.KeyRefreshInterval())
	return nil
}

// makeActiveKey makes a new active key of purpose in the key table and
// returns it with the key it replaces (nil when there was none). Reading
// the table first checks that the master key unwraps every key: all of
// them must stay under one master key.
func (k keysRun) makeActiveKey(purpose keytable.Purpose) (e keytable.Entry, prev *keytable.Entry, err error) {
	kt, err := readKeyTable(k.ctx, k.db, k.ds, k.cfg)
	if err != nil {
		return e, nil, err
	}
	if kt.entries == nil {
		return e, nil, keytable.ErrNoTable
	}
	if kt.master == nil {
		return e, nil, errNoMaster
	}
	prev, _ = keytable.Active(kt.entries, purpose)
	err = k.inTx(func(tx *sql.Tx) error {
		e, err = keytable.NewKey(k.ctx, tx, kt.flavor, kt.master, purpose)
		return err
	})
	return e, prev, err
}

func (k keysRun) rewrap(toURL string) error {
	f, from, err := k.master()
	if err != nil {
		return err
	}
	to, err := config.Config{KEKURL: toURL}.MasterKey(k.ctx)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	var n int
	err = k.inTx(func(tx *sql.Tx) error {
		n, err = keytable.Rewrap(k.ctx, tx, f, from, to)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(k.std.out, "rewrapped %d keys under %s; no row of data was touched.\n", n, to.ID())
	fmt.Fprintf(k.std.out, "Set %s to the new URL in every application; running ones keep the keys they have unwrapped.\n", config.EnvKEKURL)
	return nil
}

func (k keysRun) retire(id uint32) error {
	kt, rep, err := k.keysAndValues()
	if err != nil {
		return err
	}
	var using []string
	for _, c := range rep.Columns {
		switch {
		case c.Missing:
			return fmt.Errorf("protected column %s does not exist, so its values cannot be checked; set %s to the applications' columns: %w",
				c.Column, config.EnvColumns, keytable.ErrInUse)
		case c.Unopenable > 0:
			return fmt.Errorf("protected column %s holds %d values no configured key opens, which may be under key %d; see sqlseal status: %w",
				c.Column, c.Unopenable, id, keytable.ErrInUse)
		case c.Envelope[id] > 0:
			using = append(using, fmt.Sprintf("%s: %d", c.Column, c.Envelope[id]))
		}
	}
	if len(using) > 0 {
		return fmt.Errorf("key %d still seals values (%s); rewrite them first with sqlseal rotate-encryption-key --online: %w",
			id, strings.Join(using, ", "), keytable.ErrInUse)
	}
	if err := k.checkIndexRetire(kt, id); err != nil {
		return err
	}
	grace := 2 * k.cfg.KeyRefreshInterval()
	err = k.inTx(func(tx *sql.Tx) error {
		return keytable.Retire(k.ctx, tx, kt.flavor, id, grace)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(k.std.out, "key %d is retired: it opens nothing from now on.\n", id)
	return nil
}

// keysAndValues reads the key table, which must exist, and counts the
// values of the protected columns by the key that opens them.
func (k keysRun) keysAndValues() (*keyTable, *rotate.Report, error) {
	kt, err := readKeyTable(k.ctx, k.db, k.ds, k.cfg)
	if err != nil {
		return nil, nil, err
	}
	if kt.entries == nil {
		return nil, nil, keytable.ErrNoTable
	}
	rep, err := rotate.Status(k.ctx, k.db, rotate.StatusOptions{Family: k.ds.family, Config: k.cfg, DataKeys: kt.set(), AllowMissing: true})
	return kt, rep, err
}

// keyListing is the JSON form of keys list.
type keyListing struct {
	Keys    []listedKey `json:"keys"`
	Columns []listedCol `json:"columns"`
}

// listedKey is one key of keys list.
type listedKey struct {
	ID      uint32 `json:"id"`
	Purpose string `json:"purpose"`
	State   string `json:"state"`
	Master  string `json:"master"`
	Created string `json:"created"`
	// Values counts the values each protected column holds under the key.
	Values map[string]int64 `json:"values"`
}

// listedCol counts the values of one protected column by format.
type listedCol struct {
	Column     string `json:"column"`
	Missing    bool   `json:"missing,omitempty"`
	Total      int64  `json:"total"`
	Null       int64  `json:"null"`
	Plaintext  int64  `json:"plaintext"`
	Metabase   int64  `json:"metabase"`
	Unopenable int64  `json:"unopenable"`
}

func (k keysRun) list(asJSON bool) error {
	kt, rep, err := k.keysAndValues()
	if err != nil {
		return err
	}
	var l keyListing
	for _, e := range kt.entries {
		lk := listedKey{ID: e.ID, Purpose: string(e.Purpose), State: string(e.State), Master: e.KEK, Created: e.Created, Values: map[string]int64{}}
		for _, c := range rep.Columns {
			if !c.Missing {
				lk.Values[c.Column] = c.Envelope[e.ID]
			}
		}
		l.Keys = append(l.Keys, lk)
	}
	for _, c := range rep.Columns {
		lc := listedCol{Column: c.Column, Missing: c.Missing, Total: c.Total, Null: c.Null, Plaintext: c.Plaintext, Metabase: c.Primary, Unopenable: c.Unopenable}
		for _, n := range c.Previous {
			lc.Metabase += n
		}
		l.Columns = append(l.Columns, lc)
	}
	if asJSON {
		return writeJSON(k.std.out, l)
	}
	return writeKeyListing(k.std.out, l)
}

// writeKeyListing prints the keys, then the values of each column by key.
func writeKeyListing(w io.Writer, l keyListing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPURPOSE\tSTATE\tMASTER\tCREATED\tVALUES\t")
	for _, k := range l.Keys {
		var n int64
		for _, v := range k.Values {
			n += v
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t\n", k.ID, k.Purpose, k.State, k.Master, k.Created, n)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	header := "COLUMN\t"
	for _, k := range l.Keys {
		header += fmt.Sprintf("KEY %d\t", k.ID)
	}
	fmt.Fprintln(tw, header+"METABASE\tPLAINTEXT\tNULL\tUNOPENABLE\t")
	for _, c := range l.Columns {
		if c.Missing {
			fmt.Fprintf(tw, "%s\t(missing)\t\n", c.Column)
			continue
		}
		line := c.Column + "\t"
		for _, k := range l.Keys {
			line += fmt.Sprintf("%d\t", k.Values[c.Column])
		}
		fmt.Fprintf(tw, "%s%d\t%d\t%d\t%d\t\n", line, c.Metabase, c.Plaintext, c.Null, c.Unopenable)
	}
	return tw.Flush()
}
