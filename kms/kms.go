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
	"fmt"
	"net/url"
	"strings"

	"gocloud.dev/secrets"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/config"
)

func init() {
	config.RegisterKEKOpener(Open)
}

// Open opens the keeper the URL names and returns it as the master key of
// the key table, identified in its kek column by ID(url).
func Open(ctx context.Context, keeperURL string) (codec.Wrapper, error) {
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
	if u.Scheme == "base64key" {
		key := strings.TrimPrefix(keeperURL, "base64key://")
		sum := sha256.Sum256([]byte(key))
		return "base64key:" + hex.EncodeToString(sum[:4])
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// redactErr replaces the URL in err's message, which may quote it, by its
// ID.
func redactErr(err error, keeperURL string) error {
	msg := err.Error()
	if !strings.Contains(msg, keeperURL) {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(msg, keeperURL, ID(keeperURL)))
}
