package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// commands lists the subcommands in the order help shows them. To add a
// subcommand, define its *command in a file of its own and add it here.
var commands = []*command{
	demoCommand,
	genkeyCommand,
	encryptCommand,
	decryptCommand,
	rotateCommand,
	statusCommand,
	keysCommand,
	indexCommand,
}

// command is one subcommand.
type command struct {
	name     string // as typed after "sqlseal"
	summary  string // one line for the command list
	synopsis string // what follows "sqlseal <name>" in the usage line
	help     string // paragraphs printed by --help, after the usage line
	// env lists the environment variables the command uses, for the
	// Environment section of --help, which adds the configuration
	// variables it only checks; nil when it reads none.
	env []string

	// flags defines the command's flags on fs; nil when it has none.
	flags func(fs *flag.FlagSet)
	// run runs the command with the arguments after its name. It parses
	// them with cmd.parse, and returns the exit status.
	run func(ctx context.Context, cmd *command, args []string, std stdio) int
}

// stdio is what a command may use of its process: the standard streams and
// the environment. Tests substitute all of them.
type stdio struct {
	in        io.Reader
	out, err  io.Writer
	lookupEnv func(string) (string, bool)
}

// findCommand returns the subcommand called name, or nil.
func findCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// flagSet returns a new flag set with the command's flags. It prints
// nothing itself: parse reports errors and help.
func (c *command) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("sqlseal "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if c.flags != nil {
		c.flags(fs)
	}
	return fs
}

// parse parses args with fs. When ok is false the command must return
// code at once: -h or --help printed the usage to stdout (0), or a bad flag
// printed a usage error to stderr (2). maxArgs bounds the positional
// arguments (fs.Args()).
func (c *command) parse(fs *flag.FlagSet, args []string, maxArgs int, std stdio) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.writeUsage(std.out, fs)
		return exitOK, false
	case err != nil:
		return c.usageError(std, "%v", err), false
	case fs.NArg() > maxArgs:
		return c.usageError(std, "unexpected argument %q", fs.Arg(maxArgs)), false
	}
	return exitOK, true
}

// usageError prints a usage error to stderr: the one-line error, the
// command's usage line and where to read more. It returns exitUsage.
func (c *command) usageError(std stdio, format string, args ...any) int {
	fmt.Fprintf(std.err, "sqlseal %s: %s\nUsage: %s\nRun 'sqlseal help %s' for details.\n",
		c.name, fmt.Sprintf(format, args...), c.usageLine(), c.name)
	return exitUsage
}

// usageLine is "sqlseal NAME SYNOPSIS".
func (c *command) usageLine() string {
	return strings.TrimSpace("sqlseal " + c.name + " " + c.synopsis)
}

// fail prints a one-line error to stderr and returns exitFailure. Callers
// must not pass plaintext or key material.
func (c *command) fail(std stdio, format string, args ...any) int {
	fmt.Fprintf(std.err, "sqlseal %s: %s\n", c.name, oneLine(fmt.Sprintf(format, args...)))
	return exitFailure
}

// oneLine makes an error chain one line that says each thing once: the
// lines of joined errors become "; "-separated parts, a part repeated
// (a driver's attempts that failed alike) is dropped, and so is the
// "sqlseal: " prefix of the library's errors, which "sqlseal CMD: " says
// already.
func oneLine(msg string) string {
	var parts []string
	for line := range strings.Lines(msg) {
		line = strings.TrimPrefix(strings.Join(strings.Fields(line), " "), "sqlseal: ")
		if line != "" && !slices.ContainsFunc(parts, func(p string) bool { return p == line || strings.HasSuffix(p, ": "+line) }) {
			parts = append(parts, line)
		}
	}
	out := ""
	for _, p := range parts {
		switch {
		case out == "":
			out = p
		case strings.HasSuffix(out, ":"):
			out += " " + p
		default:
			out += "; " + p
		}
	}
	return strings.ReplaceAll(out, ": sqlseal: ", ": ")
}

// writeUsage prints the command's usage line, help text and flags.
func (c *command) writeUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s", c.usageLine(), c.help)
	c.writeEnvironment(w)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}
