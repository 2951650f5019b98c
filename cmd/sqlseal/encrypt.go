package main

import (
	"context"
	"fmt"

	"github.com/sqlseal/sqlseal/codec"
)

var encryptCommand = &command{
	name:     "encrypt",
	summary:  "seal standard input with the configured key",
	synopsis: "< plaintext",
	help: `Encrypt reads all of standard input, exactly as given (a trailing newline is
part of the value), seals it with the configured secret key and prints the
sealed value in standard base64 followed by a newline: the text Metabase and
sqlseal store in an encrypted column.
`,
	env: secretEnv,
	run: runEncrypt,
}

func runEncrypt(_ context.Context, cmd *command, args []string, std stdio) int {
	ring, plaintext, code, ok := keyringAndInput(cmd, args, std, (*codec.Keyring).CanSeal)
	if !ok {
		return code
	}
	sealed, err := ring.SealText(plaintext)
	clear(plaintext)
	if err != nil {
		return cmd.fail(std, "%v", err)
	}
	if _, err := fmt.Fprintln(std.out, sealed); err != nil {
		return cmd.fail(std, "writing standard output: %v", err)
	}
	return exitOK
}
