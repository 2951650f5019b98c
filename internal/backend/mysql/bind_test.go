package mysql

import (
	"database/sql/driver"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// go-sql-driver/mysql binds the n-th ? to the n-th argument, and rejects
// an argument list with any name, binding nothing.
func TestBind(t *testing.T) {
	args := []driver.NamedValue{{Ordinal: 1, Value: "a"}, {Ordinal: 2, Value: "b"}}
	require.Equal(t, 1, bind(query.Param{Ordinal: 2}, args))
	require.Equal(t, -1, bind(query.Param{Ordinal: 3}, args))
	args[0].Name = "x"
	require.Equal(t, -1, bind(query.Param{Ordinal: 2}, args))
}
