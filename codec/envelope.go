package codec

import "encoding/binary"

// Layout of an envelope value (docs/ENVELOPE.md):
//
//	header = "SQS" || 0x02 || key_id (uint32, big-endian)    8 bytes
//	nonce  = 12 random bytes
//	body   = AES-256-GCM-Seal(dek, nonce, plaintext, header || 0x00 || label)
//	raw    = header || nonce || body                         36 bytes + plaintext
const (
	envelopeMagic     = "SQS\x02"
	envelopeHeaderLen = 8
	envelopeNonceLen  = 12
	envelopeTagLen    = 16

	// envelopeOverhead is the length of an envelope value of an empty
	// plaintext, the shortest envelope value.
	envelopeOverhead = envelopeHeaderLen + envelopeNonceLen + envelopeTagLen // 36
	// envelopeBodyStart is where the ciphertext starts.
	envelopeBodyStart = envelopeHeaderLen + envelopeNonceLen // 20
	// minEnvelopeTextLen is the base64 length of envelopeOverhead bytes.
	minEnvelopeTextLen = (envelopeOverhead + 2) / 3 * 4 // 48
)

// envelopeTextPrefix is the base64 form of "SQS" plus the first 6 bits of
// 0x02. Every envelope value in text form starts with it; the character
// after it carries the last 2 bits of 0x02 (binary 10) and 4 bits of the key
// id, so it is one of 'g' to 'v' (base64 values 32 to 47).
const envelopeTextPrefix = "U1FTA"

// LooksEnvelope reports whether text has the shape of an envelope value in
// text form: strict padded standard base64 (the rules of [LooksSealed]) of at
// least 36 bytes that start with "SQS" 0x02. Such text starts with "U1FTA",
// which a SQL LIKE 'U1FTA%' can count. It checks the shape only, never
// whether a key opens the value, and does not allocate.
//
// A value can have both shapes: an envelope value whose length is also a
// Metabase value's length, or (once in 2^32) a Metabase value whose random
// IV starts with "SQS" 0x02. Code that must tell sealed values from
// plaintext in either format tests LooksSealed(text) || LooksEnvelope(text),
// which is what [OpenStoredText] treats as sealed.
func LooksEnvelope(text string) bool {
	if _, ok := envelopeTextShape(text); !ok {
		return false
	}
	_, ok := base64TextLen(text)
	return ok
}

// envelopeTextShape checks what LooksEnvelope checks except the alphabet
// after the first 6 characters, and returns the decoded length.
func envelopeTextShape(text string) (int, bool) {
	if len(text) < minEnvelopeTextLen || text[:len(envelopeTextPrefix)] != envelopeTextPrefix ||
		base64Value[text[len(envelopeTextPrefix)]]>>4 != 0b10 {
		return 0, false
	}
	n, ok := base64TextShape(text)
	return n, ok && n >= envelopeOverhead
}

// LooksEnvelopeRaw reports whether raw has the shape of an envelope value in
// binary form: at least 36 bytes, starting with "SQS" 0x02.
func LooksEnvelopeRaw(raw []byte) bool {
	return len(raw) >= envelopeOverhead && string(raw[:len(envelopeMagic)]) == envelopeMagic
}

// envelopeKeyID returns the key id in the header of raw, which must have an
// envelope value's shape.
func envelopeKeyID(raw []byte) uint32 {
	return binary.BigEndian.Uint32(raw[len(envelopeMagic):envelopeHeaderLen])
}

// putEnvelopeHeader writes the header of key id into h[:8].
func putEnvelopeHeader(h []byte, id uint32) {
	copy(h, envelopeMagic)
	binary.BigEndian.PutUint32(h[len(envelopeMagic):envelopeHeaderLen], id)
}

// envelopeAADLen is the length of the associated data for label.
func envelopeAADLen(label string) int {
	return envelopeHeaderLen + 1 + len(label)
}

// putEnvelopeAAD writes header || 0x00 || label into aad, which has length
// envelopeAADLen(label).
func putEnvelopeAAD(aad []byte, id uint32, label string) {
	putEnvelopeHeader(aad, id)
	aad[envelopeHeaderLen] = 0
	copy(aad[envelopeHeaderLen+1:], label)
}
