package main

import (
	"io"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
)

// noKeyHelp tells the operator how to configure a key.
const noKeyHelp = "no secret key configured: set SQLSEAL_ENCRYPTION_SECRET_KEY, MB_ENCRYPTION_SECRET_KEY or SQLSEAL_ENCRYPTION_SECRET_KEY_FILE"

// loadKeyring reads the configuration from the command's environment and
// derives its keys. Errors name the variable at fault, never a secret.
func loadKeyring(std stdio) (*codec.Keyring, error) {
	cfg, err := config.FromLookup(std.lookupEnv)
	if err != nil {
		return nil, err
	}
	return cfg.Keyring()
}

// keyringAndInput starts a command that takes no arguments and works on
// standard input (encrypt, decrypt): it loads the keyring, which must pass
// usable, and reads all of standard input. When ok is false the command
// has failed and exits with code.
func keyringAndInput(cmd *command, args []string, std stdio, usable func(*codec.Keyring) bool) (ring *codec.Keyring, input []byte, code int, ok bool) {
	if code, ok := cmd.parse(cmd.flagSet(), args, 0, std); !ok {
		return nil, nil, code, false
	}
	ring, err := loadKeyring(std)
	if err != nil {
		return nil, nil, cmd.fail(std, "%v", err), false
	}
	if !usable(ring) {
		return nil, nil, cmd.fail(std, "%s", noKeyHelp), false
	}
	input, err = io.ReadAll(std.in)
	if err != nil {
		return nil, nil, cmd.fail(std, "reading standard input: %v", err), false
	}
	return ring, input, exitOK, true
}
