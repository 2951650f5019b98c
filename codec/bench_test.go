package codec

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha512"
	"testing"
)

var benchSizes = []struct {
	name string
	n    int
}{{"64B", 64}, {"1KiB", 1 << 10}, {"16KiB", 16 << 10}}

// benchEachSize runs a sub-benchmark per size: prepare makes the input
// of n bytes and returns the operation timed on it, whose error fails the
// benchmark.
func benchEachSize(b *testing.B, prepare func(k *Key, n int) func() error) {
	k := testKey(b, secretA)
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			op := prepare(k, size.n)
			b.SetBytes(int64(size.n))
			b.ReportAllocs()
			for b.Loop() {
				if err := op(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSeal(b *testing.B) {
	benchEachSize(b, func(k *Key, n int) func() error {
		plaintext := make([]byte, n)
		return func() error { k.Seal(plaintext); return nil }
	})
}

func BenchmarkOpen(b *testing.B) {
	benchEachSize(b, func(k *Key, n int) func() error {
		raw := k.Seal(make([]byte, n))
		return func() error { _, err := k.Open(raw); return err }
	})
}

func BenchmarkOpenText(b *testing.B) {
	benchEachSize(b, func(k *Key, n int) func() error {
		text := k.SealText(make([]byte, n))
		return func() error { _, err := k.OpenText(text); return err }
	})
}

// BenchmarkPrimitives measures the floor Seal and Open are compared with:
// one AES-256-CBC pass and one HMAC-SHA512 over the same bytes, with the
// cipher.Block and the HMAC built once, into preallocated buffers.
func BenchmarkPrimitives(b *testing.B) {
	k := testKey(b, secretA)
	mac := hmac.New(sha512.New, k.mac)
	var sum [sha512.Size]byte
	iv := make([]byte, ivLen)
	for _, dir := range []string{"seal", "open"} {
		for _, size := range benchSizes {
			b.Run(dir+"/"+size.name, func(b *testing.B) {
				// The padded length Seal and Open work on.
				buf := make([]byte, (size.n/16+1)*16)
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					if dir == "seal" {
						cipher.NewCBCEncrypter(k.block, iv).CryptBlocks(buf, buf)
					}
					mac.Reset()
					mac.Write(iv)
					mac.Write(buf)
					mac.Sum(sum[:0])
					if dir == "open" {
						cipher.NewCBCDecrypter(k.block, iv).CryptBlocks(buf, buf)
					}
				}
			})
		}
	}
}
