package codec

import (
	"sync"
	"testing"
)

// Secrets shared by the tests; each is derived once per test binary.
const (
	secretA = "sqlseal-test-secret-A-000000000000"
	secretB = "sqlseal-test-secret-B-000000000000"
	secretC = "sqlseal-test-secret-C-000000000000"
)

var testKeys sync.Map // secret -> *Key

// testKey returns the derived key of secret, failing the test on error.
func testKey(tb testing.TB, secret string) *Key {
	tb.Helper()
	if k, ok := testKeys.Load(secret); ok {
		return k.(*Key)
	}
	k, err := DeriveKey(secret)
	if err != nil {
		tb.Fatal(err)
	}
	testKeys.Store(secret, k)
	return k
}

// checkOpensTo fails tb unless text opens with k to want.
func checkOpensTo(tb testing.TB, k *Key, text, want string) {
	tb.Helper()
	got, err := k.OpenText(text)
	if err != nil || string(got) != want {
		tb.Fatalf("opened to %q, %v; want %q", got, err, want)
	}
}
