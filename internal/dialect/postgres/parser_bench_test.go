package postgres

import "testing"

// The parse benchmarks measure the parser back-end this build uses: run them
// with cgo and with CGO_ENABLED=0 (or -tags pgquery_wasm) to compare the
// native libpg_query with libpg_query under wazero. The first call, which
// compiles the WebAssembly module, is made before the timer starts.
var benchTexts = []struct{ name, sql string }{
	{"Insert", `INSERT INTO metabase_database (name, engine, details, created_at, updated_at) VALUES ($1, $2, $3, now(), now()) RETURNING id`},
	{"Select", `SELECT d.id, d.name, d.details FROM metabase_database d JOIN metabase_table t ON t.db_id = d.id WHERE d.engine = 'postgres' AND t.active ORDER BY d.name LIMIT 50`},
}

func BenchmarkParse(b *testing.B) {
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			if _, err := (Parser{}).Parse(bt.sql); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := (Parser{}).Parse(bt.sql); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseParallel parses from GOMAXPROCS goroutines: the WebAssembly
// back-end serialises its calls, the cgo one does not.
func BenchmarkParseParallel(b *testing.B) {
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			if _, err := (Parser{}).Parse(bt.sql); err != nil {
				b.Fatal(err)
			}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := (Parser{}).Parse(bt.sql); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
