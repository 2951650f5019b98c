package sqlite

import "errors"

// ErrSyntax is wrapped by every error Parse returns: for text SQLite would
// reject, and for text this front-end cannot translate for the PostgreSQL
// parser (see the package documentation). The messages give byte offsets,
// never the SQL text, which may hold secrets.
var ErrSyntax = errors.New("sqlite: cannot parse SQL")
