package config

import (
	"context"
	"fmt"
	"sync"

	"github.com/sqlseal/sqlseal/codec"
)

// KEKOpener opens the master key a URL names (Config.KEKURL). Package
// github.com/sqlseal/sqlseal/kms registers one for gocloud.dev/secrets
// URLs, so that applications that do not use a KMS link none of it.
type KEKOpener func(ctx context.Context, url string) (codec.Wrapper, error)

var (
	kekOpenerMu sync.RWMutex
	kekOpener   KEKOpener
)

// RegisterKEKOpener makes open the opener of Config.KEKURL. Package kms
// calls it when it is imported; a later call replaces the opener.
func RegisterKEKOpener(open KEKOpener) {
	kekOpenerMu.Lock()
	defer kekOpenerMu.Unlock()
	kekOpener = open
}

// MasterKey returns the master key that wraps the key table's data keys:
// KEK when set; the keeper KEKURL names; otherwise the key derived from
// SecretKey (docs/ENVELOPE.md), or nil when there is no secret either.
func (c Config) MasterKey(ctx context.Context) (codec.Wrapper, error) {
	if c.KEK != nil {
		return c.KEK, nil
	}
	if c.KEKURL != "" {
		kekOpenerMu.RLock()
		open := kekOpener
		kekOpenerMu.RUnlock()
		if open == nil {
			return nil, &settingError{msg: c.kekName() + " is set but no KMS support is linked: import github.com/sqlseal/sqlseal/kms and the gocloud.dev keeper for the URL's scheme"}
		}
		w, err := open(ctx, c.KEKURL)
		if err != nil {
			return nil, &settingError{msg: fmt.Sprintf("%s: opening the master key: %v", c.kekName(), err), cause: err}
		}
		return w, nil
	}
	if c.SecretKey == "" {
		return nil, nil
	}
	k, err := codec.DeriveKey(c.SecretKey)
	if err != nil {
		return nil, keyError(c.secretName(), err)
	}
	return codec.NewSecretKEK(k)
}
