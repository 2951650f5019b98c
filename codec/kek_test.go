package codec

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func testSecretKEK(t *testing.T, secret string) *SecretKEK {
	t.Helper()
	w, err := NewSecretKEK(testKey(t, secret))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestSecretKEKID(t *testing.T) {
	a, a2, b := testSecretKEK(t, secretA), testSecretKEK(t, secretA), testSecretKEK(t, secretB)
	if !regexp.MustCompile(`^secret:[0-9a-f]{8}$`).MatchString(a.ID()) {
		t.Fatalf("ID() = %q", a.ID())
	}
	if a.ID() != a2.ID() || a.ID() == b.ID() {
		t.Fatalf("IDs %q %q %q: must be stable per secret and differ between secrets", a.ID(), a2.ID(), b.ID())
	}
	if _, err := NewSecretKEK(nil); !errors.Is(err, ErrNoKey) {
		t.Fatalf("NewSecretKEK(nil): %v", err)
	}
}

func TestSecretKEKWrapUnwrap(t *testing.T) {
	ctx := context.Background()
	w := testSecretKEK(t, secretA)
	dek := bytes.Repeat([]byte{0x5a}, 32)
	wrapped, err := w.Wrap(ctx, 3, dek)
	if err != nil || len(wrapped) != 12+32+16 {
		t.Fatalf("Wrap: %d bytes, %v", len(wrapped), err)
	}
	again, _ := w.Wrap(ctx, 3, dek)
	if bytes.Equal(wrapped, again) {
		t.Fatal("wrapping twice must use a fresh nonce")
	}
	got, err := w.Unwrap(ctx, 3, wrapped)
	if err != nil || !bytes.Equal(got, dek) {
		t.Fatalf("Unwrap: %x, %v", got, err)
	}
	for name, tc := range map[string]struct {
		w       *SecretKEK
		id      uint32
		wrapped []byte
	}{
		"other id":     {w, 4, wrapped},
		"other secret": {testSecretKEK(t, secretB), 3, wrapped},
		"truncated":    {w, 3, wrapped[:len(wrapped)-1]},
		"too short":    {w, 3, wrapped[:27]},
		"empty":        {w, 3, nil},
		"flipped":      {w, 3, flip(wrapped, 20)},
		"nonce":        {w, 3, flip(wrapped, 0)},
	} {
		if _, err := tc.w.Unwrap(ctx, tc.id, tc.wrapped); !errors.Is(err, ErrUnwrap) {
			t.Errorf("%s: %v, want ErrUnwrap", name, err)
		}
	}
}

func flip(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x80
	return out
}

func TestGenerateAndUnwrapKeys(t *testing.T) {
	ctx := context.Background()
	w := testSecretKEK(t, secretA)
	dk, wrapped, err := GenerateDataKey(ctx, w, 11)
	if err != nil || dk.ID() != 11 {
		t.Fatalf("GenerateDataKey: %v", err)
	}
	back, err := UnwrapDataKey(ctx, w, 11, wrapped)
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.OpenText(dk.SealText([]byte("x"), labelA), labelA)
	if err != nil || string(got) != "x" {
		t.Fatalf("unwrapped key does not open what the generated one sealed: %v", err)
	}
	if _, err := UnwrapDataKey(ctx, w, 12, wrapped); !errors.Is(err, ErrUnwrap) {
		t.Fatalf("other id: %v", err)
	}
	if _, err := UnwrapDataKey(ctx, testSecretKEK(t, secretB), 11, wrapped); !errors.Is(err, ErrUnwrap) {
		t.Fatalf("other master key: %v", err)
	}
	// Two generated keys differ.
	dk2, _, err := GenerateDataKey(ctx, w, 11)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dk2.Open(dk.Seal([]byte("x"), labelA), labelA); !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("two generated keys open each other's values: %v", err)
	}

	ik, wrappedIndex, err := GenerateIndexKey(ctx, w, 12)
	if err != nil {
		t.Fatal(err)
	}
	ik2, err := UnwrapIndexKey(ctx, w, 12, wrappedIndex)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ik.Term([]byte("a@b"), labelA), ik2.Term([]byte("a@b"), labelA)) {
		t.Fatal("unwrapped index key computes other terms")
	}
	// A data key's wrapped bytes are not an index key's.
	if _, err := UnwrapIndexKey(ctx, w, 12, wrapped); !errors.Is(err, ErrUnwrap) {
		t.Fatalf("UnwrapIndexKey of a data key under another id: %v", err)
	}

	for name, f := range map[string]func() error{
		"GenerateDataKey":  func() error { _, _, err := GenerateDataKey(ctx, nil, 1); return err },
		"UnwrapDataKey":    func() error { _, err := UnwrapDataKey(ctx, nil, 1, wrapped); return err },
		"GenerateIndexKey": func() error { _, _, err := GenerateIndexKey(ctx, nil, 1); return err },
		"UnwrapIndexKey":   func() error { _, err := UnwrapIndexKey(ctx, nil, 1, wrapped); return err },
	} {
		if err := f(); !errors.Is(err, ErrNoKey) {
			t.Errorf("%s without a wrapper: %v", name, err)
		}
	}
}

// gcmKeeper is a Keeper like gocloud's localsecrets (base64key://):
// nonce || AES-256-GCM, no associated data.
type gcmKeeper struct {
	aead cipher.AEAD
	// broken makes Decrypt return other bytes than were encrypted.
	broken bool
	// fail makes every call fail.
	fail error
}

func newGCMKeeper(t *testing.T) *gcmKeeper {
	block, err := aes.NewCipher(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return &gcmKeeper{aead: aead}
}

func (k *gcmKeeper) Encrypt(ctx context.Context, plaintext []byte) ([]byte, error) {
	if k.fail != nil {
		return nil, k.fail
	}
	nonce := make([]byte, 12)
	rand.Read(nonce)
	return k.aead.Seal(nonce, nonce, plaintext, nil), nil
}

func (k *gcmKeeper) Decrypt(ctx context.Context, ciphertext []byte) ([]byte, error) {
	if k.fail != nil {
		return nil, k.fail
	}
	if len(ciphertext) < 12 {
		return nil, errors.New("short")
	}
	p, err := k.aead.Open(nil, ciphertext[:12], ciphertext[12:], nil)
	if err == nil && k.broken {
		p[0] ^= 1
	}
	return p, err
}

func TestKeeperWrapper(t *testing.T) {
	ctx := context.Background()
	keeper := newGCMKeeper(t)
	var _ Keeper = keeper
	w, err := NewKeeperWrapper("base64key://", keeper)
	if err != nil {
		t.Fatal(err)
	}
	var _ Wrapper = w
	if w.ID() != "base64key://" {
		t.Fatal(w.ID())
	}
	dk, wrapped, err := GenerateDataKey(ctx, w, 1)
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnwrapDataKey(ctx, w, 1, wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := back.Open(dk.Seal(nil, labelA), labelA); err != nil {
		t.Fatal(err)
	}

	// A keeper that unwraps to other bytes is caught at generation.
	keeper.broken = true
	if _, _, err := GenerateDataKey(ctx, w, 2); !errors.Is(err, ErrUnwrap) {
		t.Fatalf("broken keeper: %v", err)
	}
	keeper.broken = false

	// The keeper's own errors pass through.
	boom := errors.New("kms: permission denied")
	keeper.fail = boom
	if _, _, err := GenerateDataKey(ctx, w, 2); !errors.Is(err, boom) {
		t.Fatalf("failing keeper: %v", err)
	}
	if _, err := UnwrapDataKey(ctx, w, 1, wrapped); !errors.Is(err, boom) || !strings.Contains(err.Error(), "base64key://") {
		t.Fatalf("failing keeper: %v", err)
	}
	keeper.fail = nil

	// A key of the wrong length (here: a wrapped index root of 64 bytes).
	long, err := keeper.Encrypt(ctx, make([]byte, 64))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnwrapDataKey(ctx, w, 1, long); !errors.Is(err, ErrUnwrap) {
		t.Fatalf("64-byte key: %v", err)
	}

	if _, err := NewKeeperWrapper("", keeper); !errors.Is(err, ErrNoKey) {
		t.Fatalf("empty id: %v", err)
	}
	if _, err := NewKeeperWrapper("awskms://x", nil); !errors.Is(err, ErrNoKey) {
		t.Fatalf("nil keeper: %v", err)
	}
}

func TestSecretKEKFormattingRedacts(t *testing.T) {
	w := testSecretKEK(t, secretA)
	want := fmt.Sprintf("codec.SecretKEK(%s, redacted)", w.ID())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		for _, arg := range []any{w, *w} {
			if out := fmt.Sprintf(verb, arg); out != want {
				t.Errorf("Sprintf(%q) = %q", verb, out)
			}
		}
	}
}

func TestKeyMaterialIsACopy(t *testing.T) {
	k := testKey(t, secretA)
	m := k.material()
	if len(m) != 64 || !bytes.Equal(m[:32], k.mac) || !bytes.Equal(m[32:], k.enc) {
		t.Fatal("material must be mac key || enc key")
	}
	clear(m)
	if bytes.Equal(k.mac, make([]byte, 32)) {
		t.Fatal("clearing the copy cleared the key")
	}
}
