package mysql_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestReplaceReturning: MariaDB's REPLACE ... RETURNING seals what it
// writes and opens what it returns. (INSERT and DELETE ... RETURNING are
// writes/returning of the conformance kit.)
func TestReplaceReturning(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	requireMariaDB(e)
	e.Exec("INSERT INTO `"+e.Table+"` (name, details) VALUES (?, ?)", "a", conformance.Details)
	var back string
	require.NoError(t, e.Sealed.QueryRow("REPLACE INTO `"+e.Table+"` (id, details) VALUES (?, ?) RETURNING details", 1, "replaced").Scan(&back))
	require.Equal(t, "replaced", back)
	e.RequireSealed(1, "replaced")
	require.NoError(t, e.Sealed.QueryRow("REPLACE `"+e.Table+"` SET id = ?, name = ?, details = ? RETURNING id, details AS d", 2, "b", "set form").Scan(new(int), &back))
	require.Equal(t, "set form", back)
	e.RequireSealed(2, "set form")
}

// TestReturningRefusals: what sqlseal does not model in a RETURNING
// clause on a protected table is refused and nothing reaches the server.
func TestReturningRefusals(t *testing.T) {
	e := newEnv(t, "name VARCHAR(100), details TEXT")
	requireMariaDB(e)
	for q, args := range map[string][]any{
		"INSERT INTO `" + e.Table + "` (name, details) VALUES (?, ?) RETURNING id = ?":    {"a", conformance.Details, 1},
		"INSERT INTO `" + e.Table + "` (name, details) VALUES (?, ?) /*! RETURNING id */": {"a", conformance.Details},
	} {
		_, err := e.Sealed.Exec(q, args...)
		require.ErrorIs(t, err, sqlseal.ErrRefused, q)
	}
	require.Zero(t, e.Count(e.Table))
}
