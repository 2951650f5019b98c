package indexbuild

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/keytable"
	"github.com/sqlseal/sqlseal/internal/rotate"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

const secret = "indexbuild-test-secret-0123456789"

// A pass counts fresh, missing and stale terms, writes the missing and
// stale ones, never overwrites a row the application changed between its
// read and its write (compare and swap), and a second pass finishes.
func TestRunCompareAndSwap(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("pgx", testdb.IsolatedPostgres(t))
	require.NoError(t, err)
	defer db.Close()
	k, err := codec.DeriveKey(secret)
	require.NoError(t, err)
	x, err := codec.NewSecretIndexKey(k)
	require.NoError(t, err)
	term := func(v string) []byte { return x.Term([]byte(v), keytable.Label("accounts", "token")) }
	sealed, err := codec.NewKeyring(k).SealText([]byte("sealed-3"))
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE accounts (id int PRIMARY KEY, token text, token_bidx bytea)`)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO accounts VALUES (1, NULL, NULL), (2, 'plain-2', NULL), (3, $1, NULL), (4, 'plain-4', $2), (5, 'plain-5', $3)`,
		sealed, term("other"), term("plain-5"))
	require.NoError(t, err)

	opts := Options{Family: rotate.Postgres, Index: x, BatchSize: 2, DryRun: true,
		Config: config.Config{SecretKey: secret, Columns: []string{"accounts.token"}, BlindIndexes: []string{"accounts.token:token_bidx"}}}
	reps, err := Run(ctx, db, opts)
	require.NoError(t, err)
	require.Equal(t, []Report{{Column: "accounts.token", Sibling: "token_bidx", Rows: 5, Fresh: 2, Missing: 2, Stale: 1}}, reps)

	// The application rewrites row 2 (and its term, through sqlseal)
	// between the pass's read and its write.
	testHookBeforeWrite = func(key any) {
		if key == int64(2) || key == int32(2) {
			_, err := db.Exec(`UPDATE accounts SET token = 'app-2', token_bidx = $1 WHERE id = 2`, term("app-2"))
			require.NoError(t, err)
		}
	}
	defer func() { testHookBeforeWrite = nil }()
	opts.DryRun = false
	reps, err = Run(ctx, db, opts)
	require.NoError(t, err)
	require.Equal(t, []Report{{Column: "accounts.token", Sibling: "token_bidx", Rows: 5, Fresh: 2, Missing: 2, Stale: 1, Written: 2, Conflicts: 1}}, reps)
	testHookBeforeWrite = nil

	want := map[int][]byte{1: nil, 2: term("app-2"), 3: term("sealed-3"), 4: term("plain-4"), 5: term("plain-5")}
	for id, w := range want {
		var got []byte
		require.NoError(t, db.QueryRow(`SELECT token_bidx FROM accounts WHERE id = $1`, id).Scan(&got))
		require.Equal(t, w, got, "row %d", id)
	}
	reps, err = Run(ctx, db, opts)
	require.NoError(t, err)
	require.Equal(t, []Report{{Column: "accounts.token", Sibling: "token_bidx", Rows: 5, Fresh: 5}}, reps)
}
