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
// Before writing anything, a pre-flight pass reads every value; values that
// look sealed but open under no known key are listed by table, column and
// primary key, and nothing is written (ErrUnopenable). Then:
//
//   - By default the rotation is one transaction: all or nothing. Rows are
//     read in keyset-paginated batches (WHERE key > last ORDER BY key
//     LIMIT n), so memory stays flat whatever the table size. Writers
//     that touch the same rows wait for it, or make it fail.
//   - Online, each batch is its own transaction and every row is written
//     with a compare-and-swap update (UPDATE ... WHERE key = $k AND col IS
//     NOT DISTINCT FROM $old); a row that changed since it was read is
//     re-read and retried, so concurrent writes are never lost. While it
//     runs, applications must accept both keys: deploy them with the new
//     key as the current key and the old one in
//     SQLSEAL_PREVIOUS_SECRET_KEYS first, rotate, then drop the old key.
//
// Status counts each column's values by the key that opens them. Neither
// function ever puts a value or a key in an error, a Summary or a Report.
package rotate
