package codec

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestSealOpenRoundTrip(t *testing.T) {
	k := testKey(t, secretA)
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 1000, 1024, 16 << 10} {
		plaintext := bytes.Repeat([]byte{byte(n)}, n)

		raw := k.Seal(plaintext)
		if want := 16 + (n/16+1)*16 + 32; len(raw) != want {
			t.Errorf("len(Seal(%d bytes)) = %d, want %d", n, len(raw), want)
		}
		got, err := k.Open(raw)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("Open(Seal(%d bytes)) = %d bytes, %v", n, len(got), err)
		}

		text := k.SealText(plaintext)
		if !LooksSealed(text) {
			t.Errorf("SealText(%d bytes) does not look sealed", n)
		}
		if _, err := base64.StdEncoding.Strict().DecodeString(text); err != nil {
			t.Errorf("SealText is not standard base64: %v", err)
		}
		got, err = k.OpenText(text)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("OpenText(SealText(%d bytes)) = %d bytes, %v", n, len(got), err)
		}
	}
}

func TestSealIsRandomized(t *testing.T) {
	k := testKey(t, secretA)
	a, b := k.Seal([]byte("same")), k.Seal([]byte("same"))
	if bytes.Equal(a, b) || bytes.Equal(a[:ivLen], b[:ivLen]) {
		t.Fatal("sealing twice must use a fresh IV")
	}
}

func TestSealAndOpenLeaveInputsAlone(t *testing.T) {
	k := testKey(t, secretA)
	plaintext := []byte("do not touch this buffer, please")
	orig := bytes.Clone(plaintext)
	raw := k.Seal(plaintext)
	if !bytes.Equal(plaintext, orig) {
		t.Fatal("Seal modified its input")
	}
	rawCopy := bytes.Clone(raw)
	if _, err := k.Open(raw); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, rawCopy) {
		t.Fatal("Open modified its input")
	}
}

func TestOpenedPlaintextDoesNotAliasTag(t *testing.T) {
	k := testKey(t, secretA)
	got, err := k.OpenText(k.SealText([]byte("abc")))
	if err != nil {
		t.Fatal(err)
	}
	if cap(got) != len(got) {
		t.Errorf("cap %d > len %d: appending would write over internal bytes", cap(got), len(got))
	}
}

// Both formats' keys seal and open from many goroutines at once: they
// share buffers through a pool.
func TestKeysAreSafeForConcurrentUse(t *testing.T) {
	k, dk := testKey(t, secretA), testDataKey(t, 1)
	roundTrips := map[string]func(p []byte, label string) ([]byte, error){
		"metabase": func(p []byte, _ string) ([]byte, error) { return k.OpenText(k.SealText(p)) },
		"envelope": func(p []byte, label string) ([]byte, error) { return dk.OpenText(dk.SealText(p, label), label) },
	}
	var wg sync.WaitGroup
	for g := range 8 {
		for name, roundTrip := range roundTrips {
			wg.Go(func() {
				p := []byte(strings.Repeat(string(rune('a'+g)), 100*g))
				label := fmt.Sprintf("t.c%d", g)
				for range 200 {
					if got, err := roundTrip(p, label); err != nil || !bytes.Equal(got, p) {
						t.Errorf("%s, goroutine %d: round trip failed: %v", name, g, err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
}

func TestSealAndOpenAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	k := testKey(t, secretA)
	plaintext := make([]byte, 1024)
	raw := k.Seal(plaintext)
	text := k.SealText(plaintext)
	ring := NewKeyring(testKey(t, secretB), k)
	for _, tc := range []struct {
		name string
		max  float64
		f    func()
	}{
		{"Seal", 4, func() { k.Seal(plaintext) }},
		{"Open", 4, func() { k.Open(raw) }},
		{"SealText", 4, func() { k.SealText(plaintext) }},
		{"OpenText", 4, func() { k.OpenText(text) }},
		{"Keyring.Open with previous key", 4, func() { ring.Open(raw) }},
		{"Keyring.OpenText with previous key", 4, func() { ring.OpenText(text) }},
		{"OpenText of plain JSON", 0, func() { k.OpenText(`{"host":"h","port":5432}`) }},
	} {
		if got := testing.AllocsPerRun(100, tc.f); got > tc.max {
			t.Errorf("%s: %v allocations, want at most %v", tc.name, got, tc.max)
		}
	}
}
