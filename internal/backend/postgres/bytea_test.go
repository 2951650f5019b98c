package postgres

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// byteaInput reads strings as PostgreSQL's byteain does (checked against
// the server in driver/attack_test.go).
func TestByteaInput(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:             "plain",
		`\x706c61696e`:      "plain",
		`\x70 6c` + "\n61":  "pla",
		`\x`:                "",
		`a\\b`:              `a\b`,
		`\101\000\377`:      "A\x00\xff",
		`no backslash here`: "no backslash here",
	} {
		got, err := byteaInput(in)
		require.NoError(t, err, in)
		require.Equal(t, want, string(got), in)
	}
	for _, bad := range []string{`\q`, `\x7`, `\xzz`, `\400`, `a\`, `\12`} {
		_, err := byteaInput(bad)
		require.Error(t, err, bad)
	}
}
