package codec

import (
	"errors"
	"testing"
)

func TestKeyringRotation(t *testing.T) {
	oldKey, newKey := testKey(t, secretA), testKey(t, secretB)
	sealedOld := oldKey.SealText([]byte("written before rotation"))

	ring := NewKeyring(newKey, oldKey)
	if !ring.CanSeal() || ring.Len() != 2 {
		t.Fatalf("CanSeal %v, Len %d", ring.CanSeal(), ring.Len())
	}
	got, idx, err := ring.OpenText(sealedOld)
	if err != nil || idx != 1 || string(got) != "written before rotation" {
		t.Fatalf("old value: %q, %d, %v", got, idx, err)
	}

	sealedNew, err := ring.SealText([]byte("written after"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oldKey.OpenText(sealedNew); !errors.Is(err, ErrCannotOpen) {
		t.Fatal("the keyring must seal with the primary key")
	}
	got, idx, err = ring.OpenText(sealedNew)
	if err != nil || idx != 0 || string(got) != "written after" {
		t.Fatalf("new value: %q, %d, %v", got, idx, err)
	}

	raw, err := ring.Seal([]byte("binary"))
	if err != nil {
		t.Fatal(err)
	}
	got, idx, err = ring.Open(raw)
	if err != nil || idx != 0 || string(got) != "binary" {
		t.Fatalf("raw: %q, %d, %v", got, idx, err)
	}
}

func TestKeyringWithoutPrimaryOpensButCannotSeal(t *testing.T) {
	a, b := testKey(t, secretA), testKey(t, secretB)
	ring := NewKeyring(nil, a, nil, b)
	if ring.CanSeal() {
		t.Fatal("CanSeal without primary")
	}
	if ring.Len() != 2 {
		t.Fatalf("Len = %d, want 2", ring.Len())
	}
	if _, err := ring.Seal([]byte("x")); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Seal: %v", err)
	}
	if _, err := ring.SealText([]byte("x")); !errors.Is(err, ErrNoKey) {
		t.Fatalf("SealText: %v", err)
	}
	// Indexes follow the arguments of NewKeyring, nil entries included.
	_, idx, err := ring.OpenText(b.SealText([]byte("x")))
	if err != nil || idx != 3 {
		t.Fatalf("OpenText: %d, %v; want index 3", idx, err)
	}
	_, idx, err = ring.Open(a.Seal([]byte("x")))
	if err != nil || idx != 1 {
		t.Fatalf("Open: %d, %v; want index 1", idx, err)
	}
}

func TestKeyringNoKeyMatches(t *testing.T) {
	ring := NewKeyring(testKey(t, secretA), testKey(t, secretB))
	text := testKey(t, secretC).SealText([]byte("x"))
	_, idx, err := ring.OpenText(text)
	if !errors.Is(err, ErrCannotOpen) || idx != -1 {
		t.Fatalf("%d, %v; want -1, ErrCannotOpen", idx, err)
	}
}

func TestEmptyAndNilKeyrings(t *testing.T) {
	sealed := testKey(t, secretA).SealText([]byte("x"))
	for name, ring := range map[string]*Keyring{"nil": nil, "empty": NewKeyring(nil), "only nil keys": NewKeyring(nil, nil)} {
		t.Run(name, func(t *testing.T) {
			if ring.CanSeal() || ring.Len() != 0 {
				t.Fatalf("CanSeal %v, Len %d", ring.CanSeal(), ring.Len())
			}
			if _, err := ring.SealText([]byte("x")); !errors.Is(err, ErrNoKey) {
				t.Errorf("SealText: %v", err)
			}
			if _, _, err := ring.OpenText(sealed); !errors.Is(err, ErrNoKey) {
				t.Errorf("OpenText of a sealed value: %v, want ErrNoKey", err)
			}
			if _, _, err := ring.OpenText(`{"host":"h"}`); !errors.Is(err, ErrNotSealed) {
				t.Errorf("OpenText of plaintext: %v, want ErrNotSealed", err)
			}
			if _, _, err := ring.Open([]byte("short")); !errors.Is(err, ErrNotSealed) {
				t.Errorf("Open of plaintext: %v, want ErrNotSealed", err)
			}
		})
	}
}

func TestNewKeyringCopiesPrevious(t *testing.T) {
	a, b := testKey(t, secretA), testKey(t, secretB)
	prev := []*Key{a}
	ring := NewKeyring(nil, prev...)
	prev[0] = b
	if _, idx, err := ring.OpenText(a.SealText([]byte("x"))); err != nil || idx != 1 {
		t.Fatalf("changing the caller's slice changed the keyring: %d, %v", idx, err)
	}
}
