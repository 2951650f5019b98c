package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sqlseal/sqlseal/config"
)

// envDoc describes the environment variables the commands read, for their
// --help.
var envDoc = map[string]string{
	envDSN:                           "the database, when --dsn is not given",
	envNewSecret:                     "the new key, instead of the NEW-KEY argument",
	config.EnvColumns:                "the protected columns, comma-separated (default metabase_database.details)",
	config.EnvSecretKey:              "the current secret key (16+ characters)",
	config.EnvSecretKeyFile:          "a file holding the current secret key instead",
	config.EnvMetabaseSecretKey:      "Metabase's key, the current key when the two above are unset",
	config.EnvPreviousSecretKeys:     "older secret keys, comma-separated, that still open values",
	config.EnvPreviousSecretKeysFile: "a file of older secret keys, one per line, instead",
	config.EnvKEKURL:                 "the master key of the key table (a KMS URL); default: derived from the current secret key",
	config.EnvKeyRefresh:             "how often applications read the key table again (default 1m)",
	config.EnvAcceptPlaintext:        "the driver's setting for unsealed values in protected columns",
	config.EnvBlindIndexes:           "the blind-indexed protected columns, their sibling columns and normalization",
}

// configEnv is every variable config.FromLookup reads. A command that reads
// the configuration checks all of them, whether or not it uses them.
var configEnv = []string{
	config.EnvSecretKey, config.EnvSecretKeyFile, config.EnvMetabaseSecretKey,
	config.EnvPreviousSecretKeys, config.EnvPreviousSecretKeysFile,
	config.EnvColumns, config.EnvAcceptPlaintext, config.EnvKEKURL, config.EnvKeyRefresh,
	config.EnvBlindIndexes,
}

// Variable sets the commands name in their env field.
var (
	secretEnv   = []string{config.EnvSecretKey, config.EnvSecretKeyFile, config.EnvMetabaseSecretKey}
	previousEnv = []string{config.EnvPreviousSecretKeys, config.EnvPreviousSecretKeysFile}
	databaseEnv = []string{envDSN, config.EnvColumns}
)

// envList joins variable sets.
func envList(sets ...[]string) []string { return slices.Concat(sets...) }

// writeEnvironment prints the Environment section of c's --help: each
// variable c uses, with what it is for, then the configuration variables
// it reads only to check them.
func (c *command) writeEnvironment(w io.Writer) {
	if c.env == nil {
		return
	}
	fmt.Fprintf(w, "\nEnvironment:\n")
	width := 0
	for _, name := range c.env {
		width = max(width, len(name))
	}
	for _, name := range c.env {
		fmt.Fprintf(w, "  %-*s  %s\n", width, name, envDoc[name])
	}
	var checked []string
	for _, name := range configEnv {
		if !slices.Contains(c.env, name) {
			checked = append(checked, name)
		}
	}
	if len(checked) > 0 {
		fmt.Fprintf(w, "  Also read, as the driver reads them, and refused when invalid:\n  %s\n", strings.Join(checked, ", "))
	}
	if slices.Contains(c.env, config.EnvKEKURL) {
		fmt.Fprintf(w, "  A KMS master key also reads its provider's own variables (AWS_*, VAULT_*, ...).\n")
	}
}
