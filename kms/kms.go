// Package kms lets sqlseal wrap the data keys of its key table with a KMS
// key: AWS KMS, GCP KMS, Azure Key Vault, HashiCorp Vault transit, or a
// local key, through gocloud.dev/secrets. Import it, and the gocloud keeper
// of the URL's scheme, as database/sql drivers are imported:
//
//	import (
//		_ "github.com/sqlseal/sqlseal/driver"
//		_ "github.com/sqlseal/sqlseal/kms"
//		_ "gocloud.dev/secrets/awskms"
//	)
//
// and set SQLSEAL_KEK_URL=awskms://alias/sqlseal?region=eu-west-1 (or
// config.Config.KEKURL). Applications that keep the master key derived from
// SQLSEAL_ENCRYPTION_SECRET_KEY do not import it and link none of gocloud.
//
// The KMS is called to unwrap each data key once per process, and again
// only when a value names a data key the process has not seen.
package kms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"gocloud.dev/secrets"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
)

func init() {
	config.RegisterKEKOpener(Open)
}

// ErrBadURL is returned by Open for a URL with spaces or control
// characters, as a secret mounted from a file often ends: the URL is not
// repeated, since it may hold a key.
var ErrBadURL = errors.New("the KMS URL holds spaces or control characters")

// Open opens the keeper the URL names and returns it as the master key of
// the key table, identified in its kek column by ID(url). Errors name the
// key by ID, never by URL.
func Open(ctx context.Context, keeperURL string) (codec.Wrapper, error) {
	if strings.IndexFunc(keeperURL, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return nil, fmt.Errorf("opening the KMS key %s: %w", ID(keeperURL), ErrBadURL)
	}
	k, err := secrets.OpenKeeper(ctx, keeperURL)
	if err != nil {
		return nil, fmt.Errorf("opening the KMS key %s: %w", ID(keeperURL), redactErr(err, keeperURL))
	}
	return codec.NewKeeperWrapper(ID(keeperURL), k)
}

// ID returns the name a keeper URL is recorded under in the key table: the
// URL without user information and query parameters, which may carry
// credentials. A base64key:// URL holds the key itself and is recorded as
// "base64key:" and the first 8 hexadecimal digits of the key's SHA-256.
func ID(keeperURL string) string {
	u, err := url.Parse(keeperURL)
	if err != nil || u.Scheme == "" {
		sum := sha256.Sum256([]byte(keeperURL))
		return "url:" + hex.EncodeToString(sum[:4])
	}
	if scheme := strings.ToLower(u.Scheme); scheme == "base64key" {
		sum := sha256.Sum256([]byte(keeperURL[len(u.Scheme)+len("://"):]))
		return "base64key:" + hex.EncodeToString(sum[:4])
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host + u.Path
}

// redactErr returns err with every spelling of the URL, and of its
// secrets, replaced by the URL's ID: a keeper's error may quote the URL
// as it is, escaped, or re-encoded.
func redactErr(err error, keeperURL string) error {
	msg := err.Error()
	id := ID(keeperURL)
	secretsOf := []string{keeperURL, strings.Trim(strconv.Quote(keeperURL), `"`), url.QueryEscape(keeperURL), url.PathEscape(keeperURL)}
	if u, perr := url.Parse(keeperURL); perr == nil {
		secretsOf = append(secretsOf, u.String(), u.Redacted())
		if pw, ok := u.User.Password(); ok {
			secretsOf = append(secretsOf, pw)
		}
		if strings.EqualFold(u.Scheme, "base64key") {
			secretsOf = append(secretsOf, keeperURL[len(u.Scheme)+len("://"):], u.Host+u.Path)
		}
		for _, vs := range u.Query() {
			secretsOf = append(secretsOf, vs...)
		}
	}
	redacted := msg
	for _, sec := range secretsOf {
		if len(sec) >= 4 {
			redacted = strings.ReplaceAll(redacted, sec, id)
		}
	}
	if redacted == msg {
		return err
	}
	return errors.New(redacted)
}
