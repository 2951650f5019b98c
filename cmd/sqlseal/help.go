package main

import (
	"fmt"
	"io"
)

// environmentHelp describes the variables the commands read.
const environmentHelp = `Environment:
  SQLSEAL_ENCRYPTION_SECRET_KEY       the secret key (16+ characters); MB_ENCRYPTION_SECRET_KEY
                                      is used when it is unset, so Metabase's key works as is
  SQLSEAL_ENCRYPTION_SECRET_KEY_FILE  read the secret key from a file instead
  SQLSEAL_PREVIOUS_SECRET_KEYS        comma-separated older keys, used for decrypting only
  SQLSEAL_PREVIOUS_SECRET_KEYS_FILE   the same, one per line
`

// writeMainUsage prints the list of commands.
func writeMainUsage(w io.Writer) {
	fmt.Fprintf(w, "sqlseal seals and opens values in the encrypted format of Metabase's\nMB_ENCRYPTION_SECRET_KEY (AES-256-CBC + HMAC-SHA512).\n\n")
	fmt.Fprintf(w, "Usage:\n  sqlseal <command> [arguments]\n\nCommands:\n")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "\n%s\nRun 'sqlseal help <command>' or 'sqlseal <command> --help' for details.\n", environmentHelp)
}

// runHelp implements "sqlseal help [command]" and "sqlseal --help".
func runHelp(args []string, std stdio) int {
	switch len(args) {
	case 0:
		writeMainUsage(std.out)
		return exitOK
	case 1:
		if c := findCommand(args[0]); c != nil {
			c.writeUsage(std.out, c.flagSet())
			return exitOK
		}
		fmt.Fprintf(std.err, "sqlseal help: unknown command %q\nRun 'sqlseal help' for usage.\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(std.err, "sqlseal help: too many arguments\nUsage: sqlseal help [command]\n")
	return exitUsage
}
