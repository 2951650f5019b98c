package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"unsafe"

	"github.com/sqlseal/sqlseal/codec"
	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
	"github.com/sqlseal/sqlseal/internal/keytable"
)

// label is the column label an envelope value of c is bound to.
func label(c analysis.Column) string {
	return keytable.Label(c.Table, c.Name)
}

// seal seals plaintext for column c of kind k with s: in the envelope
// format with an active data key, otherwise with the keyring's primary key
// in the Metabase format. Text columns get base64.
func (e *Engine) seal(s sealer, pt []byte, c analysis.Column, k catalog.Kind) (any, error) {
	if e.obs != nil {
		e.obs.Sealed(c)
	}
	if s.dk != nil {
		if k == catalog.KindBinary {
			return s.dk.Seal(pt, e.labels[c]), nil
		}
		return s.dk.SealText(pt, e.labels[c]), nil
	}
	if k == catalog.KindBinary {
		return e.keys.ring.Seal(pt)
	}
	return e.keys.ring.SealText(pt)
}

// open opens one stored value of column c, in either format. A value under
// a data key id the engine does not know makes it read the key table once
// more. A value that is not sealed returns an error wrapping
// codec.ErrNotSealed; any other error says why it does not open, naming the
// column.
func (e *Engine) open(ctx context.Context, v driver.Value, c analysis.Column, k catalog.Kind) ([]byte, error) {
	pt, err := e.openOnce(v, c, k)
	if errors.Is(err, codec.ErrUnknownKeyID) && e.reloadForUnknown(ctx) {
		pt, err = e.openOnce(v, c, k)
	}
	switch {
	case err == nil, errors.Is(err, codec.ErrNotSealed):
		return pt, err
	case errors.Is(err, codec.ErrNotAuthentic):
		if other, ok := e.sealedFor(v, c, k); ok {
			return nil, fmt.Errorf("sqlseal: protected column %s holds a value sealed for protected column %s, which does not open here: %w", c, other, err)
		}
	case errors.Is(err, codec.ErrNoKey):
		return nil, &statedError{msg: fmt.Sprintf("sqlseal: protected column %s holds sealed values but no encryption key is configured; set SQLSEAL_ENCRYPTION_SECRET_KEY (Config.SecretKey)", c), cause: err}
	}
	msg := fmt.Sprintf("sqlseal: protected column %s holds a value that looks sealed but no configured key opens it (wrong key, or the value was altered)", c)
	if errors.Is(err, codec.ErrCannotOpen) && !errors.Is(err, codec.ErrUnknownKeyID) && !errors.Is(err, codec.ErrNotAuthentic) {
		// codec.ErrCannotOpen's own text would say the same again.
		return nil, &statedError{msg: msg, cause: err}
	}
	return nil, fmt.Errorf("%s: %w", msg, err)
}

// openOnce opens v with the keys as they are.
func (e *Engine) openOnce(v driver.Value, c analysis.Column, k catalog.Kind) ([]byte, error) {
	set := e.keys.current()
	switch x := v.(type) {
	case string:
		pt, _, err := codec.OpenStoredText(x, e.labels[c], set, e.keys.ring)
		return pt, err
	case []byte:
		if k == catalog.KindBinary {
			pt, _, err := codec.OpenStored(x, e.labels[c], set, e.keys.ring)
			return pt, err
		}
		// Opening only reads its argument: view the bytes in place.
		pt, _, err := codec.OpenStoredText(unsafe.String(unsafe.SliceData(x), len(x)), e.labels[c], set, e.keys.ring)
		return pt, err
	}
	return nil, codec.ErrNotSealed
}

// sealedFor returns the protected column whose label opens an envelope
// value that failed to open as c's: a value copied from another protected
// column, which must not open here.
func (e *Engine) sealedFor(v driver.Value, c analysis.Column, k catalog.Kind) (analysis.Column, bool) {
	for other, l := range e.labels {
		if other == c {
			continue
		}
		var err error
		switch x := v.(type) {
		case string:
			_, _, err = codec.OpenStoredText(x, l, e.keys.current(), nil)
		case []byte:
			if k == catalog.KindBinary {
				_, _, err = codec.OpenStored(x, l, e.keys.current(), nil)
			} else {
				_, _, err = codec.OpenStoredText(string(x), l, e.keys.current(), nil)
			}
		}
		if err == nil {
			return other, true
		}
	}
	return analysis.Column{}, false
}
