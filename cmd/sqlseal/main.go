// Command sqlseal is the operator's tool for sqlseal's encrypted columns:
// it shows the driver at work, makes secret keys, seals and opens single
// values in the format Metabase uses for MB_ENCRYPTION_SECRET_KEY, and
// counts and re-encrypts the protected columns of a database.
//
//	sqlseal demo [--dsn DSN]                 the driver end to end, on embedded SQLite by default
//	sqlseal genkey                           print a new random secret
//	sqlseal encrypt < plaintext              print the sealed (base64) value
//	sqlseal decrypt < sealed                 print the plaintext
//	sqlseal status --dsn DSN                 count values by the key that opens them
//	sqlseal rotate-encryption-key --dsn DSN NEW
//	                                         re-encrypt with NEW ("" decrypts everything)
//	sqlseal help [command]                   usage
//
// Keys come from the same environment variables as the driver
// (SQLSEAL_ENCRYPTION_SECRET_KEY, MB_ENCRYPTION_SECRET_KEY,
// SQLSEAL_ENCRYPTION_SECRET_KEY_FILE, SQLSEAL_PREVIOUS_SECRET_KEYS, ...).
// Exit status: 0 on success, 1 on failure, 2 on a usage error.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run runs the command line args (without the program name) and returns the
// exit status. It reads the process environment and stops the command's
// context on SIGINT or SIGTERM.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return dispatch(ctx, args, stdio{in: stdin, out: stdout, err: stderr, lookupEnv: os.LookupEnv})
}

// dispatch finds the subcommand named by args[0] and runs it.
func dispatch(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 {
		names := make([]string, len(commands))
		for i, c := range commands {
			names[i] = c.name
		}
		fmt.Fprintf(std.err, "sqlseal: missing command: %s\nUsage: sqlseal <command> [arguments]\nRun 'sqlseal help' for details.\n", strings.Join(names, ", "))
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return runHelp(args[1:], std)
	}
	cmd := findCommand(args[0])
	if cmd == nil {
		fmt.Fprintf(std.err, "sqlseal: unknown command %q\nRun 'sqlseal help' for usage.\n", args[0])
		return exitUsage
	}
	return cmd.run(ctx, cmd, args[1:], std)
}
