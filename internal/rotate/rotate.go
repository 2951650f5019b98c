package rotate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sqlseal/sqlseal/internal/catalog"
)

// maxListed bounds the offenders and conflicts a Summary or Report lists;
// the counts are exact.
const maxListed = 1000

// testHookBeforeWrite, when set by a test, runs before the first
// compare-and-swap update of each row, between reading and writing it.
var testHookBeforeWrite func(column string, key []any)

// rotation is one run of Rotate.
type rotation struct {
	opts    Options
	keys    *keys
	cat     catalog.Catalog
	batch   int
	retries int
	sum     *Summary

	done, total int64 // progress of the current phase

	// collectBad makes the one-transaction mode, which has no separate
	// pre-flight pass, look for every unopenable value instead of stopping
	// at the first; failed reports that one was found, after which nothing
	// more is written and the transaction is rolled back.
	collectBad, failed bool
}

// Rotate re-encrypts the protected columns of db with opts.NewSecret.
//
// db must be a handle of the database's own driver ("pgx", "mysql",
// "sqlite"), not of sqlseal, which would open values itself. For every
// configured column, NULL stays NULL; plaintext is sealed with the new key
// (left as it is when the new secret is ""); a sealed value is opened with
// the current or a previous key and sealed with the new key (written as
// plaintext when the new secret is ""); a value already sealed with the new
// key is left alone, so running Rotate again is harmless and finishes an
// interrupted online rotation. Text columns keep base64, binary columns
// raw bytes. Rows are addressed by the table's primary key, or by
// opts.KeyColumn.
//
// A new secret that is too short is refused before anything is read
// (codec.ErrKeyTooShort). Nothing is written if any value looks sealed
// but opens under no known key: the error wraps ErrUnopenable and the
// Summary lists the offenders by column and primary key. With opts.Online
// (and for opts.DryRun) a pre-flight pass checks every value first
// (codec.CheckStored: authenticated, not decrypted), then the values are
// rewritten in one transaction per batch. Otherwise the rotation is one
// transaction and one pass: an unopenable value stops the writing, the
// pass goes on to list the others, and the transaction is rolled back.
// Either way each batch is written with one compare-and-swap statement
// (casBatch) and rows that changed since they were read are retried one
// by one.
//
// A configured column that does not exist is refused before anything is
// read (ErrMissingColumn), unless opts.AllowMissing.
//
// The Summary is returned with the error whenever values were read, or a
// column is missing, so that offenders can be reported.
func Rotate(ctx context.Context, db *sql.DB, opts Options) (*Summary, error) {
	start := time.Now()
	k, err := newKeys(opts.Config, opts.NewSecret, opts.DataKeys, opts.Disable)
	if err != nil {
		return nil, err
	}
	r := &rotation{opts: opts, keys: k, cat: opts.Catalog, batch: opts.BatchSize, retries: opts.MaxRetries}
	if r.cat == nil {
		if r.cat, err = catalogFor(opts.Family); err != nil {
			return nil, err
		}
	}
	if opts.Workers < 0 {
		return nil, fmt.Errorf("sqlseal: %d workers: must be positive", opts.Workers)
	}
	switch {
	case r.batch < 0:
		return nil, fmt.Errorf("sqlseal: batch size %d: must be positive", r.batch)
	case r.batch == 0:
		r.batch = defaultBatchSize
	}
	if r.retries <= 0 {
		r.retries = defaultMaxRetries
	}

	jobs, missing, err := plan(ctx, db, planOptions{
		family: opts.Family, catalog: r.cat, columns: opts.Config.ColumnList(),
		keyColumn: opts.KeyColumn, batch: r.batch, needKey: true,
	})
	if err != nil {
		return nil, err
	}
	r.sum = &Summary{Mode: "transaction", DryRun: opts.DryRun, Disable: !k.sealing()}
	if k.active != nil {
		r.sum.DataKey = k.active.ID()
	}
	if opts.Online {
		r.sum.Mode = "online"
	}
	r.sum.Columns = make([]ColumnSummary, len(jobs))
	for i, j := range jobs {
		r.sum.Columns[i] = ColumnSummary{Column: j.name, Missing: missing[i]}
		if !missing[i] {
			r.sum.Columns[i].Kind = kindName(j.kind)
		}
	}
	r.sum.Workers = 1
	if opts.Online {
		r.sum.Workers = max(opts.Workers, 1)
	}
	defer func() {
		r.sum.Seconds = time.Since(start).Seconds()
		if r.sum.Seconds > 0 {
			r.sum.RowsPerSecond = float64(r.sum.Rows()) / r.sum.Seconds
		}
	}()
	if !opts.AllowMissing {
		if err := missingError(jobs, missing); err != nil {
			return r.sum, err
		}
	}

	for i, j := range jobs {
		if !missing[i] {
			if j.cas, err = newCASBatch(ctx, db, opts.Family, r.cat, j); err != nil {
				return nil, err
			}
		}
	}

	if !opts.Online && !opts.DryRun {
		// One pass: the transaction rolls back if any value does not
		// open, so nothing is written without a separate check.
		err = r.transactionChecked(ctx, db, jobs, missing)
	} else {
		err = r.checkThenRotate(ctx, db, jobs, missing)
	}
	if err != nil {
		return r.sum, err
	}
	if len(r.sum.Conflicts) > 0 {
		return r.sum, fmt.Errorf("%w: %d rows left as they were, run the rotation again: %s",
			ErrIncomplete, r.conflictCount(), listOffenders(r.sum.Conflicts, r.conflictCount()))
	}
	return r.sum, nil
}

// checkThenRotate runs the pre-flight pass, then, unless a value does not
// open or this is a dry run, the online rotation.
func (r *rotation) checkThenRotate(ctx context.Context, db *sql.DB, jobs []*job, missing []bool) error {
	planned, err := r.check(ctx, db, jobs, missing)
	if err != nil {
		return err
	}
	if r.sum.Unopenable > 0 {
		return offendersError(r.sum.Offenders, r.sum.Unopenable, "nothing was written")
	}
	if r.opts.DryRun {
		r.sum.Columns = planned
		return nil
	}
	r.done, r.total = 0, 0
	for _, c := range planned {
		r.total += c.Total
	}
	r.report(PhaseRotate)
	if r.opts.Online {
		return r.online(ctx, db, jobs, missing)
	}
	return r.transaction(ctx, db, jobs, missing)
}

// conflictCount is the number of rows left behind.
func (r *rotation) conflictCount() int64 {
	var n int64
	for _, c := range r.sum.Columns {
		n += c.Conflicts
	}
	return n
}

// offendersError reports unopenable values by column and key.
func offendersError(list []Offender, n int64, what string) error {
	return fmt.Errorf("%w: %d values look sealed but no known key opens them (%s): %s; set the key they were sealed with as the current key or in SQLSEAL_PREVIOUS_SECRET_KEYS",
		ErrUnopenable, n, what, listOffenders(list, n))
}

// listOffenders joins list for an error message, at most 20 entries.
func listOffenders(list []Offender, n int64) string {
	const shown = 20
	var parts []string
	for i, o := range list {
		if i == shown {
			break
		}
		parts = append(parts, o.String())
	}
	s := strings.Join(parts, "; ")
	if n > int64(len(parts)) {
		s += fmt.Sprintf("; and %d more", n-int64(len(parts)))
	}
	return s
}

// report calls the progress callback.
func (r *rotation) report(phase Phase) {
	if r.opts.Progress != nil {
		r.opts.Progress(Progress{Phase: phase, Done: r.done, Total: max(r.total, r.done)})
	}
}

// check is the pre-flight pass: it reads every value of every column,
// counts what a rotation would do and records the values no key opens.
func (r *rotation) check(ctx context.Context, db *sql.DB, jobs []*job, missing []bool) ([]ColumnSummary, error) {
	planned := make([]ColumnSummary, len(jobs))
	copy(planned, r.sum.Columns)
	if r.opts.Progress != nil {
		for i, j := range jobs {
			if missing[i] {
				continue
			}
			var n int64
			if err := db.QueryRowContext(ctx, j.countSQL).Scan(&n); err != nil {
				return nil, fmt.Errorf("sqlseal: counting the rows of %s: %w", j.name, err)
			}
			r.total += n
		}
	}
	r.report(PhaseCheck)
	for i, j := range jobs {
		if missing[i] {
			continue
		}
		if err := r.checkColumn(ctx, db, j, &planned[i]); err != nil {
			return nil, err
		}
	}
	r.report(PhaseCheck)
	return planned, nil
}

// count adds one value handled with action a.
func (c *ColumnSummary) count(a action) {
	c.Total++
	switch a {
	case actNull:
		c.Null++
	case actSeal:
		c.Sealed++
	case actReseal:
		c.Resealed++
	case actCurrent:
		c.Current++
	case actDecrypt:
		c.Decrypted++
	case actPlaintext:
		c.Plaintext++
	case actBad:
		c.Conflicts++
	}
}

// add adds the counts of o to c.
func (c *ColumnSummary) add(o ColumnSummary) {
	c.Total += o.Total
	c.Null += o.Null
	c.Sealed += o.Sealed
	c.Resealed += o.Resealed
	c.Current += o.Current
	c.Decrypted += o.Decrypted
	c.Plaintext += o.Plaintext
	c.Retried += o.Retried
	c.Skipped += o.Skipped
	c.Conflicts += o.Conflicts
}

// scan streams every row of j's table to fn (key values, protected
// value). The key values are only valid during the call.
func scan(ctx context.Context, db *sql.DB, j *job, fn func(key []any, v value)) error {
	rows, err := db.QueryContext(ctx, j.scanSQL)
	if err != nil {
		return fmt.Errorf("sqlseal: reading %s: %w", j.name, err)
	}
	defer rows.Close()
	key := make([]any, len(j.keys))
	dest := make([]any, len(j.keys)+1)
	for i := range key {
		dest[i] = &key[i]
	}
	var v value
	dest[len(key)] = &v
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("sqlseal: reading %s: %w", j.name, err)
		}
		fn(key, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlseal: reading %s: %w", j.name, err)
	}
	return nil
}

// row is one row of a batch.
type row struct {
	key []any
	val value
}

// readBatch reads the next batch of j's rows in key order, after the key
// after (nil: from the start).
func readBatch(ctx context.Context, q Queryer, j *job, after []any) ([]row, error) {
	query, args := j.firstSQL, []any(nil)
	if after != nil {
		query, args = j.nextSQL, after
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlseal: reading %s: %w", j.name, err)
	}
	defer rows.Close()
	batch := make([]row, 0, j.batch)
	dest := make([]any, len(j.keys)+1)
	for rows.Next() {
		rw := row{key: make([]any, len(j.keys))}
		for i := range rw.key {
			dest[i] = &rw.key[i]
		}
		dest[len(j.keys)] = &rw.val
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("sqlseal: reading %s: %w", j.name, err)
		}
		batch = append(batch, rw)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlseal: reading %s: %w", j.name, err)
	}
	return batch, nil
}

// transaction rewrites every column in one transaction, batch by batch.
func (r *rotation) transaction(ctx context.Context, db *sql.DB, jobs []*job, missing []bool) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlseal: beginning the transaction: %w", err)
	}
	defer tx.Rollback()
	counts := make([]ColumnSummary, len(jobs))
	for i, j := range jobs {
		if missing[i] {
			continue
		}
		if err := lock(ctx, tx, j); err != nil {
			return err
		}
		if err := r.transactionColumn(ctx, tx, j, &counts[i]); err != nil {
			return err
		}
	}
	if r.failed {
		// tx rolls back: nothing was written.
		return offendersError(r.sum.Offenders, r.sum.Unopenable, "nothing was written")
	}
	if len(r.sum.Conflicts) > 0 {
		// All or nothing: rows that kept changing under the transaction
		// roll everything back.
		for i := range counts {
			r.sum.Columns[i].Conflicts = counts[i].Conflicts
		}
		return fmt.Errorf("%w: rows kept changing while the transaction ran; nothing was written: %s",
			ErrIncomplete, listOffenders(r.sum.Conflicts, int64(len(r.sum.Conflicts))))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlseal: committing: %w", err)
	}
	for i := range counts {
		r.sum.Columns[i].add(counts[i])
	}
	return nil
}

// batchDone records the conflicts and the progress of a batch of j, whose
// counts the caller has taken, and reports the progress. It tells whether
// j may have rows after the batch: a batch shorter than j.batch was its
// last.
func (r *rotation) batchDone(j *job, res batchResult) bool {
	r.sum.Conflicts = appendListed(r.sum.Conflicts, res.conflicts)
	r.done += int64(res.n)
	r.report(PhaseRotate)
	return res.n >= j.batch
}

// lock takes SQLite's write lock at the start of tx (see job.lockSQL).
func lock(ctx context.Context, tx *sql.Tx, j *job) error {
	if j.lockSQL == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, j.lockSQL); err != nil {
		return fmt.Errorf("sqlseal: locking the database to rotate %s: %w", j.name, err)
	}
	return nil
}

// appendListed appends add to list up to maxListed entries.
func appendListed(list, add []Offender) []Offender {
	for _, o := range add {
		if len(list) >= maxListed {
			break
		}
		list = append(list, o)
	}
	return list
}

// retryable reports whether err is a transient transaction failure: a
// deadlock, a serialization failure, a lock wait timeout or a busy SQLite
// database.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01" || pg.Code == "55P03"
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1213 || my.Number == 1205
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}
