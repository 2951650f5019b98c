package mysql

import (
	"errors"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/sqlseal/sqlseal/internal/engine"
)

// Duplicate-key error numbers whose message quotes the duplicate value:
// "Duplicate entry '<value>' for key '<name>'".
const (
	erDupEntry            = 1062
	erDupEntryWithKeyName = 1586
)

// withheldValue replaces a stored value quoted in a MySQL error message.
const withheldValue = "(withheld by sqlseal)"

// scrubError implements engine.Backend.ScrubError for go-sql-driver/mysql.
// MySQL quotes values in the message itself: the duplicate entry of a
// duplicate-key error (a blind index term, a ciphertext, or any other
// value: the message does not say which table it concerns, so every one is
// withheld and the key's name kept), and, in other errors that name a
// protected or blind index column ("Incorrect string value: '\xB7...' for
// column ..."), whatever they quote. The error number and SQLSTATE stay,
// so applications still branch on them.
func scrubError(err error, s engine.Sensitive) error {
	var my *gomysql.MySQLError
	if !errors.As(err, &my) {
		return err
	}
	switch {
	case my.Number == erDupEntry || my.Number == erDupEntryWithKeyName:
		if i := strings.LastIndex(my.Message, "' for key "); i >= 0 {
			my.Message = "Duplicate entry " + withheldValue + my.Message[i+1:]
		} else {
			my.Message = "Duplicate entry " + withheldValue
		}
	case strings.Contains(my.Message, "'") && s.Mentions(my.Message):
		my.Message = "sqlseal: message withheld (it may quote a protected column's stored value or blind index term)"
	}
	return err
}
