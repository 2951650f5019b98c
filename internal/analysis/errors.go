package analysis

import "github.com/sqlseal/sqlseal"

// ErrRefused is wrapped by every refusal (sqlseal.ErrRefused).
var ErrRefused = sqlseal.ErrRefused

// RefusalError is sqlseal.RefusalError; Reason is sqlseal.Reason.
type (
	RefusalError = sqlseal.RefusalError
	Reason       = sqlseal.Reason
)

// The reasons the analysis refuses with.
const (
	ReasonComputed      = sqlseal.ReasonComputed
	ReasonCopied        = sqlseal.ReasonCopied
	ReasonCast          = sqlseal.ReasonCast
	ReasonConstant      = sqlseal.ReasonConstant
	ReasonNoColumnList  = sqlseal.ReasonNoColumnList
	ReasonStar          = sqlseal.ReasonStar
	ReasonCompared      = sqlseal.ReasonCompared
	ReasonMixed         = sqlseal.ReasonMixed
	ReasonUnanalysed    = sqlseal.ReasonUnanalysed
	ReasonBlind         = sqlseal.ReasonBlind
	ReasonUnparsed      = sqlseal.ReasonUnparsed
	ReasonSharedParam   = sqlseal.ReasonSharedParam
	ReasonAmbiguousName = sqlseal.ReasonAmbiguousName
	ReasonSeveral       = sqlseal.ReasonSeveral
	ReasonRenamed       = sqlseal.ReasonRenamed
	ReasonFilled        = sqlseal.ReasonFilled
	ReasonLookup        = sqlseal.ReasonLookup
	ReasonIndexWrite    = sqlseal.ReasonIndexWrite
)

// refuse returns the refusal of a statement for column c.
func refuse(c Column, r Reason) error {
	return &RefusalError{Column: c, Reason: r}
}

// refuseDetail returns a refusal whose reason names detail, which must be
// sqlseal's own words, never text from the statement.
func refuseDetail(c Column, r Reason, detail string) error {
	return &RefusalError{Column: c, Reason: r, Detail: detail}
}
