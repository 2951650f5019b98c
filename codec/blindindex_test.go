package codec

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

func TestIndexKeyTerms(t *testing.T) {
	x, err := NewIndexKey(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	term := x.Term([]byte("alice@example.com"), "core_user.email")
	if len(term) != TermLen || term[0] != 0x01 || cap(term) != TermLen {
		t.Fatalf("term %x (cap %d)", term, cap(term))
	}
	if !bytes.Equal(term, x.Term([]byte("alice@example.com"), "core_user.email")) {
		t.Fatal("terms must be deterministic")
	}
	for name, other := range map[string][]byte{
		"other plaintext": x.Term([]byte("alice@example.org"), "core_user.email"),
		"other label":     x.Term([]byte("alice@example.com"), "core_user.login"),
		"other root":      mustIndexKey(t, bytes.Repeat([]byte{4}, 32)).Term([]byte("alice@example.com"), "core_user.email"),
		"64-byte root":    mustIndexKey(t, bytes.Repeat([]byte{3}, 64)).Term([]byte("alice@example.com"), "core_user.email"),
	} {
		if bytes.Equal(term, other) {
			t.Errorf("%s: same term", name)
		}
	}
	dst := x.AppendTerm([]byte("prefix"), []byte("alice@example.com"), "core_user.email")
	if string(dst[:6]) != "prefix" || !bytes.Equal(dst[6:], term) {
		t.Fatalf("AppendTerm: %x", dst)
	}
}

func mustIndexKey(t *testing.T, root []byte) *IndexKey {
	t.Helper()
	x, err := NewIndexKey(root)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestNewIndexKeyRootLengths(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 48, 63, 65} {
		if _, err := NewIndexKey(make([]byte, n)); err == nil {
			t.Errorf("%d-byte root accepted", n)
		}
	}
	root := bytes.Repeat([]byte{5}, 32)
	x := mustIndexKey(t, root)
	clear(root)
	// "t.c" is derived after the caller cleared its root.
	if !bytes.Equal(x.Term([]byte("v"), "t.c"), mustIndexKey(t, bytes.Repeat([]byte{5}, 32)).Term([]byte("v"), "t.c")) {
		t.Fatal("clearing the caller's root changed the key")
	}
	if _, err := NewSecretIndexKey(nil); err == nil {
		t.Fatal("NewSecretIndexKey(nil) accepted")
	}
}

func TestSecretIndexKeyUsesThePBKDF2Key(t *testing.T) {
	k := testKey(t, secretA)
	x, err := NewSecretIndexKey(k)
	if err != nil {
		t.Fatal(err)
	}
	m := k.material()
	defer clear(m)
	if !bytes.Equal(x.Term([]byte("v"), labelA), mustIndexKey(t, m).Term([]byte("v"), labelA)) {
		t.Fatal("the secret's index root must be its 64-byte PBKDF2 key")
	}
}

func TestIndexKeyConcurrentLabels(t *testing.T) {
	x := mustIndexKey(t, bytes.Repeat([]byte{6}, 32))
	want := make(map[string][]byte)
	for i := range 20 {
		label := fmt.Sprintf("t.c%d", i)
		want[label] = mustIndexKey(t, bytes.Repeat([]byte{6}, 32)).Term([]byte("v"), label)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				label := fmt.Sprintf("t.c%d", (i+g)%20)
				if got := x.Term([]byte("v"), label); !bytes.Equal(got, want[label]) {
					t.Errorf("%s: wrong term", label)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestIndexKeyFormattingRedacts(t *testing.T) {
	x := mustIndexKey(t, bytes.Repeat([]byte{7}, 32))
	for _, verb := range []string{"%v", "%+v", "%#v", "%x"} {
		for _, arg := range []any{x, *x} {
			if out := fmt.Sprintf(verb, arg); out != "codec.IndexKey(redacted)" {
				t.Errorf("Sprintf(%q) = %q", verb, out)
			}
		}
	}
}
