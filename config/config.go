package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/codec"
)

// Config holds sqlseal's settings. The zero Config is valid: encryption
// disabled, the default columns, plaintext accepted.
type Config struct {
	// SecretKey is the secret that seals new values and opens existing
	// ones. "" disables encryption.
	SecretKey string
	// PreviousSecretKeys are older secrets, accepted for opening only
	// (key rotation). Empty entries are ignored.
	PreviousSecretKeys []string
	// Columns are the protected columns, "table.column" or
	// "schema.table.column". Nil or empty means DefaultColumns.
	Columns []string
	// RejectPlaintext makes reading a protected value that does not look
	// sealed an error. The zero value accepts such values as they are
	// (rows written before encryption was turned on), the documented
	// default; SQLSEAL_ACCEPT_PLAINTEXT=false sets it.
	RejectPlaintext bool
	// BlindIndexes are protected columns that also get a blind index, for
	// equality lookups: "table.column[:sibling][/normalization]" (see
	// ParseBlindIndex and BlindIndexList).
	BlindIndexes []string

	// KEKURL names the master key that wraps the data keys of the key
	// table (docs/ENVELOPE.md) when it is a KMS key: a gocloud.dev/secrets
	// URL (awskms://, gcpkms://, azurekeyvault://, hashivault://,
	// base64key://). Package github.com/sqlseal/sqlseal/kms must be
	// imported, with the keeper of the URL's scheme. Empty: the master key
	// is derived from SecretKey.
	KEKURL string
	// KEK, if set, is the master key itself, for applications that build
	// it in code; it takes precedence over KEKURL and SecretKey.
	KEK codec.Wrapper
	// KeyRefresh is how often a running application reads the key table
	// again, to pick up a new active data key. Zero means
	// DefaultKeyRefresh. A value sealed under a data key it does not know
	// yet makes it read the table at once.
	KeyRefresh time.Duration

	// Logger receives sqlseal's warnings (no key configured, the key
	// table could not be read) and, at debug level, each refused
	// statement's column and reason. Nil means slog.Default(), so that
	// warnings are not lost; slog.New(slog.DiscardHandler) silences them.
	// Records never hold a value, SQL text or key material.
	Logger *slog.Logger
	// Observer, if set, is told what sqlseal seals, opens and refuses,
	// for metrics (package otelseal exports them to OpenTelemetry). Nil
	// costs nothing.
	Observer *sqlseal.Observer

	// secretSource, previousSource and kekSource name the variables the
	// secrets and the KEK URL came from, for error messages; "" means the
	// Config was built in code.
	secretSource   string
	previousSource string
	kekSource      string
}

// DefaultColumns are the protected columns when none are configured:
// Metabase's encrypted connection details.
var DefaultColumns = []string{"metabase_database.details"}

// DefaultKeyRefresh is how often a running application reads the key table
// again when Config.KeyRefresh is zero.
const DefaultKeyRefresh = time.Minute

// KeyRefreshInterval returns KeyRefresh, or DefaultKeyRefresh when it is
// zero.
func (c Config) KeyRefreshInterval() time.Duration {
	if c.KeyRefresh <= 0 {
		return DefaultKeyRefresh
	}
	return c.KeyRefresh
}

// ColumnList returns the protected columns: Columns, or DefaultColumns when
// Columns is empty. The caller must not modify the result.
func (c Config) ColumnList() []string {
	if len(c.Columns) == 0 {
		return DefaultColumns
	}
	return c.Columns
}

// String describes the Config with its secrets redacted.
func (c Config) String() string {
	secret := `""`
	if c.SecretKey != "" {
		secret = "<redacted>"
	}
	kek := `""`
	if c.KEKURL != "" {
		kek = "<redacted>"
	}
	return fmt.Sprintf("config.Config{SecretKey:%s PreviousSecretKeys:<%d redacted> Columns:%q RejectPlaintext:%t BlindIndexes:%q KEKURL:%s KeyRefresh:%s}",
		secret, len(c.PreviousSecretKeys), c.ColumnList(), c.RejectPlaintext, c.BlindIndexes, kek, c.KeyRefreshInterval())
}

// Format implements fmt.Formatter so that printing a Config with any verb
// (%v, %+v, %#v, %s, %x, ...) never reveals a secret.
func (c Config) Format(f fmt.State, verb rune) {
	io.WriteString(f, c.String())
}

// secretName names where SecretKey came from, for error messages: the
// variable FromLookup read, or the field when the Config was built in code.
func (c Config) secretName() string {
	if c.secretSource == "" {
		return "Config.SecretKey"
	}
	return c.secretSource
}

// kekName names where KEKURL came from: the variable FromLookup read, or
// the field when the Config was built in code.
func (c Config) kekName() string {
	if c.kekSource == "" {
		return "Config.KEKURL"
	}
	return c.kekSource
}

// previousName names where PreviousSecretKeys[i] came from: an entry
// (counted from 1) of the variable FromLookup read, or the field's element
// when the Config was built in code.
func (c Config) previousName(i int) string {
	if c.previousSource == "" {
		return fmt.Sprintf("Config.PreviousSecretKeys[%d]", i)
	}
	return fmt.Sprintf("%s entry %d", c.previousSource, i+1)
}

// Keyring derives the configured keys (codec caches derivations, so this is
// cheap after the first call for a secret) and returns a keyring whose
// primary key is SecretKey's (nil when SecretKey is empty: sealing
// disabled) and whose previous key i+1 is PreviousSecretKeys[i]'s.
//
// A secret shorter than 16 characters returns an error that wraps
// [ErrInvalid] and [codec.ErrKeyTooShort] and names where it came from:
// the variable, for example "MB_ENCRYPTION_SECRET_KEY must be at least 16
// characters", or for a Config built in code the field, "Config.SecretKey
// must be at least 16 characters".
func (c Config) Keyring() (*codec.Keyring, error) {
	var primary *codec.Key
	if c.SecretKey != "" {
		k, err := codec.DeriveKey(c.SecretKey)
		if err != nil {
			return nil, keyError(c.secretName(), err)
		}
		primary = k
	}
	previous := make([]*codec.Key, len(c.PreviousSecretKeys))
	for i, secret := range c.PreviousSecretKeys {
		if secret == "" {
			continue
		}
		k, err := codec.DeriveKey(secret)
		if err != nil {
			return nil, keyError(c.previousName(i), err)
		}
		previous[i] = k
	}
	return codec.NewKeyring(primary, previous...), nil
}

// keyError reports a secret that cannot be used, named by where it came
// from, without the secret.
func keyError(name string, err error) error {
	msg := name + ": " + err.Error()
	if errors.Is(err, codec.ErrKeyTooShort) {
		msg = name + " must be at least 16 characters"
	}
	return &settingError{msg: msg, cause: err}
}
