package mysql

import (
	"errors"
	"fmt"
	"regexp"
)

// ErrSyntax is wrapped by the error Parse returns for text the MySQL
// parser rejects.
var ErrSyntax = errors.New("mysql: syntax error")

// ErrUnsupported is wrapped by the error Parse returns for SQL that parses
// but that the front-end refuses to model.
var ErrUnsupported = errors.New("mysql: unsupported SQL")

// errPosition finds the position in a TiDB parse error.
var errPosition = regexp.MustCompile(`^line (\d+) column (\d+)`)

// syntaxError turns a TiDB parse error into one that does not quote the
// SQL text, which may hold secrets.
func syntaxError(err error) error {
	if m := errPosition.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%w at line %s column %s", ErrSyntax, m[1], m[2])
	}
	return ErrSyntax
}
