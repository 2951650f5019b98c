// Package indexbuild fills and recomputes the sibling columns of blind
// indexes (docs/ENVELOPE.md, "Blind index") in batched, resumable,
// compare-and-swap passes, and counts the rows whose term is missing or
// stale. It works on a handle of the database's own driver, since sqlseal
// refuses writes to a sibling column.
package indexbuild

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/analysis"
	bmysql "github.com/sqlseal/sqlseal/internal/backend/mysql"
	bpostgres "github.com/sqlseal/sqlseal/internal/backend/postgres"
	bsqlite "github.com/sqlseal/sqlseal/internal/backend/sqlite"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/rotate"
)

// ErrUnopenable is wrapped by the error of a pass that met values no
// configured key opens: their terms are left as they are.
var ErrUnopenable = errors.New("values no configured key opens")

// testHookBeforeWrite, when set by a test, runs before each
// compare-and-swap write, between reading the row and writing its term.
var testHookBeforeWrite func(key any)

// DefaultBatchSize is how many rows one transaction of a pass handles when
// Options.BatchSize is zero.
const DefaultBatchSize = 500

// Options configure a pass.
type Options struct {
	// Family is the database's.
	Family rotate.Family
	// Config names the protected columns, their blind indexes and the
	// Metabase keys that open values.
	Config config.Config
	// DataKeys open envelope values; nil without a key table.
	DataKeys *codec.DataKeySet
	// Index computes the terms written.
	Index *codec.IndexKey
	// BatchSize is how many rows one transaction handles.
	BatchSize int
	// DryRun counts without writing (status).
	DryRun bool
}

// Report is what a pass found and did in one blind-indexed column.
type Report struct {
	// Column is the blind-indexed column, Sibling its term column.
	Column  string `json:"column"`
	Sibling string `json:"sibling"`
	// Rows is how many rows the pass read.
	Rows int64 `json:"rows"`
	// Fresh rows hold the term of their value (NULL for NULL).
	Fresh int64 `json:"fresh"`
	// Missing rows have a value but no term; Stale ones a term that is
	// not the value's under the active index key (an older key, another
	// normalization, a write that bypassed sqlseal).
	Missing int64 `json:"missing"`
	Stale   int64 `json:"stale"`
	// Written terms; Conflicts are rows that changed between reading and
	// writing, left to the application's own write (run again to check).
	Written   int64 `json:"written"`
	Conflicts int64 `json:"conflicts"`
	// Unopenable values look sealed but no configured key opens them.
	Unopenable int64 `json:"unopenable"`
}

// column is one blind index to rebuild.
type column struct {
	c       analysis.Column
	sibling string
	norm    config.Normalization
	label   string
	pk      string
	kind    catalog.Kind
}

// Run makes one pass over every blind-indexed column of opts.Config: with
// DryRun it only counts, otherwise it writes the term of every row whose
// term is missing or stale, one transaction per batch, each write
// conditional on the row's value and term being those read (compare and
// swap), so that it never overwrites a write the application made
// meanwhile. A pass interrupted anywhere can be run again.
func Run(ctx context.Context, db *sql.DB, opts Options) ([]Report, error) {
	if opts.Index == nil {
		return nil, fmt.Errorf("sqlseal: no index key: %w", codec.ErrNoKey)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	cols, err := columns(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	ring, err := opts.Config.Keyring()
	if err != nil {
		return nil, err
	}
	var reports []Report
	var unopenable int64
	for _, c := range cols {
		rep, err := pass(ctx, db, opts, ring, c)
		if err != nil {
			return reports, err
		}
		unopenable += rep.Unopenable
		reports = append(reports, rep)
	}
	if unopenable > 0 {
		return reports, fmt.Errorf("sqlseal: %d %w; their terms were left as they are", unopenable, ErrUnopenable)
	}
	return reports, nil
}

var catalogs = map[rotate.Family]struct {
	cat  catalog.Catalog
	fold func(string) string
}{
	rotate.Postgres: {bpostgres.Catalog{}, bpostgres.Backend.FoldIdent},
	rotate.MySQL:    {bmysql.Catalog{}, bmysql.Backend(false).FoldIdent},
	rotate.SQLite:   {bsqlite.Catalog{}, bsqlite.Backend.FoldIdent},
}

// columns resolves the blind indexes of opts: names folded as the driver
// folds them, each table's single-column primary key, each column's kind.
func columns(ctx context.Context, db *sql.DB, opts Options) ([]column, error) {
	fam, ok := catalogs[opts.Family]
	if !ok {
		return nil, fmt.Errorf("sqlseal: unknown database family %q", opts.Family)
	}
	list, err := opts.Config.BlindIndexList()
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var out []column
	for _, x := range list {
		schema, table, name, err := config.ParseColumn(x.Column)
		if err != nil {
			return nil, err
		}
		c := analysis.Column{Table: fam.fold(table), Name: fam.fold(name)}
		if schema != "" {
			c.Schema = fam.fold(schema)
		}
		pk, err := rotate.PrimaryKey(ctx, db, opts.Family, rotate.Table{Schema: c.Schema, Name: c.Table})
		if err != nil {
			return nil, err
		}
		if len(pk) != 1 {
			return nil, fmt.Errorf("sqlseal: blind index on %s: rebuilding needs a table with a single-column primary key (it has %d columns)", c, len(pk))
		}
		var facts catalog.ColumnFacts
		err = conn.Raw(func(dc any) error {
			q, ok := dc.(driver.QueryerContext)
			if !ok {
				return errors.New("sqlseal: the driver connection cannot run queries")
			}
			facts, err = fam.cat.ColumnType(ctx, q, c)
			return err
		})
		if err != nil {
			return nil, err
		}
		if !facts.Exists {
			return nil, fmt.Errorf("sqlseal: protected column %s does not exist", c)
		}
		out = append(out, column{c: c, sibling: fam.fold(x.Sibling), norm: x.Normalize,
			label: keytable.Label(c.Table, c.Name), pk: pk[0], kind: facts.Kind})
	}
	return out, nil
}

// dialect spells what a pass's SQL needs in one family.
type dialect struct {
	quote func(string) string
	ph    func(int) string
	same  string // a null-safe equality operator
}

func dialectOf(f rotate.Family) dialect {
	switch f {
	case rotate.Postgres:
		return dialect{quote: quoteWith(`"`), ph: func(n int) string { return fmt.Sprintf("$%d", n) }, same: "IS NOT DISTINCT FROM"}
	case rotate.MySQL:
		return dialect{quote: quoteWith("`"), ph: func(int) string { return "?" }, same: "<=>"}
	}
	return dialect{quote: quoteWith(`"`), ph: func(int) string { return "?" }, same: "IS"}
}

func quoteWith(q string) func(string) string {
	return func(s string) string { return q + strings.ReplaceAll(s, q, q+q) + q }
}

// pass runs over one column in batches ordered by primary key.
func pass(ctx context.Context, db *sql.DB, opts Options, ring *codec.Keyring, c column) (Report, error) {
	d := dialectOf(opts.Family)
	rep := Report{Column: c.c.String(), Sibling: c.sibling}
	table := d.quote(c.c.Table)
	if c.c.Schema != "" {
		table = d.quote(c.c.Schema) + "." + table
	}
	pk, col, sib := d.quote(c.pk), d.quote(c.c.Name), d.quote(c.sibling)
	first := `SELECT ` + pk + `, ` + col + `, ` + sib + ` FROM ` + table + ` ORDER BY ` + pk + ` LIMIT ` + fmt.Sprint(opts.BatchSize)
	next := `SELECT ` + pk + `, ` + col + `, ` + sib + ` FROM ` + table + ` WHERE ` + pk + ` > ` + d.ph(1) + ` ORDER BY ` + pk + ` LIMIT ` + fmt.Sprint(opts.BatchSize)
	update := `UPDATE ` + table + ` SET ` + sib + ` = ` + d.ph(1) + ` WHERE ` + pk + ` = ` + d.ph(2) +
		` AND ` + col + ` ` + d.same + ` ` + d.ph(3) + ` AND ` + sib + ` ` + d.same + ` ` + d.ph(4)
	var after any
	for {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return rep, err
		}
		n, last, err := batch(ctx, tx, opts, ring, c, &rep, first, next, update, after)
		if err != nil {
			tx.Rollback()
			return rep, fmt.Errorf("sqlseal: rebuilding the blind index of %s: %w", c.c, err)
		}
		if err := tx.Commit(); err != nil {
			return rep, err
		}
		if n < opts.BatchSize {
			return rep, nil
		}
		after = last
	}
}

// row is one row read by a batch.
type row struct {
	key        any
	value, sib any
}

// batch handles the rows after the key after (all from the first when
// nil) in tx; it returns how many it read and the last key.
func batch(ctx context.Context, tx *sql.Tx, opts Options, ring *codec.Keyring, c column, rep *Report, first, next, update string, after any) (int, any, error) {
	var rs *sql.Rows
	var err error
	if after == nil {
		rs, err = tx.QueryContext(ctx, first)
	} else {
		rs, err = tx.QueryContext(ctx, next, after)
	}
	if err != nil {
		return 0, nil, err
	}
	var rows []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.key, &r.value, &r.sib); err != nil {
			rs.Close()
			return 0, nil, err
		}
		rows = append(rows, r)
	}
	if err := rs.Close(); err != nil {
		return 0, nil, err
	}
	for _, r := range rows {
		rep.Rows++
		want, ok := term(opts, ring, c, r.value)
		if !ok {
			rep.Unopenable++
			continue
		}
		have := asBytes(r.sib)
		switch {
		case bytes.Equal(have, want) && (have == nil) == (want == nil):
			rep.Fresh++
			continue
		case have == nil:
			rep.Missing++
		default:
			rep.Stale++
		}
		if opts.DryRun {
			continue
		}
		var w any
		if want != nil {
			w = want
		}
		if testHookBeforeWrite != nil {
			testHookBeforeWrite(r.key)
		}
		res, err := tx.ExecContext(ctx, update, w, r.key, r.value, r.sib)
		if err != nil {
			return 0, nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, nil, err
		} else if n == 1 {
			rep.Written++
		} else {
			rep.Conflicts++
		}
	}
	var last any
	if len(rows) > 0 {
		last = rows[len(rows)-1].key
	}
	return len(rows), last, nil
}

// term returns the term the value v stored in c should have, nil for
// NULL; ok is false when v looks sealed but does not open.
func term(opts Options, ring *codec.Keyring, c column, v any) ([]byte, bool) {
	var pt []byte
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		p, _, err := codec.OpenStoredText(x, c.label, opts.DataKeys, ring)
		switch {
		case err == nil:
			pt = p
		case errors.Is(err, codec.ErrNotSealed):
			pt = []byte(x)
		default:
			return nil, false
		}
	case []byte:
		var p []byte
		var err error
		if c.kind == catalog.KindBinary {
			p, _, err = codec.OpenStored(x, c.label, opts.DataKeys, ring)
		} else {
			p, _, err = codec.OpenStoredText(string(x), c.label, opts.DataKeys, ring)
		}
		switch {
		case err == nil:
			pt = p
		case errors.Is(err, codec.ErrNotSealed):
			pt = x
		default:
			return nil, false
		}
	default:
		return nil, false
	}
	return opts.Index.Term(c.norm.Apply(pt), c.label), true
}

// asBytes returns a stored term as bytes, nil for NULL.
func asBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}
