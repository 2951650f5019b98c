//go:build race

package codec

// raceEnabled is true when the race detector is on; it makes sync.Pool
// drop items on purpose, so allocation counts are not meaningful.
const raceEnabled = true
