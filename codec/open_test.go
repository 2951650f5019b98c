package codec

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestOpenRejectsAnyFlippedBit(t *testing.T) {
	k := testKey(t, secretA)
	raw := k.Seal([]byte(`{"password":"hunter2"}`))
	regions := []struct {
		name       string
		start, end int
	}{
		{"iv", 0, ivLen},
		{"ciphertext", ivLen, len(raw) - tagLen},
		{"tag", len(raw) - tagLen, len(raw)},
	}
	for _, region := range regions {
		t.Run(region.name, func(t *testing.T) {
			for i := region.start; i < region.end; i++ {
				for bit := range 8 {
					bad := append([]byte(nil), raw...)
					bad[i] ^= 1 << bit
					if _, err := k.Open(bad); !errors.Is(err, ErrCannotOpen) {
						t.Fatalf("byte %d bit %d flipped: err = %v, want ErrCannotOpen", i, bit, err)
					}
					if _, err := k.OpenText(base64.StdEncoding.EncodeToString(bad)); !errors.Is(err, ErrCannotOpen) {
						t.Fatalf("text, byte %d bit %d flipped: err = %v, want ErrCannotOpen", i, bit, err)
					}
				}
			}
		})
	}
}

func TestOpenRejectsTruncationAndExtension(t *testing.T) {
	k := testKey(t, secretA)
	raw := k.Seal([]byte(strings.Repeat("x", 40))) // 16 + 48 + 32 = 96 bytes
	for n := range len(raw) {
		_, err := k.Open(raw[:n])
		want := ErrNotSealed
		if LooksSealedRaw(raw[:n]) {
			want = ErrCannotOpen // 64 or 80 bytes: right shape, wrong tag
		}
		if !errors.Is(err, want) {
			t.Fatalf("truncated to %d bytes: err = %v, want %v", n, err, want)
		}
	}
	// Dropping whole blocks from the front (a shorter value that still has
	// a sealed value's shape) must not authenticate either.
	if _, err := k.Open(raw[16:]); !errors.Is(err, ErrCannotOpen) {
		t.Fatalf("first block dropped: %v", err)
	}
	extended := append(append([]byte(nil), raw...), make([]byte, 16)...)
	if _, err := k.Open(extended); !errors.Is(err, ErrCannotOpen) {
		t.Fatalf("extended by a block: %v", err)
	}
}

func TestOpenWithWrongKey(t *testing.T) {
	a, b := testKey(t, secretA), testKey(t, secretB)
	text := a.SealText([]byte("secret details"))
	if _, err := b.OpenText(text); !errors.Is(err, ErrCannotOpen) {
		t.Fatalf("err = %v, want ErrCannotOpen", err)
	}
}

func TestOpenLooksSealedButIsNot(t *testing.T) {
	k := testKey(t, secretA)
	text := strings.Repeat("a", 86) + "=="
	if !LooksSealed(text) {
		t.Fatal("86 'a' + '==' must look sealed (64 bytes)")
	}
	if _, err := k.OpenText(text); !errors.Is(err, ErrCannotOpen) {
		t.Fatalf("err = %v, want ErrCannotOpen", err)
	}
}

func TestOpenTextRejectsWhatIsNotStrictBase64(t *testing.T) {
	k := testKey(t, secretA)
	valid := k.SealText([]byte("0123456789")) // 64 bytes: 86 characters + "=="
	tests := map[string]string{
		"JSON":              `{"host":"localhost","port":5432,"user":"metabase","password":"hunter2","ssl":true}`,
		"empty":             "",
		"URL alphabet":      strings.NewReplacer("+", "-", "/", "_").Replace(strings.Repeat("+/", 44)),
		"missing padding":   strings.TrimRight(valid, "="),
		"line break":        valid[:40] + "\n" + valid[40:len(valid)-4] + valid[len(valid)-3:],
		"surrounding space": " " + valid[:len(valid)-4] + valid[len(valid)-3:],
		"padding in middle": valid[:40] + "=" + valid[41:],
		"too short":         strings.Repeat("A", 84),
		"wrong length":      strings.Repeat("A", 108), // 81 bytes
		"non-ASCII":         strings.Repeat("é", 44),
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			if LooksSealed(text) {
				t.Error("LooksSealed = true")
			}
			if _, err := k.OpenText(text); !errors.Is(err, ErrNotSealed) {
				t.Errorf("err = %v, want ErrNotSealed", err)
			}
			if _, _, err := NewKeyring(k).OpenText(text); !errors.Is(err, ErrNotSealed) {
				t.Errorf("keyring: err = %v, want ErrNotSealed", err)
			}
		})
	}
}

func TestOpenTextIgnoresUnusedTrailingBits(t *testing.T) {
	// Java's base64 decoder, which Metabase uses, ignores the unused bits of
	// the last character; so does OpenText. The sealed bytes are the same.
	k := testKey(t, secretA)
	valid := k.SealText([]byte("0123456789")) // 64 bytes: 86 characters + "=="
	last := strings.IndexByte(base64Alphabet, valid[85])
	alt := valid[:85] + string(base64Alphabet[last|0x0f]) + "=="
	if alt == valid || !LooksSealed(alt) {
		t.Fatalf("LooksSealed(non-canonical form) = %v", LooksSealed(alt))
	}
	checkOpensTo(t, k, alt, "0123456789")
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// sealRawBody builds iv || body || tag with a valid tag but without adding
// padding, so tests can authenticate malformed plaintexts.
func sealRawBody(k *Key, body []byte) []byte {
	raw := make([]byte, ivLen+len(body)+tagLen)
	copy(raw[ivLen:], body)
	cipher.NewCBCEncrypter(k.block, raw[:ivLen]).CryptBlocks(raw[ivLen:len(raw)-tagLen], raw[ivLen:len(raw)-tagLen])
	m := hmac.New(sha512.New, k.mac)
	m.Write(raw[:len(raw)-tagLen])
	copy(raw[len(raw)-tagLen:], m.Sum(nil))
	return raw
}

func TestOpenRejectsAuthenticValueWithBadPadding(t *testing.T) {
	k := testKey(t, secretA)
	block := func(last ...byte) []byte {
		b := make([]byte, 16)
		for i := range b {
			b[i] = 'p'
		}
		copy(b[16-len(last):], last)
		return b
	}
	tests := map[string][]byte{
		"pad byte 0":           block(0),
		"pad byte 17":          block(17),
		"pad bytes disagree":   block(3, 2, 3),
		"pad longer than data": block(0xff),
		"pad 16, one wrong":    append(block(), append([]byte{15}, []byte(strings.Repeat("\x10", 15))...)...),
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			raw := sealRawBody(k, body)
			if _, err := k.Open(raw); !errors.Is(err, ErrCannotOpen) {
				t.Fatalf("Open: err = %v, want ErrCannotOpen", err)
			}
			if _, _, err := NewKeyring(k).OpenText(base64.StdEncoding.EncodeToString(raw)); !errors.Is(err, ErrCannotOpen) {
				t.Fatalf("Keyring.OpenText: err = %v, want ErrCannotOpen", err)
			}
		})
	}
	// The helper itself produces openable values when the padding is right.
	good := sealRawBody(k, append([]byte("0123456789abcde"), 1))
	if got, err := k.Open(good); err != nil || string(got) != "0123456789abcde" {
		t.Fatalf("well padded value: %q, %v", got, err)
	}
}
