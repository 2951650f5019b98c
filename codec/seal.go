package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"sync"
	"unsafe"
)

// Seal encrypts and authenticates plaintext and returns the raw sealed value
// iv || AES-256-CBC(PKCS7(plaintext)) || HMAC-SHA512(iv || c)[:32], with a
// fresh random IV. Use it for binary columns (bytea, BLOB); text columns
// take [Key.SealText]. Sealing the same plaintext twice gives different
// values.
func (k *Key) Seal(plaintext []byte) []byte {
	raw := make([]byte, sealedLen(len(plaintext)))
	rand.Read(raw[:ivLen]) // never fails: crypto/rand crashes the program instead
	k.sealInto(raw, plaintext)
	return raw
}

// SealText is [Key.Seal] encoded with standard base64 (with padding, no line
// breaks): the form Metabase stores in text columns.
func (k *Key) SealText(plaintext []byte) string {
	return sealText(sealedLen(len(plaintext)), func(raw []byte) {
		rand.Read(raw[:ivLen]) // never fails: crypto/rand crashes the program instead
		k.sealInto(raw, plaintext)
	})
}

// sealText returns the standard base64 of the n raw bytes seal fills in.
// The raw value is only a step towards its text: it is sealed into a reused
// buffer (it holds ciphertext, nothing secret), and the text is the one
// allocation.
func sealText(n int, seal func(raw []byte)) string {
	text := make([]byte, base64.StdEncoding.EncodedLen(n))
	bp := rawBuffers.Get().(*[]byte)
	raw := *bp
	if cap(raw) < n {
		raw = make([]byte, n)
	}
	raw = raw[:n]
	seal(raw)
	base64.StdEncoding.Encode(text, raw)
	if cap(raw) <= maxPooledRaw {
		*bp = raw
		rawBuffers.Put(bp)
	}
	// text is never written again, so it can back the string without a
	// copy.
	return unsafe.String(&text[0], len(text))
}

// rawBuffers holds scratch buffers for SealText, up to maxPooledRaw bytes.
var rawBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledRaw = 64 << 10

// sealWithIV is Seal with a chosen IV, for known-answer tests. iv must be
// ivLen bytes.
func (k *Key) sealWithIV(iv, plaintext []byte) []byte {
	if len(iv) != ivLen {
		panic("codec: IV must be 16 bytes")
	}
	raw := make([]byte, sealedLen(len(plaintext)))
	copy(raw, iv)
	k.sealInto(raw, plaintext)
	return raw
}

// sealedLen is the length of the sealed form of n plaintext bytes. PKCS7
// always adds padding: a full block when n is a multiple of the block size.
func sealedLen(n int) int {
	return ivLen + (n/aes.BlockSize+1)*aes.BlockSize + tagLen
}

// sealInto fills raw, which has length sealedLen(len(plaintext)) and starts
// with the IV, with the padded ciphertext and the tag. It encrypts in place,
// so the plaintext is copied exactly once.
func (k *Key) sealInto(raw, plaintext []byte) {
	body := raw[ivLen : len(raw)-tagLen]
	n := copy(body, plaintext)
	pad := byte(len(body) - n)
	for i := n; i < len(body); i++ {
		body[i] = pad
	}
	cipher.NewCBCEncrypter(k.block, raw[:ivLen]).CryptBlocks(body, body)

	st := k.macs.Get().(*macState)
	copy(raw[len(raw)-tagLen:], k.tag(st, raw[:len(raw)-tagLen]))
	k.macs.Put(st)
}
