package codec

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestLooksSealedRaw(t *testing.T) {
	for n, want := range map[int]bool{0: false, 48: false, 63: false, 64: true, 65: false, 72: false, 80: true, 96: true, 1040: true} {
		if got := LooksSealedRaw(make([]byte, n)); got != want {
			t.Errorf("LooksSealedRaw(%d bytes) = %v, want %v", n, got, want)
		}
	}
}

func TestLooksSealedAgreesWithDecodedLength(t *testing.T) {
	// For every decoded length around the boundaries, the canonical base64
	// text looks sealed exactly when the bytes do.
	for n := range 200 {
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = byte(i * 7)
		}
		text := base64.StdEncoding.EncodeToString(raw)
		if LooksSealed(text) != LooksSealedRaw(raw) {
			t.Errorf("%d bytes: LooksSealed = %v, LooksSealedRaw = %v", n, LooksSealed(text), LooksSealedRaw(raw))
		}
	}
}

func TestLooksSealedRejectsPlaintext(t *testing.T) {
	for _, s := range []string{
		`{"host":"h"}`,
		`{"host":"db.example.com","port":5432,"dbname":"analytics","user":"reader","password":"xx"}`,
		strings.Repeat(" ", 88),
		"postgres://user:pass@host:5432/db?sslmode=require&application_name=metabase-sync-x",
	} {
		if LooksSealed(s) {
			t.Errorf("LooksSealed(%q) = true", s)
		}
	}
}

func TestLooksSealedDoesNotAllocate(t *testing.T) {
	json := `{"host":"db.example.com","port":5432,"dbname":"analytics","user":"reader","password":"x"}`
	sealed := strings.Repeat("A", 86) + "=="
	if n := testing.AllocsPerRun(100, func() { LooksSealed(json); LooksSealed(sealed) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
