package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"testing"
	"time"
)

// benchSink keeps benchmark results alive.
var benchSink []byte

func BenchmarkDataKey(b *testing.B) {
	k := testDataKey(b, 1)
	for _, size := range benchSizes {
		plaintext := make([]byte, size.n)
		raw := k.Seal(plaintext, labelA)
		text := k.SealText(plaintext, labelA)
		for _, op := range []struct {
			name string
			f    func()
		}{
			{"Seal", func() { benchSink = k.Seal(plaintext, labelA) }},
			{"Open", func() { benchSink, _ = k.Open(raw, labelA) }},
			{"SealText", func() { _ = k.SealText(plaintext, labelA) }},
			{"OpenText", func() { benchSink, _ = k.OpenText(text, labelA) }},
		} {
			b.Run(op.name+"/"+size.name, func(b *testing.B) {
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					op.f()
				}
			})
		}
	}
}

func BenchmarkOpenStoredText(b *testing.B) {
	keys, err := NewDataKeySet(testDataKey(b, 2), testDataKey(b, 1))
	if err != nil {
		b.Fatal(err)
	}
	ring := NewKeyring(testKey(b, secretA))
	plaintext := make([]byte, 1<<10)
	for name, text := range map[string]string{
		"envelope/1KiB":   keys.Active().SealText(plaintext, labelA),
		"metabase/1KiB":   ring.keys[0].SealText(plaintext),
		"not-sealed/JSON": `{"host":"db.example.com","port":5432,"user":"reader"}`,
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchSink, _, _ = OpenStoredText(text, labelA, keys, ring)
			}
		})
	}
}

// bareGCM returns the AES-256-GCM of crypto/cipher with testDataKey(1)'s
// key bytes, and the associated data an envelope value of labelA has.
func bareGCM(b *testing.B) (cipher.AEAD, []byte) {
	key := make([]byte, DataKeyLen)
	for i := range key {
		key[i] = 1 ^ byte(i*37+1)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		b.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		b.Fatal(err)
	}
	aad := make([]byte, envelopeAADLen(labelA))
	putEnvelopeAAD(aad, 1, labelA)
	return aead, aad
}

// BenchmarkEnvelopeVsGCM compares DataKey.Seal and DataKey.Open with bare
// AES-256-GCM from crypto/cipher doing the same work, interleaved in chunks
// within one benchmark so that both see the same machine state:
//
//   - gcm: a random nonce from crypto/rand and aead.Seal(nil, ...) into a
//     new buffer; aead.Open(nil, ...) into a new buffer (one allocation
//     each, prebuilt associated data), which is what the envelope does;
//   - floor: aead.Seal/Open into a preallocated buffer with a fixed nonce
//     (no allocation, no randomness): the cipher alone.
//
// It reports the per-op times and the ratios x-gcm (the target: at most
// 1.1 for 1 KiB) and x-floor.
func BenchmarkEnvelopeVsGCM(b *testing.B) {
	k := testDataKey(b, 1)
	aead, aad := bareGCM(b)
	for _, op := range []string{"seal", "open"} {
		for _, size := range benchSizes {
			b.Run(op+"/"+size.name, func(b *testing.B) {
				plaintext := make([]byte, size.n)
				raw := k.Seal(plaintext, labelA)
				nonce, body := raw[envelopeHeaderLen:envelopeBodyStart], raw[envelopeBodyStart:]
				buf := make([]byte, 0, size.n+envelopeTagLen)
				var env, gcm, floor func()
				if op == "seal" {
					env = func() { benchSink = k.Seal(plaintext, labelA) }
					// A nonce on the stack would escape through the
					// interface call and allocate: reuse one buffer.
					n := make([]byte, envelopeNonceLen)
					gcm = func() {
						rand.Read(n)
						benchSink = aead.Seal(nil, n, plaintext, aad)
					}
					floor = func() { benchSink = aead.Seal(buf[:0], nonce, plaintext, aad) }
				} else {
					env = func() { benchSink, _ = k.Open(raw, labelA) }
					gcm = func() { benchSink, _ = aead.Open(nil, nonce, body, aad) }
					floor = func() { benchSink, _ = aead.Open(buf[:0], nonce, body, aad) }
				}
				if _, err := aead.Open(nil, nonce, body, aad); err != nil {
					b.Fatal("bare GCM does not open the envelope body: ", err)
				}
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				tEnv, tGCM, tFloor := interleave(b.N, env, gcm, floor)
				n := float64(b.N)
				b.ReportMetric(float64(tEnv)/n, "envelope-ns/op")
				b.ReportMetric(float64(tGCM)/n, "gcm-ns/op")
				b.ReportMetric(float64(tFloor)/n, "floor-ns/op")
				b.ReportMetric(float64(tEnv)/float64(tGCM), "x-gcm")
				b.ReportMetric(float64(tEnv)/float64(tFloor), "x-floor")
			})
		}
	}
}

// interleave runs each of fs n times, in chunks that rotate which runs
// first, and returns the time each took.
func interleave(n int, fs ...func()) (ts0, ts1, ts2 time.Duration) {
	const chunk = 32
	ts := make([]time.Duration, len(fs))
	for i, round := 0, 0; i < n; i, round = i+chunk, round+1 {
		c := min(chunk, n-i)
		for j := range fs {
			f := (j + round) % len(fs)
			start := time.Now()
			for range c {
				fs[f]()
			}
			ts[f] += time.Since(start)
		}
	}
	return ts[0], ts[1], ts[2]
}

func BenchmarkIndexTerm(b *testing.B) {
	x, err := NewIndexKey(make([]byte, IndexKeyLen))
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]byte, 0, TermLen)
	for _, size := range []int{16, 1 << 10} {
		plaintext := make([]byte, size)
		b.Run(fmt.Sprintf("Term/%dB", size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				benchSink = x.Term(plaintext, labelA)
			}
		})
		b.Run(fmt.Sprintf("AppendTerm/%dB", size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				benchSink = x.AppendTerm(dst[:0], plaintext, labelA)
			}
		})
	}
}
