package analysis

import (
	"errors"
	"fmt"
)

// ErrRefused is wrapped by every refusal: the statement could write a
// protected column unsealed, or compare against ciphertext, so it was not
// sent to the server.
var ErrRefused = errors.New("statement refused")

// RefusalError says why a statement was refused and what to do instead. It
// never contains values from the statement.
type RefusalError struct {
	// Column is the protected column concerned.
	Column Column
	// Reason says what the statement does, Hint what to do instead.
	Reason, Hint string
}

// Error says what was refused and what to do instead.
func (e *RefusalError) Error() string {
	return fmt.Sprintf("sqlseal: statement refused: protected column %s: %s; %s (nothing was sent to the server)",
		e.Column, e.Reason, e.Hint)
}

// Unwrap returns ErrRefused.
func (e *RefusalError) Unwrap() error { return ErrRefused }

func refuse(c Column, reason, hint string) error {
	return &RefusalError{Column: c, Reason: reason, Hint: hint}
}

const (
	hintPlain   = "bind the plain value as a parameter or string literal and let sqlseal seal it; compute it in the application first"
	hintCompare = "ciphertext is randomized, so equality and pattern matching cannot work; look rows up by another column"
	hintQualify = "if the column is another table's, qualify it with that table's name"
)
