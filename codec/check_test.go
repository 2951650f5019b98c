package codec

import (
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"testing"
)

// badPadding seals plaintext, whose length is a whole number of blocks,
// without padding: the tag is authentic, the padding is not.
func badPadding(k *Key, plaintext []byte) []byte {
	raw := make([]byte, ivLen+len(plaintext)+tagLen)
	body := raw[ivLen : len(raw)-tagLen]
	copy(body, plaintext)
	cipher.NewCBCEncrypter(k.block, raw[:ivLen]).CryptBlocks(body, body)
	st := k.macs.Get().(*macState)
	copy(raw[len(raw)-tagLen:], k.tag(st, raw[:len(raw)-tagLen]))
	k.macs.Put(st)
	return raw
}

// TestCheckStoredAgreesWithOpenStored checks values of every kind: whatever
// OpenStored says (how it opened, which error), CheckStored says the same.
func TestCheckStoredAgreesWithOpenStored(t *testing.T) {
	f := newStoredFixture(t)
	a, other := testKey(t, secretA), testKey(t, "check-test-an-unknown-secret")
	dk2, _ := f.keys.Lookup(2)
	pt := []byte(`{"host":"db","password":"hunter2"}`)
	tampered := a.Seal(pt)
	tampered[20] ^= 1
	cases := map[string][]byte{
		"metabase primary":         a.Seal(pt),
		"metabase previous":        testKey(t, secretB).Seal(pt),
		"metabase one block":       a.Seal([]byte("x")),
		"metabase unknown":         other.Seal(pt),
		"metabase tampered":        tampered,
		"bad padding":              badPadding(a, []byte("sixteen bytes!!!sixteen bytes!!!")),
		"bad padding 1 block":      badPadding(a, []byte("sixteen bytes!!!")),
		"envelope":                 dk2.Seal(pt, "t.c"),
		"envelope other label":     dk2.Seal(pt, "t.other"),
		"envelope shaped metabase": metabaseLookingLikeEnvelope(t, a, 9, pt),
		"plaintext":                []byte("not sealed at all"),
		"empty":                    {},
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			ptRaw, wantBy, wantErr := OpenStored(raw, "t.c", f.keys, f.ring)
			by, err := CheckStored(raw, "t.c", f.keys, f.ring)
			if by != wantBy || !errors.Is(err, wantErr) && err != wantErr {
				t.Errorf("raw: CheckStored = %v, %v; OpenStored = %v, %v", by, err, wantBy, wantErr)
			}
			text := base64.StdEncoding.EncodeToString(raw)
			if name == "plaintext" || name == "empty" {
				text = string(raw)
			}
			_, wantBy, wantErr = OpenStoredText(text, "t.c", f.keys, f.ring)
			by, err = CheckStoredText(text, "t.c", f.keys, f.ring)
			if by != wantBy || !errors.Is(err, wantErr) && err != wantErr {
				t.Errorf("text: CheckStoredText = %v, %v; OpenStoredText = %v, %v", by, err, wantBy, wantErr)
			}
			if (wantErr == nil) != (ptRaw != nil) {
				t.Errorf("OpenStored returned plaintext %v with error %v", ptRaw != nil, wantErr)
			}
		})
	}
	// The cases must cover both outcomes of the padding check.
	if _, err := CheckStored(cases["bad padding"], "t.c", f.keys, f.ring); !errors.Is(err, ErrCannotOpen) {
		t.Errorf("bad padding: %v, want ErrCannotOpen", err)
	}
	if by, err := CheckStored(cases["metabase previous"], "t.c", f.keys, f.ring); err != nil || by.KeyIndex != 1 {
		t.Errorf("previous key: %v %v", by, err)
	}
}

// BenchmarkCheckStoredText compares checking and opening a 1 KiB value in
// each format.
//
//	go test -run '^$' -bench BenchmarkCheckStoredText ./codec
func BenchmarkCheckStoredText(b *testing.B) {
	keys, err := NewDataKeySet(testDataKey(b, 2))
	if err != nil {
		b.Fatal(err)
	}
	ring := NewKeyring(testKey(b, secretA))
	pt := make([]byte, 1024)
	dk, _ := keys.Lookup(2)
	for _, f := range []struct{ name, text string }{
		{"metabase", ring.keys[0].SealText(pt)},
		{"envelope", dk.SealText(pt, "t.c")},
	} {
		b.Run(f.name+"/open", func(b *testing.B) {
			b.SetBytes(int64(len(pt)))
			for b.Loop() {
				if _, _, err := OpenStoredText(f.text, "t.c", keys, ring); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(f.name+"/check", func(b *testing.B) {
			b.SetBytes(int64(len(pt)))
			for b.Loop() {
				if _, err := CheckStoredText(f.text, "t.c", keys, ring); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
