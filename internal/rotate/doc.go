// Package rotate re-encrypts the protected columns of a database in place:
// key rotation, turning encryption on for rows stored before a key was set,
// and turning it off. It is the engine behind "sqlseal
// rotate-encryption-key" and "sqlseal status", and behaves like Metabase's
// rotate-encryption-key command.
//
// It works over a *sql.DB of the database's own driver (pgx, MySQL,
// SQLite), never through sqlseal, and addresses rows by primary key:
//
//	db, _ := sql.Open("pgx", dsn)
//	cfg, _ := config.FromEnv() // current and previous keys, columns
//	sum, err := rotate.Rotate(ctx, db, rotate.Options{
//		Family:   rotate.Postgres,
//		Config:    cfg,
//		NewSecret: newSecret, // "" decrypts everything
//		Online:    true,      // batches with compare-and-swap updates
//	})
//	if errors.Is(err, rotate.ErrUnopenable) {
//		for _, o := range sum.Offenders { ... } // column and primary key
//	}
//
// For every value: NULL stays NULL; plaintext is sealed with the new key;
// a sealed value is opened with the current or a previous key and sealed
// with the new one; with NewSecret "" sealed values are written back as
// plaintext; a value already sealed with the new key is left alone, so a
// rotation can be run again at any time and finishes one that was
// interrupted. Rotating to the current key seals the remaining plaintext
// and re-seals values still under previous keys.
//
// Nothing is written if a value looks sealed but opens under no known key:
// such values are listed by table, column and primary key
// (ErrUnopenable). Rows are read in keyset-paginated batches (WHERE key >
// last ORDER BY key LIMIT n), so memory stays flat whatever the table
// size, and each batch is written with one compare-and-swap statement
// (batchsql.go: PostgreSQL UPDATE ... FROM unnest(...), MySQL and MariaDB
// a join against a derived table of the batch, SQLite UPDATE ... FROM
// (VALUES ...)) that writes a row only if it still holds the value read;
// rows that changed since they were read are re-read and retried one by
// one, so concurrent writes are never lost. The next batches are opened
// and sealed while the previous ones are written. Then:
//
//   - By default the rotation is one transaction: all or nothing. The
//     rewrite itself finds the values no key opens: it then writes
//     nothing more, lists them all and rolls back. Writers that touch the
//     same rows wait for it, or make it fail.
//   - Online, a pre-flight pass first checks that every value opens
//     (codec.CheckStored: authenticated, not decrypted), then each batch
//     is its own transaction, written by one of Options.Workers
//     connections while another reads ahead. An interrupted rotation
//     loses nothing: run it again. While it runs, applications must
//     accept both keys: deploy them with the new key as the current key
//     and the old one in SQLSEAL_PREVIOUS_SECRET_KEYS first, rotate, then
//     drop the old key.
//
// Status counts each column's values by the key that opens them. Neither
// function ever puts a value or a key in an error, a Summary or a Report.
package rotate
