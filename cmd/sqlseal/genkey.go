package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

var genkeyCommand = &command{
	name:     "genkey",
	summary:  "print a new random secret key",
	synopsis: "",
	help: `Genkey prints 32 random bytes in standard base64 and a newline, like
'openssl rand -base64 32'. Use the output as SQLSEAL_ENCRYPTION_SECRET_KEY
(or MB_ENCRYPTION_SECRET_KEY).
`,
	run: runGenkey,
}

func runGenkey(_ context.Context, cmd *command, args []string, std stdio) int {
	if code, ok := cmd.parse(cmd.flagSet(), args, 0, std); !ok {
		return code
	}
	key := make([]byte, 32)
	rand.Read(key) // never fails: crypto/rand crashes the program instead
	if _, err := fmt.Fprintln(std.out, base64.StdEncoding.EncodeToString(key)); err != nil {
		return cmd.fail(std, "writing standard output: %v", err)
	}
	return exitOK
}
