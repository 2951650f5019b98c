package engine

// statedError is an error whose message already says what its cause
// means: it wraps cause, for errors.Is, without repeating the cause's text
// ("...no encryption key is configured: sqlseal: no encryption key
// configured").
type statedError struct {
	msg   string
	cause error
}

func (e *statedError) Error() string { return e.msg }
func (e *statedError) Unwrap() error { return e.cause }
