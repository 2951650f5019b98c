package postgres

import (
	"strings"
	"testing"
)

// TestParserTrap: text nested deeper than the parser can take is refused
// with an error that quotes no SQL, and the parser keeps working. The
// WebAssembly back-end traps on it (a stack overflow, a syntax error here);
// the cgo back-end reports it (protobuf's recursion limit).
func TestParserTrap(t *testing.T) {
	var p Parser
	deep := "SELECT " + strings.Repeat("1+", 6000) + "1"
	if _, err := p.Parse(deep); err == nil {
		t.Fatal("deep text: no error")
	} else if strings.Contains(err.Error(), "1+1") {
		t.Fatalf("error quotes the SQL: %v", err)
	} else {
		t.Log(err)
	}
	for i := 0; i < 2; i++ {
		stmts, err := p.Parse(`INSERT INTO metabase_database (name, details) VALUES ('a', $1)`)
		if err != nil || len(stmts) != 1 {
			t.Fatalf("after the deep text: stmts=%v err=%v", stmts, err)
		}
	}
}
