package integration_test

import (
	"database/sql/driver"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// goRowsColumnScanner is Go 1.27's driver.RowsColumnScanner. When the driver.Rows
// that database/sql receives implements it, database/sql scans each column
// through it instead of calling Next with a []driver.Value: a wrapper that
// forwarded it from pgx would hand the application ciphertext (or let pgx
// scan it directly), bypassing the opening that happens in Next.
type goRowsColumnScanner interface {
	ScanColumn(dest any, index int) error
}

// TestDriverRowsDoNotForwardColumnScanner takes the driver.Rows that
// sqlseal hands database/sql, by the query and the prepared statement
// paths, and checks that it cannot be scanned column by column and that
// its Next opens the protected column.
func TestPGDriverRowsDoNotForwardColumnScanner(t *testing.T) {
	p := newPG(t).create("name text, details text")
	db := p.sealed()
	_, err := db.Exec(`INSERT INTO `+p.table+` (name, details) VALUES ($1, $2)`, "one", pgDetails)
	require.NoError(t, err)
	p.requireSealed(1, pgDetails)

	q := `SELECT id, name, details FROM ` + p.table + ` WHERE id = $1`
	args := []driver.NamedValue{{Ordinal: 1, Value: int64(1)}}
	check := func(t *testing.T, rows driver.Rows) {
		t.Helper()
		defer rows.Close()
		_, scans := rows.(goRowsColumnScanner)
		require.False(t, scans, "%T implements ScanColumn: database/sql would bypass opening", rows)
		require.Equal(t, []string{"id", "name", "details"}, rows.Columns())
		dest := make([]driver.Value, 3)
		require.NoError(t, rows.Next(dest))
		require.Equal(t, "one", dest[1])
		require.Equal(t, pgDetails, dest[2])
		require.ErrorIs(t, rows.Next(dest), io.EOF)
	}

	conn, err := db.Conn(p.ctx)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.Raw(func(dc any) error {
		t.Run("QueryContext", func(t *testing.T) {
			qc, ok := dc.(driver.QueryerContext)
			require.True(t, ok, "%T is not a driver.QueryerContext", dc)
			rows, err := qc.QueryContext(p.ctx, q, args)
			require.NoError(t, err)
			check(t, rows)
		})
		t.Run("Stmt.QueryContext", func(t *testing.T) {
			pc, ok := dc.(driver.ConnPrepareContext)
			require.True(t, ok, "%T is not a driver.ConnPrepareContext", dc)
			stmt, err := pc.PrepareContext(p.ctx, q)
			require.NoError(t, err)
			defer stmt.Close()
			sq, ok := stmt.(driver.StmtQueryContext)
			require.True(t, ok, "%T is not a driver.StmtQueryContext", stmt)
			rows, err := sq.QueryContext(p.ctx, args)
			require.NoError(t, err)
			check(t, rows)
		})
		return nil
	}))
}
