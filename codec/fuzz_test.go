package codec

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
)

var fuzzIV = []byte("fixed-iv-16bytes")

// FuzzOpen checks that opening never panics, that the error kinds agree
// with LooksSealed, and that no modification of a valid sealed value opens.
// data is both an arbitrary candidate value and the plaintext of a valid
// one; edit describes a modification of that valid value (see applyEdit).
func FuzzOpen(f *testing.F) {
	k := testKey(f, secretA)
	f.Add([]byte(`{"host":"h"}`), []byte{0, 0, 1})
	f.Add(k.sealWithIV(fuzzIV, []byte("x")), []byte{1, 5})
	f.Add([]byte(k.SealText([]byte("hello"))), []byte{2, 'A'})
	f.Add([]byte(""), []byte{})
	f.Fuzz(func(t *testing.T, data, edit []byte) {
		ring := NewKeyring(testKey(t, secretB), k)

		// Arbitrary input, raw and as text.
		_, err := k.Open(data)
		if errors.Is(err, ErrNotSealed) == LooksSealedRaw(data) {
			t.Fatalf("Open: err %v disagrees with LooksSealedRaw", err)
		}
		_, _, ringErr := ring.Open(data)
		if (err == nil) != (ringErr == nil) {
			t.Fatalf("Key.Open err %v, Keyring.Open err %v", err, ringErr)
		}
		_, err = k.OpenText(string(data))
		if errors.Is(err, ErrNotSealed) == LooksSealed(string(data)) {
			t.Fatalf("OpenText: err %v disagrees with LooksSealed", err)
		}
		_, _, ringErr = ring.OpenText(string(data))
		if (err == nil) != (ringErr == nil) {
			t.Fatalf("Key.OpenText err %v, Keyring.OpenText err %v", err, ringErr)
		}

		// A valid sealed value, modified: it opens only if unchanged.
		sealed := k.sealWithIV(fuzzIV, data)
		modified := applyEdit(sealed, edit)
		got, err := k.Open(modified)
		got2, _, err2 := ring.OpenText(base64.StdEncoding.EncodeToString(modified))
		if bytes.Equal(modified, sealed) {
			if err != nil || err2 != nil || !bytes.Equal(got, data) || !bytes.Equal(got2, data) {
				t.Fatalf("unmodified value does not open: %v, %v", err, err2)
			}
			return
		}
		if err == nil || err2 == nil {
			t.Fatalf("modified value opened (edit %x)", edit)
		}
	})
}

// applyEdit returns a modified copy of sealed. edit[0] chooses the kind of
// change; the rest parameterizes it.
func applyEdit(sealed, edit []byte) []byte {
	out := bytes.Clone(sealed)
	if len(edit) == 0 {
		return out
	}
	args := edit[1:]
	switch edit[0] % 4 {
	case 0: // XOR bytes at positions spread over the value
		for i := 0; i+1 < len(args); i += 2 {
			out[int(args[i])*len(out)/256] ^= args[i+1]
		}
	case 1: // truncate
		if len(args) > 0 {
			out = out[:len(out)-1-int(args[0])%len(out)]
		}
	case 2: // append
		out = append(out, args...)
	case 3: // prepend
		out = append(bytes.Clone(args), out...)
	}
	return out
}

// FuzzRoundTrip checks that every plaintext survives sealing and opening,
// in both forms, and does not open under another key.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("0123456789abcdef"))
	f.Add([]byte(`{"host":"localhost","password":"p"}`))
	a := testKey(f, secretA)
	b := testKey(f, secretB)
	f.Fuzz(func(t *testing.T, plaintext []byte) {
		raw := a.Seal(plaintext)
		if !LooksSealedRaw(raw) {
			t.Fatal("sealed value does not look sealed")
		}
		got, err := a.Open(raw)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("Open: %v", err)
		}
		text := a.SealText(plaintext)
		if !LooksSealed(text) {
			t.Fatal("sealed text does not look sealed")
		}
		got, idx, err := NewKeyring(b, a).OpenText(text)
		if err != nil || idx != 1 || !bytes.Equal(got, plaintext) {
			t.Fatalf("Keyring.OpenText: %d, %v", idx, err)
		}
		if _, err := b.OpenText(text); !errors.Is(err, ErrCannotOpen) {
			t.Fatalf("opened with another key: %v", err)
		}
	})
}
