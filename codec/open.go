package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"unsafe"
)

// Preallocated errors, so that failing to open (a common, expected event
// for plaintext rows) does not allocate.
var (
	errBadLength    = fmt.Errorf("%w: length is not iv (16) + a whole number of 16-byte blocks + tag (32), at least 64 bytes", ErrNotSealed)
	errBadText      = fmt.Errorf("%w: not strict padded standard base64 of at least 64 bytes with a sealed value's length", ErrNotSealed)
	errBadTag       = fmt.Errorf("%w: the authentication tag does not match", ErrCannotOpen)
	errBadPadding   = fmt.Errorf("%w: the authentication tag matches but the padding is invalid", ErrCannotOpen)
	errNoKeyToOpen  = fmt.Errorf("%w: the value is sealed but no key is configured to open it", ErrNoKey)
	errNoKeyToSeal  = fmt.Errorf("%w: sealing needs a primary key", ErrNoKey)
	errNoKeyMatches = fmt.Errorf("%w: no configured key authenticates the value", ErrCannotOpen)
)

// Open checks and decrypts a raw sealed value (see [Key.Seal]). The tag is
// verified in constant time before anything is decrypted. It returns an
// error wrapping [ErrNotSealed] when raw does not have the length of a
// sealed value, and one wrapping [ErrCannotOpen] when the tag or the padding
// is wrong (another key, or a modified value). raw is not modified.
func (k *Key) Open(raw []byte) ([]byte, error) {
	if !LooksSealedRaw(raw) {
		return nil, errBadLength
	}
	if !k.authentic(raw) {
		return nil, errBadTag
	}
	out := make([]byte, len(raw)-ivLen-tagLen)
	return k.decrypt(out, raw)
}

// OpenText is [Key.Open] for the base64 form (see [Key.SealText]). Text that
// is not strict padded standard base64 of a sealed value's length returns an
// error wrapping [ErrNotSealed].
func (k *Key) OpenText(text string) ([]byte, error) {
	raw, err := decodeText(text)
	if err != nil {
		return nil, err
	}
	if !k.authentic(raw) {
		return nil, errBadTag
	}
	return k.decryptInPlace(raw)
}

// decodeText decodes a value that looks sealed into a new buffer.
func decodeText(text string) ([]byte, error) {
	n, ok := sealedTextShape(text)
	if !ok {
		return nil, errBadText
	}
	raw := make([]byte, n)
	// Decode reads its source only, so the text's bytes can be viewed in
	// place instead of copied. It rejects characters outside the alphabet
	// and misplaced padding; the line breaks it would skip make the
	// decoded length fall short of n. So decoding checks the alphabet as
	// LooksSealed does, without a separate pass.
	src := unsafe.Slice(unsafe.StringData(text), len(text))
	if m, err := base64.StdEncoding.Decode(raw, src); err != nil || m != n {
		return nil, errBadText
	}
	return raw, nil
}

// authentic reports whether raw's tag is the HMAC of its IV and ciphertext
// under k, comparing in constant time. raw must have a sealed value's length.
func (k *Key) authentic(raw []byte) bool {
	st := k.macs.Get().(*macState)
	ok := hmac.Equal(k.tag(st, raw[:len(raw)-tagLen]), raw[len(raw)-tagLen:])
	k.macs.Put(st)
	return ok
}

// decrypt decrypts the authenticated value raw into dst, which has the
// length of raw's ciphertext, and returns the unpadded plaintext.
func (k *Key) decrypt(dst, raw []byte) ([]byte, error) {
	cipher.NewCBCDecrypter(k.block, raw[:ivLen]).CryptBlocks(dst, raw[ivLen:len(raw)-tagLen])
	return unpad(dst)
}

// decryptInPlace decrypts the authenticated value raw, which the caller
// owns, over its own ciphertext and returns the plaintext as a sub-slice.
func (k *Key) decryptInPlace(raw []byte) ([]byte, error) {
	body := raw[ivLen : len(raw)-tagLen]
	cipher.NewCBCDecrypter(k.block, raw[:ivLen]).CryptBlocks(body, body)
	return unpad(body)
}

// unpad strips PKCS7 padding from b. On failure it wipes b, which holds the
// decryption of an authentic but malformed value.
func unpad(b []byte) ([]byte, error) {
	pad := int(b[len(b)-1])
	ok := pad >= 1 && pad <= aes.BlockSize
	if ok {
		for _, c := range b[len(b)-pad:] {
			ok = ok && int(c) == pad
		}
	}
	if !ok {
		clear(b)
		return nil, errBadPadding
	}
	n := len(b) - pad
	return b[:n:n], nil
}
