// Package kmstest emulates the KMS sqlseal's tests talk to: the transit
// secrets engine of HashiCorp Vault, over HTTP, as gocloud.dev's hashivault
// keeper calls it. It counts the calls, so tests can prove how often a
// process asks the KMS.
//
//	v := kmstest.Vault()                  // one server per test process
//	url := "hashivault://" + keyName      // a fresh key name per test
//	... use url as SQLSEAL_KEK_URL ...
//	v.Decrypts(keyName)                   // how many unwraps reached it
package kmstest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
)

// VaultServer is an emulated Vault transit engine. Each key name gets its
// own random AES-256-GCM key on first use.
type VaultServer struct {
	srv *httptest.Server

	mu       sync.Mutex
	keys     map[string]cipher.AEAD
	encrypts map[string]int
	decrypts map[string]int
}

var (
	vaultOnce sync.Once
	vault     *VaultServer
)

// Vault returns the process's emulated Vault, starting it and pointing
// VAULT_SERVER_URL and VAULT_SERVER_TOKEN at it on first use: the
// hashivault keeper reads them once per process.
func Vault() *VaultServer {
	vaultOnce.Do(func() {
		vault = &VaultServer{keys: map[string]cipher.AEAD{}, encrypts: map[string]int{}, decrypts: map[string]int{}}
		vault.srv = httptest.NewServer(http.HandlerFunc(vault.serve))
		os.Setenv("VAULT_SERVER_URL", vault.srv.URL)
		os.Setenv("VAULT_SERVER_TOKEN", "kmstest-token")
	})
	return vault
}

// Encrypts returns how many encrypt calls reached key name.
func (v *VaultServer) Encrypts(name string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.encrypts[name]
}

// Decrypts returns how many decrypt calls reached key name.
func (v *VaultServer) Decrypts(name string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.decrypts[name]
}

// serve answers POST or PUT /v1/transit/encrypt/<key> and
// /v1/transit/decrypt/<key> as Vault does: base64 plaintext in and out,
// ciphertext "vault:v1:" + base64.
func (v *VaultServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		http.Error(w, `{"errors":["method"]}`, http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("X-Vault-Token") != "kmstest-token" {
		http.Error(w, `{"errors":["permission denied"]}`, http.StatusForbidden)
		return
	}
	op, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/v1/transit/"), "/")
	if !ok || name == "" {
		http.Error(w, `{"errors":["no handler for route"]}`, http.StatusNotFound)
		return
	}
	var in struct {
		Plaintext  string `json:"plaintext"`
		Ciphertext string `json:"ciphertext"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, `{"errors":["bad json"]}`, http.StatusBadRequest)
		return
	}
	aead := v.key(name)
	var data map[string]string
	switch op {
	case "encrypt":
		pt, err := base64.StdEncoding.DecodeString(in.Plaintext)
		if err != nil {
			http.Error(w, `{"errors":["plaintext is not base64"]}`, http.StatusBadRequest)
			return
		}
		v.count(v.encrypts, name)
		nonce := make([]byte, aead.NonceSize())
		rand.Read(nonce)
		data = map[string]string{"ciphertext": "vault:v1:" + base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, pt, nil))}
	case "decrypt":
		v.count(v.decrypts, name)
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(in.Ciphertext, "vault:v1:"))
		if err != nil || !strings.HasPrefix(in.Ciphertext, "vault:v1:") || len(raw) < aead.NonceSize() {
			http.Error(w, `{"errors":["invalid ciphertext"]}`, http.StatusBadRequest)
			return
		}
		pt, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
		if err != nil {
			http.Error(w, `{"errors":["cipher: message authentication failed"]}`, http.StatusBadRequest)
			return
		}
		data = map[string]string{"plaintext": base64.StdEncoding.EncodeToString(pt)}
	default:
		http.Error(w, `{"errors":["no handler for route"]}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"data": data})
}

// key returns the AEAD of key name, making it on first use.
func (v *VaultServer) key(name string) cipher.AEAD {
	v.mu.Lock()
	defer v.mu.Unlock()
	if a, ok := v.keys[name]; ok {
		return a
	}
	k := make([]byte, 32)
	rand.Read(k)
	block, _ := aes.NewCipher(k)
	a, _ := cipher.NewGCM(block)
	v.keys[name] = a
	return a
}

// count adds one call to m[name].
func (v *VaultServer) count(m map[string]int, name string) {
	v.mu.Lock()
	m[name]++
	v.mu.Unlock()
}
