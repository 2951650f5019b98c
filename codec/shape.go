package codec

import "crypto/aes"

// Sizes of the parts of a sealed value: iv || ciphertext || tag.
const (
	ivLen  = aes.BlockSize // 16
	tagLen = 32            // HMAC-SHA512 truncated to 256 bits

	// minSealedLen is the shortest sealed value: IV, one block, tag.
	minSealedLen = ivLen + aes.BlockSize + tagLen // 64
	// minSealedTextLen is the base64 length of minSealedLen bytes.
	minSealedTextLen = (minSealedLen + 2) / 3 * 4 // 88
)

// base64Value maps a byte of the standard base64 alphabet to its 6-bit
// value and every other byte to -1.
var base64Value = func() (t [256]int8) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

// LooksSealed reports whether text has the shape of a sealed value, by
// Metabase's rule: strict padded standard base64 (only the standard
// alphabet, no whitespace or line breaks, '=' only as final padding, length
// a multiple of 4) that decodes to at least 64 bytes, with (decoded length -
// 32) a multiple of 16. Like Metabase (Java's decoder), it ignores the unused
// bits of the last character, so a value has at most a few text forms, all
// decoding to the same bytes.
//
// It checks the shape only, never whether any key opens the value, and it
// does not allocate: plain text such as JSON is rejected by its length or
// its first character outside the base64 alphabet.
func LooksSealed(text string) bool {
	_, ok := sealedTextLen(text)
	return ok
}

// LooksSealedRaw reports whether raw has the length of a sealed value in
// binary form: at least 64 bytes and (len - 32) a multiple of 16.
func LooksSealedRaw(raw []byte) bool {
	return sealedLenOK(len(raw))
}

func sealedLenOK(n int) bool {
	return n >= minSealedLen && (n-tagLen)%aes.BlockSize == 0
}

// sealedTextLen returns the decoded length of text and true when text looks
// sealed (see LooksSealed).
func sealedTextLen(text string) (int, bool) {
	if _, ok := sealedTextShape(text); !ok {
		return 0, false
	}
	return base64TextLen(text)
}

// sealedTextShape checks what LooksSealed checks except the alphabet: the
// length and padding of text, and the decoded length they imply.
func sealedTextShape(text string) (int, bool) {
	if len(text) < minSealedTextLen {
		return 0, false
	}
	decoded, ok := base64TextShape(text)
	if !ok || !sealedLenOK(decoded) {
		return 0, false
	}
	return decoded, true
}

// base64TextLen returns the decoded length of text and true when text is
// strict padded standard base64: only the standard alphabet, '=' only as
// final padding, length a positive multiple of 4. Like LooksSealed, it
// ignores the unused bits of the last character. It does not allocate.
func base64TextLen(text string) (int, bool) {
	decoded, ok := base64TextShape(text)
	if !ok {
		return 0, false
	}
	for i := 0; i < len(text)-(len(text)/4*3-decoded); i++ {
		if base64Value[text[i]] < 0 {
			return 0, false
		}
	}
	return decoded, true
}

// base64TextShape returns the decoded length that the length and padding of
// text imply, without looking at the other characters.
func base64TextShape(text string) (int, bool) {
	n := len(text)
	if n == 0 || n%4 != 0 {
		return 0, false
	}
	pad := 0
	if text[n-1] == '=' {
		pad = 1
		if text[n-2] == '=' {
			pad = 2
		}
	}
	return n/4*3 - pad, true
}
