package codec

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// storedFixture is a configuration with both formats: data keys 2 (active)
// and 1, and a Metabase keyring with secretA (primary) and secretB.
type storedFixture struct {
	keys *DataKeySet
	ring *Keyring
}

func newStoredFixture(t *testing.T) storedFixture {
	t.Helper()
	keys, err := NewDataKeySet(testDataKey(t, 2), testDataKey(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	return storedFixture{keys: keys, ring: NewKeyring(testKey(t, secretA), testKey(t, secretB))}
}

func TestOpenStoredOpensBothFormats(t *testing.T) {
	f := newStoredFixture(t)
	plaintext := []byte(`{"host":"db","password":"hunter2"}`)
	tests := []struct {
		name string
		raw  []byte
		want Opened
	}{
		{"envelope, active key", testDataKey(t, 2).Seal(plaintext, labelA), Opened{FormatEnvelope, 2, -1}},
		{"envelope, older key", testDataKey(t, 1).Seal(plaintext, labelA), Opened{FormatEnvelope, 1, -1}},
		{"metabase, primary key", testKey(t, secretA).Seal(plaintext), Opened{FormatMetabase, 0, 0}},
		{"metabase, previous key", testKey(t, secretB).Seal(plaintext), Opened{FormatMetabase, 0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, by, err := OpenStored(tc.raw, labelA, f.keys, f.ring)
			if err != nil || !bytes.Equal(got, plaintext) || by != tc.want {
				t.Fatalf("OpenStored: %q, %+v, %v; want %+v", got, by, err, tc.want)
			}
			got, by, err = OpenStoredText(base64.StdEncoding.EncodeToString(tc.raw), labelA, f.keys, f.ring)
			if err != nil || !bytes.Equal(got, plaintext) || by != tc.want {
				t.Fatalf("OpenStoredText: %q, %+v, %v; want %+v", got, by, err, tc.want)
			}
		})
	}
}

func TestOpenStoredNotSealed(t *testing.T) {
	f := newStoredFixture(t)
	short := testDataKey(t, 2).Seal(nil, labelA)[:35] // "SQS" 0x02, one byte short
	for name, raw := range map[string][]byte{
		"JSON":                 []byte(`{"host":"localhost","port":5432}`),
		"empty":                nil,
		"35-byte envelope":     short,
		"63 bytes":             bytes.Repeat([]byte{'a'}, 63),
		"SQS 0x03, 64 bytes":   append([]byte("SQS\x03"), make([]byte, 61)...),
		"long plaintext":       []byte(strings.Repeat("plain text ", 100)),
		"SQS 0x02 in the text": []byte("xSQS\x02" + strings.Repeat(".", 40)),
	} {
		t.Run(name, func(t *testing.T) {
			_, by, err := OpenStored(raw, labelA, f.keys, f.ring)
			if !errors.Is(err, ErrNotSealed) || by != (Opened{KeyIndex: -1}) {
				t.Errorf("OpenStored: %+v, %v; want ErrNotSealed", by, err)
			}
			text := string(raw)
			if name != "JSON" && name != "long plaintext" {
				text = base64.StdEncoding.EncodeToString(raw)
			}
			_, by, err = OpenStoredText(text, labelA, f.keys, f.ring)
			if !errors.Is(err, ErrNotSealed) || by != (Opened{KeyIndex: -1}) {
				t.Errorf("OpenStoredText: %+v, %v; want ErrNotSealed", by, err)
			}
			if LooksEnvelope(text) || LooksSealed(text) {
				t.Error("looks sealed")
			}
		})
	}
}

func TestOpenStoredUnknownKeyID(t *testing.T) {
	f := newStoredFixture(t)
	raw := testDataKey(t, 9).Seal([]byte("x"), labelA) // 37 bytes: not a Metabase shape
	var nilSet *DataKeySet
	for name, keys := range map[string]DataKeys{"other keys": f.keys, "nil": nil, "nil set": nilSet} {
		t.Run(name, func(t *testing.T) {
			_, by, err := OpenStored(raw, labelA, keys, f.ring)
			if !errors.Is(err, ErrUnknownKeyID) || !errors.Is(err, ErrCannotOpen) || by != (Opened{FormatEnvelope, 9, -1}) {
				t.Fatalf("%+v, %v", by, err)
			}
			if !strings.Contains(err.Error(), "key id 9") {
				t.Errorf("error %q does not name the key id", err)
			}
			_, by, err = OpenStoredText(base64.StdEncoding.EncodeToString(raw), labelA, keys, f.ring)
			if !errors.Is(err, ErrUnknownKeyID) || by.KeyID != 9 {
				t.Fatalf("text: %+v, %v", by, err)
			}
		})
	}
}

// metabaseLookingLikeEnvelope seals plaintext in the Metabase format with an
// IV that starts with "SQS" 0x02 and names data key id.
func metabaseLookingLikeEnvelope(t *testing.T, k *Key, id uint32, plaintext []byte) []byte {
	t.Helper()
	iv := []byte("SQS\x02....abcdefgh")
	binary.BigEndian.PutUint32(iv[4:8], id)
	raw := k.sealWithIV(iv, plaintext)
	if !LooksEnvelopeRaw(raw) || !LooksSealedRaw(raw) {
		t.Fatal("the value must have both shapes")
	}
	return raw
}

func TestOpenStoredFallsBackToMetabase(t *testing.T) {
	f := newStoredFixture(t)
	plaintext := []byte("an unlucky IV")
	for _, tc := range []struct {
		name    string
		id      uint32
		envErr  error
		keyring *Key
		index   int
	}{
		{"names a known data key", 2, ErrNotAuthentic, testKey(t, secretA), 0},
		{"names an unknown data key", 77, ErrUnknownKeyID, testKey(t, secretB), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := metabaseLookingLikeEnvelope(t, tc.keyring, tc.id, plaintext)
			text := base64.StdEncoding.EncodeToString(raw)
			got, by, err := OpenStored(raw, labelA, f.keys, f.ring)
			if err != nil || !bytes.Equal(got, plaintext) || by != (Opened{FormatMetabase, 0, tc.index}) {
				t.Fatalf("OpenStored: %q, %+v, %v", got, by, err)
			}
			got, by, err = OpenStoredText(text, labelA, f.keys, f.ring)
			if err != nil || !bytes.Equal(got, plaintext) || by != (Opened{FormatMetabase, 0, tc.index}) {
				t.Fatalf("OpenStoredText: %q, %+v, %v", got, by, err)
			}
			// Without a Metabase key that opens it, the envelope error
			// stands, whatever the keyring says.
			for _, ring := range []*Keyring{nil, NewKeyring(testKey(t, secretC))} {
				_, by, err = OpenStored(raw, labelA, f.keys, ring)
				if !errors.Is(err, tc.envErr) || by != (Opened{FormatEnvelope, tc.id, -1}) {
					t.Fatalf("OpenStored without the key: %+v, %v; want %v", by, err, tc.envErr)
				}
				_, by, err = OpenStoredText(text, labelA, f.keys, ring)
				if !errors.Is(err, tc.envErr) || by != (Opened{FormatEnvelope, tc.id, -1}) {
					t.Fatalf("OpenStoredText without the key: %+v, %v; want %v", by, err, tc.envErr)
				}
			}
		})
	}
}

func TestOpenStoredEnvelopeWithMetabaseLengthIsNotMistaken(t *testing.T) {
	// 28 bytes of plaintext make a 64-byte envelope value, which also has
	// the Metabase shape. A wrong label must report the envelope error.
	f := newStoredFixture(t)
	raw := testDataKey(t, 2).Seal(bytes.Repeat([]byte("p"), 28), labelA)
	if !LooksSealedRaw(raw) {
		t.Fatal("want a Metabase-shaped envelope value")
	}
	_, by, err := OpenStored(raw, labelB, f.keys, f.ring)
	if !errors.Is(err, ErrNotAuthentic) || by.Format != FormatEnvelope {
		t.Fatalf("%+v, %v", by, err)
	}
	_, by, err = OpenStoredText(base64.StdEncoding.EncodeToString(raw), labelB, f.keys, f.ring)
	if !errors.Is(err, ErrNotAuthentic) || by.Format != FormatEnvelope {
		t.Fatalf("text: %+v, %v", by, err)
	}
	got, _, err := OpenStoredText(base64.StdEncoding.EncodeToString(raw), labelA, f.keys, f.ring)
	if err != nil || string(got) != strings.Repeat("p", 28) {
		t.Fatalf("right label: %v", err)
	}
}

func TestOpenStoredMetabaseErrors(t *testing.T) {
	f := newStoredFixture(t)
	text := testKey(t, secretC).SealText([]byte("x")) // IV is random: not an envelope
	for _, tc := range []struct {
		name string
		ring *Keyring
		want error
	}{
		{"no keyring", nil, ErrNoKey},
		{"empty keyring", NewKeyring(nil), ErrNoKey},
		{"other keys", f.ring, ErrCannotOpen},
	} {
		_, by, err := OpenStoredText(text, labelA, f.keys, tc.ring)
		if !errors.Is(err, tc.want) || by != (Opened{FormatMetabase, 0, -1}) {
			t.Errorf("%s: %+v, %v; want %v", tc.name, by, err, tc.want)
		}
	}
}

func TestOpenStoredValueCopiedFromAnotherColumn(t *testing.T) {
	// What an engine does to name both columns (see OpenStored's doc).
	f := newStoredFixture(t)
	raw := f.keys.Active().Seal([]byte("ssn 078-05-1120"), "users.ssn")
	_, by, err := OpenStored(raw, "users.notes", f.keys, f.ring)
	if !errors.Is(err, ErrNotAuthentic) {
		t.Fatalf("%v, want ErrNotAuthentic", err)
	}
	k, ok := f.keys.Lookup(by.KeyID)
	if !ok {
		t.Fatal("the key that sealed it is configured")
	}
	var origin string
	for _, other := range []string{"metabase_database.details", "users.ssn"} {
		if _, err := k.Open(raw, other); err == nil {
			origin = other
		}
	}
	if origin != "users.ssn" {
		t.Fatalf("origin = %q", origin)
	}
}

func TestOpenedString(t *testing.T) {
	for o, want := range map[Opened]string{
		{FormatEnvelope, 7, -1}:       "envelope key 7",
		{FormatMetabase, 0, 1}:        "metabase key 1",
		{FormatMetabase, 0, -1}:       "metabase",
		{FormatNone, 0, -1}:           "none",
		{Format(9), 0, -1}:            "Format(9)",
		{FormatEnvelope, 1 << 31, -1}: "envelope key 2147483648",
	} {
		if got := o.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", o, got, want)
		}
	}
}

func TestDataKeySet(t *testing.T) {
	a, b := testDataKey(t, 1), testDataKey(t, 2)
	if _, err := NewDataKeySet(a, b, testDataKey(t, 1)); err == nil {
		t.Fatal("duplicate id accepted")
	}
	if _, err := NewDataKeySet(a, a); err == nil {
		t.Fatal("the same key twice accepted")
	}
	s, err := NewDataKeySet(nil, a, nil, b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Active() != nil || s.Len() != 2 {
		t.Fatalf("Active %v, Len %d", s.Active(), s.Len())
	}
	if k, ok := s.Lookup(2); !ok || k != b {
		t.Fatal("Lookup(2)")
	}
	if _, ok := s.Lookup(3); ok {
		t.Fatal("Lookup(3)")
	}
	var empty *DataKeySet
	if _, ok := empty.Lookup(1); ok || empty.Len() != 0 || empty.Active() != nil {
		t.Fatal("nil set is not empty")
	}
}

func TestEnvelopeErrorsDoNotContainSecretsOrValues(t *testing.T) {
	keyBytes := bytes.Repeat([]byte{0xab}, 32)
	k, err := NewDataKey(4, keyBytes)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := NewDataKeySet(k)
	plaintext := []byte("plaintext-that-must-never-leak")
	raw := k.Seal(plaintext, labelA)
	bad := bytes.Clone(raw)
	bad[30] ^= 1
	var errs []error
	_, err = k.Open(bad, labelA)
	errs = append(errs, err)
	_, err = k.OpenText(base64.StdEncoding.EncodeToString(bad), labelA)
	errs = append(errs, err)
	_, _, err = OpenStored(bad, labelA, keys, nil)
	errs = append(errs, err)
	_, _, err = OpenStored(raw, labelA, nil, nil)
	errs = append(errs, err)
	_, _, err = OpenStoredText(string(plaintext), labelA, keys, nil)
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("want an error")
		}
		msg := err.Error()
		for _, s := range []string{string(plaintext), base64.StdEncoding.EncodeToString(raw)[:12], "abababab", "ABABABAB", "q6urq6"} {
			if strings.Contains(msg, s) {
				t.Errorf("error %q contains sensitive text", msg)
			}
		}
	}
}
