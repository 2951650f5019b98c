package codec

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const (
	labelA = "metabase_database.details"
	labelB = "core_user.reset_token"
)

// testDataKey returns a data key with the given id and fixed key bytes
// derived from the id.
func testDataKey(tb testing.TB, id uint32) *DataKey {
	tb.Helper()
	b := make([]byte, DataKeyLen)
	for i := range b {
		b[i] = byte(id) ^ byte(i*37+1)
	}
	k, err := NewDataKey(id, b)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func TestDataKeyRoundTrip(t *testing.T) {
	k := testDataKey(t, 7)
	for _, n := range []int{0, 1, 15, 16, 17, 28, 44, 1000, 1024, 16 << 10} {
		plaintext := bytes.Repeat([]byte{byte(n)}, n)
		raw := k.Seal(plaintext, labelA)
		if len(raw) != 36+n || string(raw[:8]) != "SQS\x02\x00\x00\x00\x07" {
			t.Fatalf("Seal(%d bytes): %d bytes, header %x", n, len(raw), raw[:8])
		}
		if cap(raw) != len(raw) {
			t.Errorf("Seal(%d bytes): cap %d > len %d", n, cap(raw), len(raw))
		}
		got, err := k.Open(raw, labelA)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("Open(Seal(%d bytes)): %d bytes, %v", n, len(got), err)
		}
		if cap(got) != len(got) {
			t.Errorf("Open: cap %d > len %d", cap(got), len(got))
		}
		text := k.SealText(plaintext, labelA)
		if !strings.HasPrefix(text, "U1FTA") || !LooksEnvelope(text) {
			t.Fatalf("SealText(%d bytes) = %.10q...", n, text)
		}
		if _, err := base64.StdEncoding.Strict().DecodeString(text); err != nil {
			t.Fatalf("SealText is not standard base64: %v", err)
		}
		got, err = k.OpenText(text, labelA)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("OpenText(SealText(%d bytes)): %d bytes, %v", n, len(got), err)
		}
		if cap(got) != len(got) {
			t.Errorf("OpenText: cap %d > len %d: appending would write over the tag", cap(got), len(got))
		}
	}
}

func TestDataKeySealIsRandomized(t *testing.T) {
	k := testDataKey(t, 1)
	a, b := k.Seal([]byte("same"), labelA), k.Seal([]byte("same"), labelA)
	if bytes.Equal(a[8:20], b[8:20]) {
		t.Fatal("sealing twice must use a fresh nonce")
	}
}

func TestDataKeyLeavesInputsAlone(t *testing.T) {
	k := testDataKey(t, 1)
	plaintext := []byte("do not touch this buffer, please")
	orig := bytes.Clone(plaintext)
	raw := k.Seal(plaintext, labelA)
	if !bytes.Equal(plaintext, orig) {
		t.Fatal("Seal modified its input")
	}
	rawCopy := bytes.Clone(raw)
	if _, err := k.Open(raw, labelA); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Open(raw, labelB); err == nil {
		t.Fatal("opened under another label")
	}
	if !bytes.Equal(raw, rawCopy) {
		t.Fatal("Open modified its input")
	}
}

func TestDataKeyRejectsAnyFlippedBit(t *testing.T) {
	k := testDataKey(t, 0x01020304)
	raw := k.sealWithNonce([]byte("fixed-nonce!"), []byte(`{"password":"hunter2"}`), labelA)
	regions := []struct {
		name       string
		start, end int
		want       error
	}{
		{"magic", 0, 4, ErrNotSealed},
		{"key id", 4, 8, ErrUnknownKeyID},
		{"nonce", 8, 20, ErrNotAuthentic},
		{"ciphertext", 20, len(raw) - 16, ErrNotAuthentic},
		{"tag", len(raw) - 16, len(raw), ErrNotAuthentic},
	}
	for _, region := range regions {
		t.Run(region.name, func(t *testing.T) {
			for i := region.start; i < region.end; i++ {
				for bit := range 8 {
					bad := bytes.Clone(raw)
					bad[i] ^= 1 << bit
					if _, err := k.Open(bad, labelA); !errors.Is(err, region.want) {
						t.Fatalf("byte %d bit %d flipped: %v, want %v", i, bit, err, region.want)
					}
					if _, err := k.OpenText(base64.StdEncoding.EncodeToString(bad), labelA); !errors.Is(err, region.want) {
						t.Fatalf("text, byte %d bit %d flipped: %v, want %v", i, bit, err, region.want)
					}
					// A key that has the flipped id still does not open it.
					if region.want == ErrUnknownKeyID {
						other := testDataKey(t, envelopeKeyID(bad))
						if _, err := other.Open(bad, labelA); !errors.Is(err, ErrNotAuthentic) {
							t.Fatalf("key %d: %v", other.ID(), err)
						}
					}
				}
			}
		})
	}
}

func TestDataKeyLabelBinding(t *testing.T) {
	k := testDataKey(t, 3)
	text := k.SealText([]byte("secret details"), labelA)
	for _, label := range []string{labelB, "", strings.ToUpper(labelA), labelA + "\x00", "public." + labelA, labelA[:len(labelA)-1]} {
		if _, err := k.OpenText(text, label); !errors.Is(err, ErrNotAuthentic) || !errors.Is(err, ErrCannotOpen) {
			t.Errorf("label %q: %v, want ErrNotAuthentic", label, err)
		}
	}
	// The empty label is a label like any other.
	raw := k.Seal([]byte("x"), "")
	if got, err := k.Open(raw, ""); err != nil || string(got) != "x" {
		t.Fatalf("empty label: %q, %v", got, err)
	}
	if _, err := k.Open(raw, labelA); !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("empty label opened under %q: %v", labelA, err)
	}
}

func TestDataKeyWrongKey(t *testing.T) {
	a, b := testDataKey(t, 1), testDataKey(t, 2)
	raw := a.Seal([]byte("x"), labelA)
	if _, err := b.Open(raw, labelA); !errors.Is(err, ErrUnknownKeyID) || !errors.Is(err, ErrCannotOpen) {
		t.Fatalf("another id: %v", err)
	}
	if !strings.Contains(fmt.Sprint(b.Open(raw, labelA)), "key id 1") {
		t.Error("the error should name the key id")
	}
	// Same id, other key bytes: a key table of another deployment.
	same, err := NewDataKey(1, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := same.Open(raw, labelA); !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("same id, other key: %v", err)
	}
}

func TestDataKeyTruncationAndExtension(t *testing.T) {
	k := testDataKey(t, 5)
	raw := k.Seal([]byte(strings.Repeat("x", 40)), labelA)
	for n := range len(raw) {
		want := ErrNotSealed
		if n >= 36 {
			want = ErrNotAuthentic
		}
		if _, err := k.Open(raw[:n], labelA); !errors.Is(err, want) {
			t.Fatalf("truncated to %d bytes: %v, want %v", n, err, want)
		}
		text := base64.StdEncoding.EncodeToString(raw[:n])
		if _, err := k.OpenText(text, labelA); !errors.Is(err, want) {
			t.Fatalf("text truncated to %d bytes: %v, want %v", n, err, want)
		}
	}
	for _, extra := range [][]byte{{0}, make([]byte, 16), []byte("tail")} {
		if _, err := k.Open(append(bytes.Clone(raw), extra...), labelA); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("extended by %d bytes: %v", len(extra), err)
		}
	}
}

func TestDataKeyOpenTextRejectsWhatIsNotStrictBase64(t *testing.T) {
	k := testDataKey(t, 5)
	valid := k.SealText([]byte("0123456789"), labelA) // 46 bytes: 64 characters
	for name, text := range map[string]string{
		"empty":             "",
		"JSON":              `{"host":"localhost","port":5432,"user":"metabase","password":"p"}`,
		"missing padding":   strings.TrimRight(k.SealText([]byte("0"), labelA), "="),
		"line break":        valid[:40] + "\n" + valid[41:],
		"URL alphabet":      strings.NewReplacer("+", "-", "/", "_").Replace(valid[:60]) + "-_-_",
		"padding in middle": valid[:40] + "=" + valid[41:],
		"surrounding space": " " + valid[1:],
		"Metabase value":    testKey(t, secretA).SealText([]byte("x")),
		"too short":         valid[:44],
	} {
		if LooksEnvelope(text) {
			t.Errorf("%s: LooksEnvelope = true", name)
		}
		if _, err := k.OpenText(text, labelA); !errors.Is(err, ErrNotSealed) {
			t.Errorf("%s: %v, want ErrNotSealed", name, err)
		}
	}
}

func TestLooksEnvelopeAgreesWithRaw(t *testing.T) {
	// Every length around the boundary, and every second-byte value of
	// the magic.
	for n := range 80 {
		for _, b3 := range []byte{0x00, 0x01, 0x02, 0x03, 0x42, 0x82, 0xff} {
			raw := make([]byte, n)
			copy(raw, "SQS")
			if n > 3 {
				raw[3] = b3
			}
			for i := 4; i < n; i++ {
				raw[i] = byte(i * 53)
			}
			text := base64.StdEncoding.EncodeToString(raw)
			if LooksEnvelope(text) != LooksEnvelopeRaw(raw) {
				t.Fatalf("%d bytes, byte 3 = %#x: LooksEnvelope = %v, LooksEnvelopeRaw = %v", n, b3, LooksEnvelope(text), LooksEnvelopeRaw(raw))
			}
		}
	}
}

func TestNewDataKeyRejectsBadLengths(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		if _, err := NewDataKey(1, make([]byte, n)); err == nil {
			t.Errorf("%d-byte key accepted", n)
		}
	}
}

func TestDataKeyDoesNotRetainKeyBytes(t *testing.T) {
	b := bytes.Repeat([]byte{7}, 32)
	k, err := NewDataKey(1, b)
	if err != nil {
		t.Fatal(err)
	}
	raw := k.Seal([]byte("x"), labelA)
	clear(b)
	if got, err := k.Open(raw, labelA); err != nil || string(got) != "x" {
		t.Fatalf("clearing the caller's bytes broke the key: %v", err)
	}
}

func TestDataKeyFormattingRedacts(t *testing.T) {
	k := testDataKey(t, 42)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		for _, arg := range []any{k, *k} {
			if out := fmt.Sprintf(verb, arg); out != "codec.DataKey(id=42, redacted)" {
				t.Errorf("Sprintf(%q) = %q", verb, out)
			}
		}
	}
}

func TestEnvelopeAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	k := testDataKey(t, 1)
	keys, err := NewDataKeySet(k)
	if err != nil {
		t.Fatal(err)
	}
	ring := NewKeyring(testKey(t, secretA))
	ix, err := NewIndexKey(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	plaintext := make([]byte, 1024)
	raw := k.Seal(plaintext, labelA)
	text := k.SealText(plaintext, labelA)
	term := make([]byte, 0, TermLen)
	json := []byte(`{"host":"h","port":5432}`)
	ix.Term(plaintext, labelA) // derives k_col
	for _, tc := range []struct {
		name string
		max  float64
		f    func()
	}{
		{"DataKey.Seal", 1, func() { k.Seal(plaintext, labelA) }},
		{"DataKey.SealText", 1, func() { k.SealText(plaintext, labelA) }},
		{"DataKey.Open", 1, func() { k.Open(raw, labelA) }},
		{"DataKey.OpenText", 1, func() { k.OpenText(text, labelA) }},
		{"OpenStored", 1, func() { OpenStored(raw, labelA, keys, ring) }},
		{"OpenStoredText", 1, func() { OpenStoredText(text, labelA, keys, ring) }},
		{"OpenStoredText of plain JSON", 0, func() { OpenStoredText(`{"host":"h","port":5432}`, labelA, keys, ring) }},
		{"OpenStored of plain JSON", 0, func() { OpenStored(json, labelA, keys, ring) }},
		{"DataKey.Open under another label", 1, func() { k.Open(raw, labelB) }},
		{"IndexKey.Term", 1, func() { ix.Term(plaintext, labelA) }},
		{"IndexKey.AppendTerm", 0, func() { ix.AppendTerm(term[:0], plaintext, labelA) }},
	} {
		if got := testing.AllocsPerRun(200, tc.f); got > tc.max {
			t.Errorf("%s: %v allocations, want at most %v", tc.name, got, tc.max)
		}
	}
}

func TestLooksEnvelopeDoesNotAllocate(t *testing.T) {
	text := testDataKey(t, 1).SealText(make([]byte, 100), labelA)
	json := `{"host":"db.example.com","port":5432,"dbname":"analytics","user":"reader","password":"x"}`
	if n := testing.AllocsPerRun(100, func() { LooksEnvelope(text); LooksEnvelope(json) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

func TestDataKeyManyLabels(t *testing.T) {
	// Past the cache's limit, labels still work (built per call).
	k := testDataKey(t, 8)
	for i := range maxCachedLabels + 20 {
		label := fmt.Sprintf("t%d.c", i)
		if got, err := k.Open(k.Seal([]byte(label), label), label); err != nil || string(got) != label {
			t.Fatalf("%s: %q, %v", label, got, err)
		}
	}
	if n := len(*k.aads.labels.Load()); n != maxCachedLabels {
		t.Fatalf("%d cached labels", n)
	}
	raw := k.Seal([]byte("x"), "t0.c")
	if _, err := k.Open(raw, fmt.Sprintf("t%d.c", maxCachedLabels+5)); !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("uncached label opened another label's value: %v", err)
	}
}
