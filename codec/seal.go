package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
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
	// One allocation holds the raw sealed value and, after it, its base64
	// text. The text is never written again once encoded, so it can back
	// the returned string without a copy.
	n := sealedLen(len(plaintext))
	buf := make([]byte, n+base64.StdEncoding.EncodedLen(n))
	raw, text := buf[:n], buf[n:]
	rand.Read(raw[:ivLen]) // never fails: crypto/rand crashes the program instead
	k.sealInto(raw, plaintext)
	base64.StdEncoding.Encode(text, raw)
	return unsafe.String(&text[0], len(text))
}

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
