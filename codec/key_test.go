package codec

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestDeriveKeyEmptySecretIsNoKey(t *testing.T) {
	k, err := DeriveKey("")
	if !errors.Is(err, ErrNoKey) || k != nil {
		t.Fatalf("DeriveKey(\"\") = %v, %v; want nil, ErrNoKey", k, err)
	}
}

func TestDeriveKeyLengthRule(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		ok     bool
	}{
		{"15 ASCII characters", "abcdefghijklmno", false},
		{"16 ASCII characters", "abcdefghijklmnop", true},
		// 15 characters but 30 bytes: the rule counts characters.
		{"15 two-byte characters", strings.Repeat("é", 15), false},
		// 8 runes outside the BMP are 16 UTF-16 code units (32 bytes), as
		// Java counts them.
		{"8 emoji are 16 UTF-16 units", strings.Repeat("🔑", 8), true},
		{"7 emoji are 14 UTF-16 units", strings.Repeat("🔑", 7), false},
		{"whitespace counts", "               x", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := DeriveKey(tc.secret)
			if tc.ok {
				if err != nil || k == nil {
					t.Fatalf("want a key, got %v", err)
				}
				return
			}
			if !errors.Is(err, ErrKeyTooShort) {
				t.Fatalf("want ErrKeyTooShort, got %v", err)
			}
			if !strings.Contains(err.Error(), "must be at least 16 characters") {
				t.Errorf("message %q", err)
			}
			if strings.Contains(err.Error(), tc.secret) {
				t.Error("error contains the secret")
			}
		})
	}
}

func TestDeriveKeyUsesSecretExactlyAsGiven(t *testing.T) {
	a := testKey(t, secretA)
	spaced := testKey(t, secretA+" ")
	if _, err := spaced.OpenText(a.SealText([]byte("x"))); !errors.Is(err, ErrCannotOpen) {
		t.Fatalf("a trailing space must change the key, got %v", err)
	}
}

func TestDeriveKeyIsCachedPerSecret(t *testing.T) {
	const secret = "sqlseal-cache-test-secret-only-used-here"
	before := derivations.Load()
	k1, err := DeriveKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := DeriveKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	if k1 != k2 {
		t.Error("the same secret must return the same cached *Key")
	}
	if n := derivations.Load() - before; n != 1 {
		t.Errorf("two calls ran PBKDF2 %d times, want 1", n)
	}
}

func TestDeriveKeyConcurrentFirstUseDerivesOnce(t *testing.T) {
	const secret = "sqlseal-concurrent-cache-test-secret"
	before := derivations.Load()
	var wg sync.WaitGroup
	keys := make([]*Key, 8)
	for i := range keys {
		wg.Go(func() {
			k, err := DeriveKey(secret)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if k != keys[0] {
			t.Fatal("concurrent callers got different keys")
		}
	}
	if n := derivations.Load() - before; n != 1 {
		t.Errorf("ran PBKDF2 %d times, want 1", n)
	}
}

func TestKeyFormattingRedacts(t *testing.T) {
	k := testKey(t, secretA)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		for _, arg := range []any{k, *k} {
			out := fmt.Sprintf(verb, arg)
			if out != "codec.Key(redacted)" {
				t.Errorf("Sprintf(%q) = %q", verb, out)
			}
		}
	}
}
