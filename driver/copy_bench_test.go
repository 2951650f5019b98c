package driver_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/driver"
	"github.com/sqlseal/sqlseal/internal/conformance"
)

// copyBenchRows is how many rows one operation loads.
const copyBenchRows = 10_000

// copyBenchPayload is the 1 KiB value of the protected column.
var copyBenchPayload = strings.Repeat("0123456789abcdef", 64)

// BenchmarkCopyFrom compares driver.CopyFrom through sqlseal, which seals
// the protected column, with plain pgx's CopyFrom of the plaintext into a
// table of the same shape, in the same run: each operation loads
// copyBenchRows rows of (id, name, 1 KiB details) on each side, in
// alternating order, and the tables are emptied between operations
// outside the timing. It reports each side's time per operation and their
// ratio, x-pgx = sqlseal / pgx, for the Metabase format and the envelope
// format (key table), text and bytea columns. x-pgx-sized compares with
// plain pgx loading plaintext as long as the stored ciphertext (base64 is a
// third longer): what sealing costs beyond storing larger values. Commits
// are asynchronous, as in BenchmarkDriver.
//
//	go test -run '^$' -bench BenchmarkCopyFrom -benchtime 20x ./driver/
func BenchmarkCopyFrom(b *testing.B) {
	for _, mode := range copyModes {
		b.Run(mode.name, func(b *testing.B) {
			be := conformance.Postgres(b, mode.opt)
			for _, typ := range []string{"text", "bytea"} {
				b.Run(typ, func(b *testing.B) { benchCopy(b, be, typ) })
			}
		})
	}
}

// benchCopy runs BenchmarkCopyFrom for a details column of type typ.
func benchCopy(b *testing.B, be *conformance.Backend, typ string) {
	ctx := context.Background()
	e := conformance.NewEnv(b, be, "name text, details "+typ)
	plainTable := e.Name("plain")
	e.Create(plainTable, "name text, details "+typ)
	async := func(c *pgx.ConnConfig) { c.RuntimeParams["synchronous_commit"] = "off" }

	sealedDB, err := conformance.OpenPostgres(e, async)
	require.NoError(b, err)
	sealed, err := sealedDB.Conn(ctx)
	require.NoError(b, err)
	defer sealed.Close()
	cfg, err := pgx.ParseConfig(be.DSN)
	require.NoError(b, err)
	async(cfg)
	plain, err := pgx.ConnectConfig(ctx, cfg)
	require.NoError(b, err)
	defer plain.Close(ctx)

	rows := copyRows(typ, copyBenchPayload)
	// sized holds plaintext as long as the ciphertext sqlseal stores, so
	// that x-pgx-sized measures sqlseal's work without the larger values.
	sized := copyRows(typ, strings.Repeat("s", sealedLen(e, typ, len(copyBenchPayload))))
	cols := []string{"id", "name", "details"}
	load := func(isSealed bool) time.Duration {
		return copyOnce(b, isSealed, sealed, plain, e, plainTable, cols, rows)
	}
	loadSized := func() time.Duration {
		d := copyOnce(b, false, sealed, plain, e, plainTable, cols, sized)
		truncate(b, e.Raw, plainTable)
		return d
	}
	load(false)
	load(true)
	e.RequireSealed(1, copyBenchPayload)
	e.RequireSealed(copyBenchRows, copyBenchPayload)
	require.Len(b, conformance.Str(e.RawDetails(1)), len(conformance.Str(sized[0][2])))
	truncate(b, e.Raw, plainTable)
	truncate(b, e.Raw, e.Table)
	timed := func(isSealed bool) time.Duration {
		d := load(isSealed)
		if isSealed {
			truncate(b, e.Raw, e.Table)
		} else {
			truncate(b, e.Raw, plainTable)
		}
		return d
	}

	var plainTime, sizedTime, sealedTime time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			plainTime += timed(false)
			sizedTime += loadSized()
			sealedTime += timed(true)
		} else {
			sealedTime += timed(true)
			sizedTime += loadSized()
			plainTime += timed(false)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(plainTime.Nanoseconds())/float64(b.N), "pgx-ns/op")
	b.ReportMetric(float64(sealedTime.Nanoseconds())/float64(b.N), "sqlseal-ns/op")
	b.ReportMetric(float64(sealedTime)/float64(plainTime), "x-pgx")
	b.ReportMetric(float64(sealedTime)/float64(sizedTime), "x-pgx-sized")
}

// copyRows returns copyBenchRows rows (id, name, details) with details
// payload: a string for a text column, bytes for bytea.
func copyRows(typ, payload string) [][]any {
	var v any = payload
	if typ == "bytea" {
		v = []byte(payload)
	}
	rows := make([][]any, copyBenchRows)
	for i := range rows {
		rows[i] = []any{int32(i + 1), "name", v}
	}
	return rows
}

// sealedLen is the length at rest of n bytes of plaintext sealed in a
// column of type typ.
func sealedLen(e *conformance.Env, typ string, n int) int {
	raw := e.SealedLen(n)
	if typ == "bytea" {
		return raw
	}
	return (raw + 2) / 3 * 4 // base64
}

// copyOnce loads rows into plainTable with plain pgx, or into e.Table
// through sqlseal, and returns how long it took.
func copyOnce(b *testing.B, isSealed bool, sealed *sql.Conn, plain *pgx.Conn, e *conformance.Env, plainTable string, cols []string, rows [][]any) time.Duration {
	ctx := context.Background()
	start := time.Now()
	var n int64
	var err error
	if isSealed {
		n, err = driver.CopyFrom(ctx, sealed, pgx.Identifier{e.Table}, cols, pgx.CopyFromRows(rows))
	} else {
		n, err = plain.CopyFrom(ctx, pgx.Identifier{plainTable}, cols, pgx.CopyFromRows(rows))
	}
	d := time.Since(start)
	if err != nil || n != copyBenchRows {
		b.Fatalf("loading %d rows (sealed %v): %d, %v", copyBenchRows, isSealed, n, err)
	}
	return d
}

// truncate empties table with the plain driver.
func truncate(b *testing.B, raw *sql.DB, table string) {
	if _, err := raw.Exec(`TRUNCATE ` + pgx.Identifier{table}.Sanitize()); err != nil {
		b.Fatal(err)
	}
}
