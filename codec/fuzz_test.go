package codec

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
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

var fuzzNonce = []byte("fixed-nonce!")

// FuzzOpenEnvelope checks OpenStored and OpenStoredText: they never panic;
// ErrNotSealed agrees with LooksEnvelope/LooksSealed; the raw and text forms
// of one value give the same result; a valid envelope value opens only
// unmodified and only under its own label; what DataKey.Open opens,
// OpenStored opens the same. data is both an arbitrary candidate value and
// the plaintext of a valid one; edit modifies that value (see applyEdit).
func FuzzOpenEnvelope(f *testing.F) {
	k := testDataKey(f, 1)
	f.Add([]byte(`{"host":"h"}`), []byte{0, 0, 1}, labelA)
	f.Add(k.sealWithNonce(fuzzNonce, []byte("x"), labelA), []byte{1, 5}, labelA)
	f.Add([]byte(k.SealText([]byte("hello"), labelB)), []byte{2, 'A'}, labelB)
	f.Add([]byte("SQS\x02\x00\x00\x00\x01"+strings.Repeat("\x00", 28)), []byte{3, 'S'}, "")
	f.Add(testKey(f, secretA).sealWithIV([]byte("SQS\x02\x00\x00\x00\x01abcdefgh"), []byte("metabase")), []byte{}, labelA)
	f.Fuzz(func(t *testing.T, data, edit []byte, label string) {
		keys, err := NewDataKeySet(k, testDataKey(t, 2))
		if err != nil {
			t.Fatal(err)
		}
		ring := NewKeyring(testKey(t, secretA))

		// Arbitrary input, raw and as text.
		got, by, err := OpenStored(data, label, keys, ring)
		if errors.Is(err, ErrNotSealed) == (LooksEnvelopeRaw(data) || LooksSealedRaw(data)) {
			t.Fatalf("OpenStored: err %v disagrees with the shapes", err)
		}
		checkOpened(t, data, by, err)
		text := base64.StdEncoding.EncodeToString(data)
		got2, by2, err2 := OpenStoredText(text, label, keys, ring)
		if (err == nil) != (err2 == nil) || by != by2 || !bytes.Equal(got, got2) {
			t.Fatalf("raw %+v %v, text %+v %v", by, err, by2, err2)
		}
		_, _, err = OpenStoredText(string(data), label, keys, ring)
		if errors.Is(err, ErrNotSealed) == (LooksEnvelope(string(data)) || LooksSealed(string(data))) {
			t.Fatalf("OpenStoredText: err %v disagrees with the shapes", err)
		}
		if p, err := k.Open(data, label); err == nil {
			got, by, err := OpenStored(data, label, keys, ring)
			if err != nil || !bytes.Equal(got, p) || by.Format != FormatEnvelope {
				t.Fatalf("DataKey.Open opens, OpenStored: %+v, %v", by, err)
			}
		}

		// A valid envelope value, modified: it opens only if unchanged,
		// and never under another label.
		sealed := k.sealWithNonce(fuzzNonce, data, label)
		modified := applyEdit(sealed, edit)
		got, by, err = OpenStored(modified, label, keys, ring)
		_, _, errText := OpenStoredText(base64.StdEncoding.EncodeToString(modified), label, keys, ring)
		if bytes.Equal(modified, sealed) {
			if err != nil || errText != nil || !bytes.Equal(got, data) || by != (Opened{FormatEnvelope, 1, -1}) {
				t.Fatalf("unmodified value does not open: %+v, %v, %v", by, err, errText)
			}
		} else if err == nil || errText == nil {
			t.Fatalf("modified value opened (edit %x)", edit)
		}
		if _, _, err := OpenStored(sealed, label+"\x00", keys, ring); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("opened under another label: %v", err)
		}
	})
}

// checkOpened checks that by and err agree with each other and with raw.
func checkOpened(t *testing.T, raw []byte, by Opened, err error) {
	t.Helper()
	switch {
	case err == nil && by.Format == FormatNone:
		t.Fatal("opened, but by no format")
	case by.Format == FormatEnvelope && (!LooksEnvelopeRaw(raw) || by.KeyID != envelopeKeyID(raw) || by.KeyIndex != -1):
		t.Fatalf("envelope %+v for a value that is not one", by)
	case by.Format == FormatMetabase && (!LooksSealedRaw(raw) || by.KeyID != 0 || (err == nil) != (by.KeyIndex >= 0)):
		t.Fatalf("metabase %+v, err %v", by, err)
	case by.Format == FormatNone && !errors.Is(err, ErrNotSealed):
		t.Fatalf("no format, err %v", err)
	case errors.Is(err, ErrUnknownKeyID) || errors.Is(err, ErrNotAuthentic):
		if by.Format != FormatEnvelope {
			t.Fatalf("envelope error %v with %+v", err, by)
		}
	}
}
