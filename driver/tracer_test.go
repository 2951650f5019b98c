package driver_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// sqlRecorder is a pgx.QueryTracer that keeps the SQL and arguments pgx
// sends, as a tracing library such as otelpgx records them.
type sqlRecorder struct {
	mu   sync.Mutex
	seen strings.Builder
}

func (r *sqlRecorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(&r.seen, d.SQL)
	for _, a := range d.Args {
		fmt.Fprintf(&r.seen, "%v\n", a)
	}
	return ctx
}

func (r *sqlRecorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *sqlRecorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen.String()
}

// A tracer inside sqlseal (pgx's ConnConfig.Tracer) records the sealed
// statements: the protected values written, as a literal or an argument,
// reach it as ciphertext only (README, "Logging, metrics and tracing").
func TestTracerInsideSeesSealedSQL(t *testing.T) {
	e := newEnv(t, "name text, details text")
	rec := &sqlRecorder{}
	db, err := conformance.OpenPostgres(e, func(c *pgx.ConnConfig) { c.Tracer = rec })
	require.NoError(t, err)
	const literal, param = "literal-secret-5d1e", "param-secret-8c2a"
	_, err = db.Exec(`INSERT INTO ` + e.Table + ` (name, details) VALUES ('a', '` + literal + `')`)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO `+e.Table+` (name, details) VALUES ($1, $2)`, "b", param)
	require.NoError(t, err)
	e.RequireSealed(1, literal)
	e.RequireSealed(2, param)
	require.Equal(t, [][]string{{literal}, {param}}, conformance.Rows(t, db, `SELECT details FROM `+e.Table+` ORDER BY id`))

	seen := rec.String()
	require.Contains(t, seen, `INSERT INTO `+e.Table+` (name, details) VALUES ('a', '`, "the tracer recorded the statements")
	require.NotContains(t, seen, literal)
	require.NotContains(t, seen, param)
}
