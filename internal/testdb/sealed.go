package testdb

import (
	"testing"

	"github.com/sqlseal/sqlseal/codec"
)

// OpenStored returns the plaintext of a value as a protected column stores
// it, read with the plain driver, and fails the test unless it is
// ciphertext sealed with secret: base64 text in a text column (drivers
// return it as string or []byte), raw bytes in a binary one.
func OpenStored(t testing.TB, secret string, stored any, binary bool) string {
	t.Helper()
	k, err := codec.DeriveKey(secret)
	if err != nil {
		t.Fatalf("deriving the test key: %v", err)
	}
	raw, text := storedForms(t, stored)
	var pt []byte
	if binary {
		if raw == nil || codec.LooksSealed(text) {
			t.Fatalf("binary column does not hold raw ciphertext bytes")
		}
		pt, err = k.Open(raw)
	} else {
		if !codec.LooksSealed(text) {
			t.Fatalf("stored value is not base64 ciphertext: %.40q", text)
		}
		pt, err = k.OpenText(text)
	}
	if err != nil {
		t.Fatalf("stored ciphertext does not open with the test key: %v", err)
	}
	return string(pt)
}

// OpenStoredEnvelope is OpenStored for the envelope format: the value must
// be an envelope value (base64 text in a text column, raw bytes in a
// binary one) that one of keys opens for the column label.
func OpenStoredEnvelope(t testing.TB, keys *codec.DataKeySet, label string, stored any, binary bool) string {
	t.Helper()
	raw, text := storedForms(t, stored)
	var pt []byte
	var by codec.Opened
	var err error
	if binary {
		if raw == nil {
			t.Fatalf("binary column does not hold raw ciphertext bytes")
		}
		pt, by, err = codec.OpenStored(raw, label, keys, nil)
	} else {
		pt, by, err = codec.OpenStoredText(text, label, keys, nil)
	}
	if err != nil {
		t.Fatalf("stored value does not open as an envelope value of %s: %v", label, err)
	}
	if by.Format != codec.FormatEnvelope {
		t.Fatalf("stored value of %s is not in the envelope format", label)
	}
	return string(pt)
}

// storedForms returns a stored value as raw bytes (nil when the driver
// returned a string) and as text, failing the test for NULL or another
// type.
func storedForms(t testing.TB, stored any) (raw []byte, text string) {
	t.Helper()
	switch v := stored.(type) {
	case string:
		return nil, v
	case []byte:
		return v, string(v)
	case nil:
		t.Fatalf("stored value is NULL")
	default:
		t.Fatalf("stored value is a %T", stored)
	}
	return nil, ""
}
