package codec

import (
	"crypto/aes"
	"crypto/subtle"
)

// CheckStored tells whether [OpenStored] would open raw, and how, without
// producing the plaintext: it returns the same Opened and the same errors.
// A Metabase value is authenticated (HMAC-SHA512) and only its last block
// is decrypted, to check the padding that [Key.Open] checks, so checking
// costs about a third of opening. An envelope value (AES-GCM) is opened
// and the plaintext wiped: GCM authenticates as it decrypts. raw is not
// modified.
//
// It is for passes that must know that every value opens before anything
// is written, such as the pre-flight pass of a key rotation.
func CheckStored(raw []byte, label string, keys DataKeys, ring *Keyring) (Opened, error) {
	if LooksEnvelopeRaw(raw) {
		pt, by, err := OpenStored(raw, label, keys, ring)
		clear(pt)
		return by, err
	}
	if !LooksSealedRaw(raw) {
		return Opened{KeyIndex: -1}, errNotStored
	}
	i, err := ring.check(raw)
	return Opened{Format: FormatMetabase, KeyIndex: i}, err
}

// CheckStoredText is [CheckStored] for the base64 form that text columns
// store, returning what [OpenStoredText] would.
func CheckStoredText(text string, label string, keys DataKeys, ring *Keyring) (Opened, error) {
	if _, ok := envelopeTextShape(text); ok {
		pt, by, err := OpenStoredText(text, label, keys, ring)
		clear(pt)
		return by, err
	}
	raw, err := decodeText(text)
	if err != nil {
		return Opened{KeyIndex: -1}, errNotStoredText
	}
	i, err := ring.check(raw)
	return Opened{Format: FormatMetabase, KeyIndex: i}, err
}

// check returns the index of the key that opens raw, which has a sealed
// value's length, as Open would, or -1 and Open's error.
func (r *Keyring) check(raw []byte) (int, error) {
	i, err := r.find(raw)
	if err != nil {
		return -1, err
	}
	if !r.keys[i].paddingOK(raw) {
		return -1, errBadPadding
	}
	return i, nil
}

// paddingOK decrypts the last block of raw, an authentic value, and
// reports whether it ends with valid PKCS7 padding, as unpad requires. In
// CBC a block decrypts from itself and the block before it alone.
func (k *Key) paddingOK(raw []byte) bool {
	end := len(raw) - tagLen
	var last [aes.BlockSize]byte
	k.block.Decrypt(last[:], raw[end-aes.BlockSize:end])
	subtle.XORBytes(last[:], last[:], raw[end-2*aes.BlockSize:end-aes.BlockSize])
	pad := int(last[aes.BlockSize-1])
	ok := pad >= 1 && pad <= aes.BlockSize
	if ok {
		for _, c := range last[aes.BlockSize-pad:] {
			ok = ok && int(c) == pad
		}
	}
	clear(last[:])
	return ok
}
