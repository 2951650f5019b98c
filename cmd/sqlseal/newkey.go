package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// envNewSecret names the variable that may supply the new key of
// rotate-encryption-key, which then stays out of ps and shell history.
const envNewSecret = "SQLSEAL_NEW_ENCRYPTION_SECRET_KEY"

// maxNewKeyInput bounds what is read from a new-key file or standard input.
const maxNewKeyInput = 64 << 10

// newKey is the new key of rotate-encryption-key and where it came from.
type newKey struct {
	secret string
	given  bool   // a source gave a key ("" turns encryption off)
	source string // names the source in messages, never the key
}

// readNewKey takes the new key from its one source: the command line
// (pos, at most one argument, "-" for standard input), the file of
// --new-key-file (file), or envNewSecret. A file or standard input has one
// trailing newline removed and must not be empty; "" (turning encryption
// off) is only accepted on the command line. With usage set, the error is a
// usage error. Errors never hold the key.
func readNewKey(pos []string, file string, std stdio) (k newKey, usage bool, err error) {
	var sources []string
	if len(pos) == 1 && pos[0] == "-" {
		sources = append(sources, "standard input (-)")
	} else if len(pos) == 1 {
		sources = append(sources, "the NEW-KEY argument")
	}
	if file != "" {
		sources = append(sources, "--new-key-file")
	}
	env, hasEnv := std.lookupEnv(envNewSecret)
	if hasEnv && env != "" {
		sources = append(sources, envNewSecret)
	}
	switch {
	case len(sources) > 1:
		return newKey{}, true, fmt.Errorf("the new key is given by both %s and %s; give it one way only", sources[0], sources[1])
	case len(pos) == 1 && pos[0] == "-":
		k.source = "the new key on standard input"
		k.secret, err = readKeyInput(std.in, k.source)
	case len(pos) == 1:
		k.source, k.secret = "NEW-KEY", pos[0]
	case file != "":
		k.source = "the new key in --new-key-file"
		f, ferr := os.Open(file)
		if ferr != nil {
			return newKey{}, false, fmt.Errorf("--new-key-file: %w", ferr)
		}
		defer f.Close()
		k.secret, err = readKeyInput(f, k.source)
	case hasEnv && env != "":
		k.source, k.secret = envNewSecret, env
	default:
		return newKey{}, false, nil
	}
	if err != nil {
		return newKey{}, false, err
	}
	k.given = true
	return k, false, nil
}

// readKeyInput reads a key from r: all of it, less one trailing "\n" or
// "\r\n". An empty key is an error naming source.
func readKeyInput(r io.Reader, source string) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxNewKeyInput+1))
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", source, err)
	}
	if len(data) > maxNewKeyInput {
		return "", fmt.Errorf("%s is longer than %d bytes", source, maxNewKeyInput)
	}
	s := string(data)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s, _ = strings.CutSuffix(t, "\r")
	}
	if s == "" {
		return "", fmt.Errorf(`%s is empty; to turn encryption off, give "" as NEW-KEY`, source)
	}
	return s, nil
}
