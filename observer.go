package sqlseal

// Observer receives counts of what sqlseal does, for metrics: set it in
// config.Config.Observer (package otelseal makes one that exports
// OpenTelemetry metrics). Every field is optional; a nil function is not
// called, and with no Observer at all sqlseal does nothing more than check
// a nil pointer.
//
// The functions are called synchronously, on the goroutine of the
// statement or of the key table read, possibly from many goroutines at
// once: they must be safe for concurrent use and fast (count, do not
// block). They never receive a value, SQL text or key material: only the
// protected column as configured, a refusal's reason and counts.
type Observer struct {
	// Sealed is called for each value sealed for protected column c: an
	// argument bound to it, or a string literal written to it.
	Sealed func(c Column)
	// Opened is called for each sealed value of protected column c that
	// a result set opened.
	Opened func(c Column)
	// PlaintextRead is called for each value of protected column c read
	// that is not sealed (written before encryption was enabled), whether
	// it was returned as it is or refused (config.Config.RejectPlaintext).
	PlaintextRead func(c Column)
	// Refused is called for each statement refused with a *RefusalError
	// (ErrRefused), with the column and reason it names; nothing was sent
	// to the server. Reason.Name is a short name for it.
	Refused func(c Column, r Reason)
	// DataKeys is called after each successful read of the key table
	// (docs/ENVELOPE.md) that found one: hits counts the data keys taken
	// from the process's cache of unwrapped keys, misses those the master
	// key unwrapped (with a KMS, one call to it each).
	DataKeys func(hits, misses int)
	// PlanCache is called after sqlseal analysed an SQL text it had not
	// seen (or no longer held), with the size of the cache of analyses the
	// connector uses: its entries and the bytes it holds, estimated. The
	// cache is shared by the connectors of one backend and set of
	// protected columns; it keeps two generations, and an entry used in
	// both is counted twice, so both figures are upper bounds.
	PlanCache func(entries, bytes int)
}
