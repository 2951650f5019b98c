package query

// OpaqueKind says what an Opaque statement is.
type OpaqueKind uint8

const (
	// OpaqueOther is a data-moving statement the front-end cannot lower.
	OpaqueOther OpaqueKind = iota
	OpaqueMerge
	OpaqueCopy
	OpaqueCreateTableAs
	OpaqueSelectInto
	OpaqueCreateView
	OpaqueCreateRule
	OpaqueCreateTrigger
	OpaqueDeclareCursor
	OpaqueLoadData
	OpaqueImportInto
	OpaqueExplainAnalyze
	OpaqueTrace
	OpaqueBatch
	OpaqueCall
	// OpaqueCode is server-side code sent as text and run at once:
	// PostgreSQL's DO, MariaDB's BEGIN NOT ATOMIC ... END. What it writes is
	// computed by the server, not written in the text.
	OpaqueCode
	// OpaqueExecute runs a statement prepared earlier with SQL-level
	// PREPARE, with arguments the text does not show.
	OpaqueExecute
	// OpaquePrepare is SQL-level PREPARE. Writes and Reads list the tables
	// of the prepared text when it is a literal, none for PREPARE ... FROM
	// @var.
	OpaquePrepare
	// OpaqueBinlog replays raw row events.
	OpaqueBinlog
	// OpaqueReading is a statement that would change how the server reads
	// later SQL text (PostgreSQL's standard_conforming_strings, MySQL's
	// sql_mode quoting modes, a client character set): after it, sqlseal's
	// parser and the server would disagree.
	OpaqueReading
)

// String names the statement for error messages.
func (k OpaqueKind) String() string {
	if int(k) < len(opaqueNames) && opaqueNames[k] != "" {
		return opaqueNames[k]
	}
	return "a statement sqlseal does not analyse"
}

var opaqueNames = [...]string{
	OpaqueMerge:          "MERGE",
	OpaqueCopy:           "COPY",
	OpaqueCreateTableAs:  "CREATE TABLE AS",
	OpaqueSelectInto:     "SELECT INTO",
	OpaqueCreateView:     "CREATE VIEW",
	OpaqueCreateRule:     "CREATE RULE",
	OpaqueCreateTrigger:  "CREATE TRIGGER",
	OpaqueDeclareCursor:  "DECLARE CURSOR",
	OpaqueLoadData:       "LOAD DATA",
	OpaqueImportInto:     "IMPORT INTO",
	OpaqueExplainAnalyze: "EXPLAIN ANALYZE",
	OpaqueTrace:          "TRACE",
	OpaqueBatch:          "BATCH",
	OpaqueCall:           "CALL",
	OpaqueCode:           "an anonymous code block",
	OpaqueExecute:        "SQL-level EXECUTE",
	OpaquePrepare:        "SQL-level PREPARE",
	OpaqueBinlog:         "BINLOG",
	OpaqueReading:        "a setting that changes how SQL text is read",
}

// Blind reports whether a statement of this kind may write any table with
// values its text does not show, so that no protected column is safe
// while it runs: EXECUTE, BINLOG, anonymous code blocks, and settings that
// make the server read later text differently from sqlseal.
func (k OpaqueKind) Blind() bool {
	switch k {
	case OpaqueExecute, OpaqueBinlog, OpaqueCode, OpaqueReading:
		return true
	}
	return false
}
