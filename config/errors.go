package config

import "errors"

// ErrInvalid is wrapped by every error about a setting that cannot be used.
// The error's message names the variable.
var ErrInvalid = errors.New("invalid sqlseal configuration")

// settingError is an invalid setting: msg names the variable (never a
// secret), and the error wraps ErrInvalid and, if set, cause.
type settingError struct {
	msg   string
	cause error
}

func (e *settingError) Error() string { return e.msg }

func (e *settingError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrInvalid}
	}
	return []error{ErrInvalid, e.cause}
}
