package rotate

import (
	"errors"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// check returns the action for v as classify does, but only checks that a
// sealed value opens (codec.CheckStored), without decrypting it: the
// pre-flight pass needs to know that every value opens, not what it holds.
func (k *keys) check(v value, kind catalog.Kind, label string) action {
	if v.null {
		return actNull
	}
	var by codec.Opened
	var err error
	if kind == catalog.KindBinary {
		by, err = codec.CheckStored(v.bytes(), label, k.data, k.ring)
	} else {
		by, err = codec.CheckStoredText(v.text(), label, k.data, k.ring)
	}
	switch {
	case errors.Is(err, codec.ErrNotSealed) && !k.sealing():
		return actPlaintext
	case errors.Is(err, codec.ErrNotSealed):
		return actSeal
	case err != nil:
		return actBad
	case k.current(by):
		return actCurrent
	case !k.sealing():
		return actDecrypt
	}
	return actReseal
}
