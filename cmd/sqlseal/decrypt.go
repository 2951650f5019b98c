package main

import (
	"bytes"
	"context"
	"errors"

	"github.com/sqlseal/sqlseal/codec"
)

var decryptCommand = &command{
	name:     "decrypt",
	summary:  "open a sealed value read from standard input",
	synopsis: "< sealed",
	help: `Decrypt reads a sealed value in standard base64 from standard input
(surrounding white space is ignored), opens it with the configured secret key
or one of the previous keys, and writes the plaintext exactly, adding nothing.
On failure it writes nothing to standard output and exits with status 1.
`,
	env: envList(secretEnv, previousEnv),
	run: runDecrypt,
}

func runDecrypt(_ context.Context, cmd *command, args []string, std stdio) int {
	ring, input, code, ok := keyringAndInput(cmd, args, std, func(r *codec.Keyring) bool { return r.Len() > 0 })
	if !ok {
		return code
	}
	plaintext, _, err := ring.OpenText(string(bytes.TrimSpace(input)))
	switch {
	case errors.Is(err, codec.ErrNotSealed):
		return cmd.fail(std, "the input is not a sealed value (want standard base64 of at least 64 bytes, as printed by 'sqlseal encrypt')")
	case errors.Is(err, codec.ErrCannotOpen):
		return cmd.fail(std, "no configured key opens the input: it was sealed with another key, or it was modified")
	case err != nil:
		return cmd.fail(std, "%v", err)
	}
	_, err = std.out.Write(plaintext)
	clear(plaintext)
	if err != nil {
		return cmd.fail(std, "writing standard output: %v", err)
	}
	return exitOK
}
