package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Names of the environment variables read by FromEnv and FromLookup.
const (
	EnvSecretKey              = "SQLSEAL_ENCRYPTION_SECRET_KEY"      // the secret
	EnvSecretKeyFile          = "SQLSEAL_ENCRYPTION_SECRET_KEY_FILE" // file holding the secret
	EnvMetabaseSecretKey      = "MB_ENCRYPTION_SECRET_KEY"           // Metabase's secret, used when EnvSecretKey and EnvSecretKeyFile are unset
	EnvPreviousSecretKeys     = "SQLSEAL_PREVIOUS_SECRET_KEYS"       // comma-separated older secrets
	EnvPreviousSecretKeysFile = "SQLSEAL_PREVIOUS_SECRET_KEYS_FILE"  // file of older secrets, one per line
	EnvColumns                = "SQLSEAL_COLUMNS"                    // comma-separated protected columns
	EnvAcceptPlaintext        = "SQLSEAL_ACCEPT_PLAINTEXT"           // boolean; false sets Config.RejectPlaintext
	EnvKEKURL                 = "SQLSEAL_KEK_URL"                    // the KMS master key's URL
	EnvKeyRefresh             = "SQLSEAL_KEY_REFRESH"                // how often the key table is read again (a Go duration)
	EnvBlindIndexes           = "SQLSEAL_BLIND_INDEXES"              // comma-separated blind indexes (see ParseBlindIndex)
)

// FromEnv reads the configuration from the process environment (see
// FromLookup).
func FromEnv() (Config, error) {
	return FromLookup(os.LookupEnv)
}

// FromLookup reads the configuration through lookup, which reports a
// variable's value and whether it is set (os.LookupEnv, or a map in tests):
//
//   - The secret is SQLSEAL_ENCRYPTION_SECRET_KEY, or the content of the
//     file named by SQLSEAL_ENCRYPTION_SECRET_KEY_FILE with one trailing
//     "\n" or "\r\n" removed (setting both is an error; an empty file is an
//     error), or, when neither is set, MB_ENCRYPTION_SECRET_KEY. A variable
//     set to "" counts as set: SQLSEAL_ENCRYPTION_SECRET_KEY="" disables
//     encryption even if MB_ENCRYPTION_SECRET_KEY is set.
//   - Previous secrets are SQLSEAL_PREVIOUS_SECRET_KEYS, comma-separated,
//     or the lines of the file named by SQLSEAL_PREVIOUS_SECRET_KEYS_FILE
//     (setting both is an error). Empty entries and blank lines are
//     ignored; secrets are otherwise taken exactly as written.
//   - SQLSEAL_COLUMNS is a comma-separated list of columns (see
//     ParseColumn); spaces around entries are ignored.
//   - SQLSEAL_ACCEPT_PLAINTEXT is parsed with strconv.ParseBool; false sets
//     RejectPlaintext.
//   - SQLSEAL_BLIND_INDEXES is a comma-separated list of blind indexes
//     (see ParseBlindIndex); each column must also be protected.
//   - SQLSEAL_KEK_URL sets KEKURL; SQLSEAL_KEY_REFRESH, a Go duration such
//     as 30s, sets KeyRefresh (at least one second).
//
// A _FILE variable set to "" counts as unset, and so does an empty
// SQLSEAL_PREVIOUS_SECRET_KEYS, SQLSEAL_ACCEPT_PLAINTEXT or SQLSEAL_COLUMNS.
//
// Errors wrap [ErrInvalid] and name the variable; when several settings are
// invalid, all are reported (joined). Key lengths are checked by
// [Config.Keyring], which derives the keys.
func FromLookup(lookup func(string) (string, bool)) (Config, error) {
	var c Config
	var errs []error
	var err error
	if c.SecretKey, c.secretSource, err = readSecret(lookup); err != nil {
		errs = append(errs, err)
	}
	if c.PreviousSecretKeys, c.previousSource, err = readPrevious(lookup); err != nil {
		errs = append(errs, err)
	}
	if c.Columns, err = readColumns(lookup); err != nil {
		errs = append(errs, err)
	}
	if c.RejectPlaintext, err = readRejectPlaintext(lookup); err != nil {
		errs = append(errs, err)
	}
	if c.BlindIndexes, err = readBlindIndexes(lookup); err != nil {
		errs = append(errs, err)
	} else if _, err := c.BlindIndexList(); err != nil {
		errs = append(errs, &settingError{msg: EnvBlindIndexes + ": " + err.Error(), cause: err})
	}
	c.KEKURL, _ = lookupNonEmpty(lookup, EnvKEKURL)
	// A URL mounted from a file often ends with a newline.
	c.KEKURL = strings.TrimSpace(c.KEKURL)
	if c.KEKURL != "" {
		c.kekSource = EnvKEKURL
	}
	if c.KeyRefresh, err = readKeyRefresh(lookup); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return c, nil
}

// lookupNonEmpty returns the value of a variable, treating "" as unset.
func lookupNonEmpty(lookup func(string) (string, bool), name string) (string, bool) {
	v, ok := lookup(name)
	return v, ok && v != ""
}

func readSecret(lookup func(string) (string, bool)) (secret, source string, err error) {
	value, hasValue := lookup(EnvSecretKey)
	path, hasFile := lookupNonEmpty(lookup, EnvSecretKeyFile)
	switch {
	case hasValue && hasFile:
		return "", "", &settingError{msg: EnvSecretKey + " and " + EnvSecretKeyFile + " are both set; set only one"}
	case hasFile:
		data, err := os.ReadFile(path)
		if err != nil {
			return "", "", &settingError{msg: fmt.Sprintf("%s: cannot read the secret file: %v", EnvSecretKeyFile, err), cause: err}
		}
		secret := string(data)
		if s, ok := strings.CutSuffix(secret, "\n"); ok {
			secret, _ = strings.CutSuffix(s, "\r")
		}
		if secret == "" {
			return "", "", &settingError{msg: fmt.Sprintf("%s: the secret file %s is empty", EnvSecretKeyFile, path)}
		}
		return secret, EnvSecretKeyFile, nil
	case hasValue:
		return value, EnvSecretKey, nil
	}
	if value, ok := lookup(EnvMetabaseSecretKey); ok {
		return value, EnvMetabaseSecretKey, nil
	}
	return "", "", nil
}

func readPrevious(lookup func(string) (string, bool)) (secrets []string, source string, err error) {
	// An empty list contributes nothing, so it counts as unset.
	value, hasValue := lookupNonEmpty(lookup, EnvPreviousSecretKeys)
	path, hasFile := lookupNonEmpty(lookup, EnvPreviousSecretKeysFile)
	switch {
	case hasValue && hasFile:
		return nil, "", &settingError{msg: EnvPreviousSecretKeys + " and " + EnvPreviousSecretKeysFile + " are both set; set only one"}
	case hasFile:
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, "", &settingError{msg: fmt.Sprintf("%s: cannot read the secrets file: %v", EnvPreviousSecretKeysFile, err), cause: err}
		}
		for line := range strings.Lines(string(data)) {
			line = strings.TrimSuffix(line, "\n")
			line = strings.TrimSuffix(line, "\r")
			if strings.TrimSpace(line) != "" {
				secrets = append(secrets, line)
			}
		}
		return secrets, EnvPreviousSecretKeysFile, nil
	case hasValue:
		for s := range strings.SplitSeq(value, ",") {
			if s != "" {
				secrets = append(secrets, s)
			}
		}
		return secrets, EnvPreviousSecretKeys, nil
	}
	return nil, "", nil
}

func readColumns(lookup func(string) (string, bool)) ([]string, error) {
	value, ok := lookup(EnvColumns)
	if !ok {
		return nil, nil
	}
	var columns []string
	for entry := range strings.SplitSeq(value, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if _, _, _, err := ParseColumn(entry); err != nil {
			return nil, &settingError{msg: EnvColumns + ": " + err.Error()}
		}
		columns = append(columns, entry)
	}
	return columns, nil
}

func readRejectPlaintext(lookup func(string) (string, bool)) (bool, error) {
	value, ok := lookup(EnvAcceptPlaintext)
	if !ok || value == "" {
		return false, nil
	}
	accept, err := strconv.ParseBool(value)
	if err != nil {
		return false, &settingError{msg: fmt.Sprintf("%s: %q is not a boolean (use true or false)", EnvAcceptPlaintext, value)}
	}
	return !accept, nil
}

func readKeyRefresh(lookup func(string) (string, bool)) (time.Duration, error) {
	value, ok := lookupNonEmpty(lookup, EnvKeyRefresh)
	if !ok {
		return 0, nil
	}
	d, err := time.ParseDuration(value)
	if err != nil || d < time.Second {
		return 0, &settingError{msg: fmt.Sprintf("%s: %q is not a duration of at least one second (use 30s, 5m)", EnvKeyRefresh, value)}
	}
	return d, nil
}

func readBlindIndexes(lookup func(string) (string, bool)) ([]string, error) {
	value, ok := lookupNonEmpty(lookup, EnvBlindIndexes)
	if !ok {
		return nil, nil
	}
	var out []string
	for entry := range strings.SplitSeq(value, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if _, err := ParseBlindIndex(entry); err != nil {
			return nil, &settingError{msg: EnvBlindIndexes + ": " + err.Error(), cause: err}
		}
		out = append(out, entry)
	}
	return out, nil
}
