package codec

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// envelopeVectors is the shape of testdata/envelope-vectors.json, produced
// with Node.js's crypto by testdata/envelope-vectors.js (see its "about").
type envelopeVectors struct {
	About     string `json:"about"`
	Secret    string `json:"secret"`
	PBKDF2Hex string `json:"pbkdf2_hex"`
	KEKHex    string `json:"kek_hex"`
	KEKID     string `json:"kek_id"`
	DataKeys  []struct {
		ID         uint32 `json:"id"`
		KeyHex     string `json:"key_hex"`
		WrappedHex string `json:"wrapped_hex"`
	} `json:"data_keys"`
	IndexKeys []struct {
		ID         uint32 `json:"id"`
		KeyHex     string `json:"key_hex"`
		WrappedHex string `json:"wrapped_hex"`
	} `json:"index_keys"`
	Envelopes []struct {
		Name         string `json:"name"`
		KeyID        uint32 `json:"key_id"`
		Label        string `json:"label"`
		NonceHex     string `json:"nonce_hex"`
		PlaintextHex string `json:"plaintext_hex"`
		RawHex       string `json:"raw_hex"`
		Text         string `json:"text"`
	} `json:"envelopes"`
	BlindIndex []struct {
		Name         string `json:"name"`
		Root         string `json:"root"`
		Label        string `json:"label"`
		PlaintextHex string `json:"plaintext_hex"`
		KColHex      string `json:"k_col_hex"`
		TermHex      string `json:"term_hex"`
	} `json:"blind_index"`
	MetabaseFallback []struct {
		Name      string `json:"name"`
		IVHex     string `json:"iv_hex"`
		Plaintext string `json:"plaintext"`
		Text      string `json:"text"`
	} `json:"metabase_fallback"`
}

func readEnvelopeVectors(t *testing.T) *envelopeVectors {
	t.Helper()
	var v envelopeVectors
	readJSON(t, "envelope-vectors.json", &v)
	if len(v.Envelopes) < 4 || len(v.DataKeys) == 0 || len(v.BlindIndex) == 0 || len(v.MetabaseFallback) == 0 {
		t.Fatal("envelope-vectors.json is incomplete")
	}
	return &v
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// vectorDataKeys returns the data keys of the vectors as a set.
func vectorDataKeys(t *testing.T, v *envelopeVectors) *DataKeySet {
	t.Helper()
	var keys []*DataKey
	for _, dk := range v.DataKeys {
		k, err := NewDataKey(dk.ID, unhex(t, dk.KeyHex))
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	set, err := NewDataKeySet(keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestEnvelopeVectorsSecretKEK(t *testing.T) {
	v := readEnvelopeVectors(t)
	material, err := deriveMaterial(v.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(material) != v.PBKDF2Hex {
		t.Fatal("PBKDF2 key differs from Node's")
	}
	k, err := DeriveKey(v.Secret)
	if err != nil {
		t.Fatal(err)
	}
	kek, err := NewSecretKEK(k)
	if err != nil {
		t.Fatal(err)
	}
	if kek.ID() != v.KEKID {
		t.Errorf("ID() = %q, Node says %q", kek.ID(), v.KEKID)
	}
	ctx := context.Background()
	wrapped := func(name string, id uint32, keyHex, wrappedHex string) {
		t.Run(name, func(t *testing.T) {
			w := unhex(t, wrappedHex)
			// Node's wrapped key unwraps.
			got, err := kek.Unwrap(ctx, id, w)
			if err != nil || hex.EncodeToString(got) != keyHex {
				t.Fatalf("Unwrap(Node's wrapped key) = %x, %v", got, err)
			}
			// The same nonce reproduces Node's bytes.
			if again := kek.wrapWithNonce(w[:wrapNonceLen], id, unhex(t, keyHex)); !bytes.Equal(again, w) {
				t.Fatalf("wrapped to\n%x\nNode:\n%x", again, w)
			}
			// Bound to the id.
			if _, err := kek.Unwrap(ctx, id+1, w); !errors.Is(err, ErrUnwrap) {
				t.Fatalf("Unwrap under another id: %v", err)
			}
		})
	}
	for _, dk := range v.DataKeys {
		wrapped("data-key", dk.ID, dk.KeyHex, dk.WrappedHex)
		key, err := UnwrapDataKey(ctx, kek, dk.ID, unhex(t, dk.WrappedHex))
		if err != nil || key.ID() != dk.ID {
			t.Fatalf("UnwrapDataKey: %v", err)
		}
	}
	for _, ik := range v.IndexKeys {
		wrapped("index-key", ik.ID, ik.KeyHex, ik.WrappedHex)
		if _, err := UnwrapIndexKey(ctx, kek, ik.ID, unhex(t, ik.WrappedHex)); err != nil {
			t.Fatalf("UnwrapIndexKey: %v", err)
		}
	}
}

// Node's values open, bound to their column, and the codec seals the same
// bytes with the same nonce.
func TestEnvelopeVectorsOpenAndSeal(t *testing.T) {
	v := readEnvelopeVectors(t)
	keys := vectorDataKeys(t, v)
	for _, tc := range v.Envelopes {
		t.Run(tc.Name, func(t *testing.T) {
			k, ok := keys.Lookup(tc.KeyID)
			if !ok {
				t.Fatalf("no key %d", tc.KeyID)
			}
			raw, plaintext := unhex(t, tc.RawHex), unhex(t, tc.PlaintextHex)
			if got := base64.StdEncoding.EncodeToString(raw); got != tc.Text {
				t.Fatal("vector text is not base64 of raw")
			}
			if !strings.HasPrefix(tc.Text, "U1FTA") || !LooksEnvelope(tc.Text) || !LooksEnvelopeRaw(raw) {
				t.Fatal("Node's value does not look like an envelope value")
			}
			got, err := k.Open(raw, tc.Label)
			if err != nil || !bytes.Equal(got, plaintext) {
				t.Fatalf("Open: %x, %v", got, err)
			}
			got, err = k.OpenText(tc.Text, tc.Label)
			if err != nil || !bytes.Equal(got, plaintext) {
				t.Fatalf("OpenText: %x, %v", got, err)
			}
			got, by, err := OpenStored(raw, tc.Label, keys, nil)
			if err != nil || !bytes.Equal(got, plaintext) || by != (Opened{Format: FormatEnvelope, KeyID: tc.KeyID, KeyIndex: -1}) {
				t.Fatalf("OpenStored: %x, %+v, %v", got, by, err)
			}
			got, by, err = OpenStoredText(tc.Text, tc.Label, keys, nil)
			if err != nil || !bytes.Equal(got, plaintext) || by.Format != FormatEnvelope || by.KeyID != tc.KeyID {
				t.Fatalf("OpenStoredText: %x, %+v, %v", got, by, err)
			}
			// Bound to the column.
			if _, err := k.OpenText(tc.Text, tc.Label+"x"); !errors.Is(err, ErrNotAuthentic) {
				t.Fatalf("opened under another label: %v", err)
			}
			// Sealing with Node's nonce gives Node's bytes.
			if got := k.sealWithNonce(unhex(t, tc.NonceHex), plaintext, tc.Label); hex.EncodeToString(got) != tc.RawHex {
				t.Fatalf("sealed to\n%x\nNode:\n%s", got, tc.RawHex)
			}
		})
	}
}

func TestEnvelopeVectorsBlindIndex(t *testing.T) {
	v := readEnvelopeVectors(t)
	k, err := DeriveKey(v.Secret)
	if err != nil {
		t.Fatal(err)
	}
	secretIndex, err := NewSecretIndexKey(k)
	if err != nil {
		t.Fatal(err)
	}
	tableIndex, err := NewIndexKey(unhex(t, v.IndexKeys[0].KeyHex))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range v.BlindIndex {
		t.Run(tc.Name, func(t *testing.T) {
			x := secretIndex
			if tc.Root == "index_key" {
				x = tableIndex
			}
			got := x.Term(unhex(t, tc.PlaintextHex), tc.Label)
			if hex.EncodeToString(got) != tc.TermHex || len(got) != TermLen {
				t.Fatalf("term\n%x\nNode:\n%s", got, tc.TermHex)
			}
		})
	}
}

func TestEnvelopeVectorsMetabaseFallback(t *testing.T) {
	v := readEnvelopeVectors(t)
	keys := vectorDataKeys(t, v)
	k, err := DeriveKey(v.Secret)
	if err != nil {
		t.Fatal(err)
	}
	ring := NewKeyring(k)
	for _, tc := range v.MetabaseFallback {
		t.Run(tc.Name, func(t *testing.T) {
			raw, err := base64.StdEncoding.DecodeString(tc.Text)
			if err != nil {
				t.Fatal(err)
			}
			if !LooksEnvelope(tc.Text) || !LooksSealed(tc.Text) {
				t.Fatal("the vector must have both shapes")
			}
			got, by, err := OpenStoredText(tc.Text, "metabase_database.details", keys, ring)
			if err != nil || string(got) != tc.Plaintext || by != (Opened{Format: FormatMetabase, KeyIndex: 0}) {
				t.Fatalf("OpenStoredText: %q, %+v, %v", got, by, err)
			}
			got, by, err = OpenStored(raw, "metabase_database.details", keys, ring)
			if err != nil || string(got) != tc.Plaintext || by.Format != FormatMetabase {
				t.Fatalf("OpenStored: %q, %+v, %v", got, by, err)
			}
			// Without the Metabase key, the envelope error stands.
			want := ErrUnknownKeyID
			if _, known := keys.Lookup(envelopeKeyID(raw)); known {
				want = ErrNotAuthentic
			}
			_, by, err = OpenStoredText(tc.Text, "metabase_database.details", keys, nil)
			if !errors.Is(err, want) || !errors.Is(err, ErrCannotOpen) || by.Format != FormatEnvelope || by.KeyID != envelopeKeyID(raw) {
				t.Fatalf("without keyring: %+v, %v; want %v", by, err, want)
			}
		})
	}
}
