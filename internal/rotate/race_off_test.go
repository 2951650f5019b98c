//go:build !race

package rotate

// raceEnabled reports a -race build: the crash test then runs fewer, smaller
// trials (the plain run does the full ones).
const raceEnabled = false
