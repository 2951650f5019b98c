package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestIndexScripts runs the blind index scenarios in testdata/index/*.txt
// once per database ($DSN), on the table of scriptParams; $TERM_TYPE is
// the database's type for a sibling column.
func TestIndexScripts(t *testing.T) {
	types := map[string]string{"PG_DSN": "bytea", "MYSQL_DSN": "VARBINARY(33)", "SQLITE_DSN": "BLOB"}
	for _, name := range []string{"PG_DSN", "MYSQL_DSN", "SQLITE_DSN"} {
		t.Run(name, func(t *testing.T) {
			p := scriptParams(t, "testdata/index", name)
			setup := p.Setup
			p.Setup = func(env *testscript.Env) error {
				env.Setenv("TERM_TYPE", types[name])
				return setup(env)
			}
			testscript.Run(t, p)
		})
	}
}
