package kms_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	_ "gocloud.dev/secrets/hashivault"
	_ "gocloud.dev/secrets/localsecrets"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/kmstest"
	"github.com/sqlseal/sqlseal/internal/testdb"
	"github.com/sqlseal/sqlseal/kms"
)

// The key table records a master key by an id that holds no secret: no
// credentials, no query parameters, no key bytes.
func TestIDHoldsNoSecret(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	tests := []struct{ url, want, secret string }{
		{"awskms://alias/sqlseal?region=eu-west-1&awssdk=v2", "awskms://alias/sqlseal", "region"},
		{"gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k", "gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k", ""},
		{"azurekeyvault://vault.vault.azure.net/keys/k", "azurekeyvault://vault.vault.azure.net/keys/k", ""},
		{"hashivault://user:hunter2@sqlseal", "hashivault://sqlseal", "hunter2"},
		{"base64key://" + key, "base64key:", key},
		{"not a url at all", "url:", "not a url"},
	}
	for _, tc := range tests {
		got := kms.ID(tc.url)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("ID(%q) = %q, want prefix %q", tc.url, got, tc.want)
		}
		if tc.secret != "" && strings.Contains(got, tc.secret) {
			t.Errorf("ID(%q) = %q reveals %q", tc.url, got, tc.secret)
		}
	}
	if kms.ID("base64key://"+key) == kms.ID("base64key://"+base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{8}, 32))) {
		t.Error("two local keys share an id")
	}
}

// Importing kms makes config.Config.KEKURL open a gocloud keeper, whose
// wrapping the codec's data keys go through.
func TestLocalKeeperWrapsDataKeys(t *testing.T) {
	ctx := context.Background()
	raw := make([]byte, 32)
	rand.Read(raw)
	url := "base64key://" + base64.URLEncoding.EncodeToString(raw)
	w, err := config.Config{KEKURL: url}.MasterKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if w.ID() != kms.ID(url) {
		t.Fatalf("ID %q, want %q", w.ID(), kms.ID(url))
	}
	dk, wrapped, err := codec.GenerateDataKey(ctx, w, 7)
	if err != nil {
		t.Fatal(err)
	}
	back, err := codec.UnwrapDataKey(ctx, w, 7, wrapped)
	if err != nil {
		t.Fatal(err)
	}
	sealed := dk.SealText([]byte("s3cret"), "t.c")
	if pt, err := back.OpenText(sealed, "t.c"); err != nil || string(pt) != "s3cret" {
		t.Fatalf("unwrapped key opens %q, %v", pt, err)
	}
	other := make([]byte, 32)
	rand.Read(other)
	w2, err := kms.Open(ctx, "base64key://"+base64.URLEncoding.EncodeToString(other))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := codec.UnwrapDataKey(ctx, w2, 7, wrapped); err == nil {
		t.Fatal("another local key unwrapped the data key")
	}
}

// Vault transit, emulated over HTTP: wrapped keys are Vault ciphertexts,
// and each wrap and unwrap is one call (making a key unwraps it once, to
// check that the KMS gives it back).
func TestVaultTransit(t *testing.T) {
	ctx := context.Background()
	v := kmstest.Vault()
	name := testdb.Name(t, "kms")
	w, err := kms.Open(ctx, "hashivault://"+name)
	if err != nil {
		t.Fatal(err)
	}
	if w.ID() != "hashivault://"+name {
		t.Fatalf("ID %q", w.ID())
	}
	_, wrapped, err := codec.GenerateDataKey(ctx, w, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(wrapped, []byte("vault:v1:")) {
		t.Fatalf("wrapped key %q is not a Vault ciphertext", wrapped)
	}
	if _, err := codec.UnwrapDataKey(ctx, w, 1, wrapped); err != nil {
		t.Fatal(err)
	}
	if e, d := v.Encrypts(name), v.Decrypts(name); e != 1 || d != 2 {
		t.Fatalf("%d encrypt and %d decrypt calls, want 1 and 2", e, d)
	}
	tampered := bytes.Clone(wrapped)
	tampered[len(tampered)-2] ^= 'A' ^ 'B'
	if _, err := codec.UnwrapDataKey(ctx, w, 1, tampered); err == nil {
		t.Fatal("a tampered Vault ciphertext unwrapped")
	}
}

// Opening a URL of an unknown scheme fails without repeating the URL,
// which may hold credentials.
func TestOpenErrorHidesURL(t *testing.T) {
	_, err := kms.Open(context.Background(), "nosuchkms://user:hunter2@host/key")
	if err == nil {
		t.Fatal("an unknown scheme opened")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error reveals the password: %v", err)
	}
}

// The key of a base64key:// URL never appears in an error, whatever form
// the URL takes: a trailing newline from a mounted secret, an upper-case
// scheme.
func TestOpenErrorsHoldNoKey(t *testing.T) {
	const key = "smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4="
	for _, u := range []string{
		"base64key://" + key + "\n",
		"base64key://" + key + "\r",
		"BASE64KEY://" + key + "\t",
		"base64key://" + key + "%zz",
		"base64key://user:" + key + "@x",
	} {
		if _, err := kms.Open(context.Background(), u); err != nil && strings.Contains(err.Error(), key[:12]) {
			t.Errorf("kms.Open(%q): the error holds the key: %v", u, err)
		}
		if _, err := (config.Config{KEKURL: u}).MasterKey(context.Background()); err != nil && strings.Contains(err.Error(), key[:12]) {
			t.Errorf("Config.MasterKey(%q): the error holds the key: %v", u, err)
		}
	}
}
