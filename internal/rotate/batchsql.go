package rotate

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sqlseal/sqlseal/internal/catalog"
)

// Limits of one batched compare-and-swap statement. A batch whose rows
// exceed them is written with several statements, in the same
// transaction.
const (
	// maxPlaceholders stays under MySQL's 65,535 placeholders per
	// statement and SQLite's default 32,766.
	maxPlaceholders = 30000
	// maxStatementBytes bounds the bytes of values bound to one statement
	// for MySQL and MariaDB, well under their default max_allowed_packet
	// (16 MiB in MariaDB, 64 MiB in MySQL 8).
	maxStatementBytes = 4 << 20
)

// ErrKeyType means a key column has a type whose values the batched
// PostgreSQL statement cannot pass (see pgKeyText); name another unique
// column with Options.KeyColumn.
var ErrKeyType = errors.New("sqlseal: unsupported key column type")

// casBatch builds the statement that rewrites many rows of one column at
// once, each row only if it still holds the value that was read
// (compare-and-swap):
//
//   - PostgreSQL: UPDATE t SET c = v.n FROM unnest($1::text[], ...,
//     $k+1::text[], $k+2::text[]) AS v(k1, ..., o, n) WHERE t.k1 =
//     v.k1::type AND ... AND t.c = v.o; keys travel as text and are cast
//     to the key column's type; old and new values are text[] or bytea[]
//     as the column is text or binary. One statement text for every
//     batch size.
//   - MySQL and MariaDB: UPDATE t JOIN (SELECT ? AS k1, ..., ? AS o, ? AS
//     n UNION ALL SELECT ?, ... ) AS v ON t.k1 = v.k1 AND ... SET t.c = v.n
//     WHERE CAST(t.c AS BINARY) = CAST(v.o AS BINARY).
//   - SQLite: UPDATE t AS x SET c = v.columnN FROM (VALUES (?, ...), ...)
//     AS v WHERE x.k1 = v.column1 AND ... AND x.c COLLATE BINARY IS
//     v.columnM.
//
// The values written are never NULL and the values compared never NULL:
// a NULL is left as it is, so it never takes part.
type casBatch struct {
	family   Family
	cat      catalog.Catalog
	table    string   // quoted, schema-qualified
	col      string   // quoted
	keys     []string // quoted key columns
	keyTypes []string // PostgreSQL: the key columns' types, for the casts
	binary   bool
	pgSQL    string // PostgreSQL's statement, the same for every size
}

// pending is one row of a batch that is to be written: its key, the value
// read and the value to write.
type pending struct {
	key []any
	old value
	out any // string or []byte
	act action
}

// newCASBatch builds the batched statement of j. For PostgreSQL it reads
// the types of j's key columns.
func newCASBatch(ctx context.Context, db *sql.DB, d Family, cat catalog.Catalog, j *job) (*casBatch, error) {
	b := &casBatch{family: d, cat: cat, col: cat.Quote(j.col.Name), binary: j.kind == catalog.KindBinary}
	b.table = cat.Quote(j.col.Table)
	if j.col.Schema != "" {
		b.table = cat.Quote(j.col.Schema) + "." + b.table
	}
	for _, k := range j.keys {
		b.keys = append(b.keys, cat.Quote(k))
	}
	if d != Postgres {
		return b, nil
	}
	for _, k := range j.keys {
		var typ sql.NullString
		err := db.QueryRowContext(ctx, `SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
			pgRegclass(Table{Schema: j.col.Schema, Name: j.col.Table}), k).Scan(&typ)
		if err != nil || !typ.Valid {
			return nil, fmt.Errorf("sqlseal: reading the type of key column %s of %s: %w", k, j.name, orNoRows(err))
		}
		b.keyTypes = append(b.keyTypes, typ.String)
	}
	arr := "text[]"
	if b.binary {
		arr = "bytea[]"
	}
	n := len(b.keys)
	params := make([]string, 0, n+2)
	aliases := make([]string, 0, n+2)
	conds := make([]string, 0, n+1)
	for i, k := range b.keys {
		params = append(params, fmt.Sprintf("$%d::text[]", i+1))
		aliases = append(aliases, fmt.Sprintf("k%d", i+1))
		conds = append(conds, fmt.Sprintf("t.%s = v.k%d::%s", k, i+1, b.keyTypes[i]))
	}
	params = append(params, fmt.Sprintf("$%d::%s", n+1, arr), fmt.Sprintf("$%d::%s", n+2, arr))
	aliases = append(aliases, "o", "n")
	conds = append(conds, "t."+b.col+" = v.o")
	b.pgSQL = "UPDATE " + b.table + " AS t SET " + b.col + " = v.n FROM unnest(" + strings.Join(params, ", ") +
		") AS v(" + strings.Join(aliases, ", ") + ") WHERE " + strings.Join(conds, " AND ")
	return b, nil
}

// orNoRows is err, or sql.ErrNoRows for a lookup that found NULL.
func orNoRows(err error) error {
	if err == nil {
		return sql.ErrNoRows
	}
	return err
}

// chunks splits rows into the runs that one statement each can carry.
func (b *casBatch) chunks(rows []pending) [][]pending {
	if b.family == Postgres {
		return [][]pending{rows}
	}
	per := maxPlaceholders / (len(b.keys) + 2)
	var out [][]pending
	start, bytes := 0, 0
	for i, p := range rows {
		size := len(p.old.bytes()) + outLen(p.out)
		if i > start && (i-start == per || b.family == MySQL && bytes+size > maxStatementBytes) {
			out = append(out, rows[start:i])
			start, bytes = i, 0
		}
		bytes += size
	}
	if start < len(rows) {
		out = append(out, rows[start:])
	}
	return out
}

// outLen is the length of a value to write.
func outLen(out any) int {
	switch x := out.(type) {
	case string:
		return len(x)
	case []byte:
		return len(x)
	}
	return 0
}

// statement returns the SQL and the arguments that rewrite rows.
func (b *casBatch) statement(rows []pending) (string, []any, error) {
	if b.family == Postgres {
		args, err := b.pgArgs(rows)
		return b.pgSQL, args, err
	}
	n := len(b.keys)
	args := make([]any, 0, len(rows)*(n+2))
	var sb strings.Builder
	ph := 0
	next := func() string { ph++; return b.cat.Placeholder(ph) }
	if b.family == SQLite {
		// Anonymous placeholders: SQLite looks numbered ones up in a
		// list, which costs time quadratic in their number.
		next = func() string { ph++; return "?" }
	}
	switch b.family {
	case MySQL:
		sb.WriteString("UPDATE " + b.table + " AS t JOIN (")
		for r, p := range rows {
			if r > 0 {
				sb.WriteString(" UNION ALL ")
			}
			sb.WriteString("SELECT ")
			for i := range n {
				sb.WriteString(next())
				if r == 0 {
					sb.WriteString(" AS k" + strconv.Itoa(i+1))
				}
				sb.WriteString(", ")
			}
			sb.WriteString(b.myValue(next()))
			if r == 0 {
				sb.WriteString(" AS o")
			}
			sb.WriteString(", " + b.myValue(next()))
			if r == 0 {
				sb.WriteString(" AS n")
			}
			args = append(args, p.key...)
			args = append(args, p.old.arg(), p.out)
		}
		sb.WriteString(") AS v ON ")
		for i, k := range b.keys {
			if i > 0 {
				sb.WriteString(" AND ")
			}
			sb.WriteString("t." + k + " = v.k" + strconv.Itoa(i+1))
		}
		sb.WriteString(" SET t." + b.col + " = v.n WHERE CAST(t." + b.col + " AS BINARY) = CAST(v.o AS BINARY)")
	case SQLite:
		sb.WriteString("UPDATE " + b.table + " AS t SET " + b.col + " = v.column" + strconv.Itoa(n+2) + " FROM (VALUES ")
		for r, p := range rows {
			if r > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for range n + 2 {
				if ph%(n+2) != 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(next())
			}
			sb.WriteString(")")
			args = append(args, p.key...)
			args = append(args, p.old.arg(), p.out)
		}
		sb.WriteString(") AS v WHERE ")
		for i, k := range b.keys {
			sb.WriteString("t." + k + " = v.column" + strconv.Itoa(i+1) + " AND ")
		}
		sb.WriteString("t." + b.col + " COLLATE BINARY IS v.column" + strconv.Itoa(n+1))
	default:
		return "", nil, fmt.Errorf("sqlseal: unknown database family %q", b.family)
	}
	return sb.String(), args, nil
}

// myValue is a MySQL placeholder for an old or new value: for a binary
// column cast to BINARY, so that the derived table holds bytes that are no
// text in the connection's character set.
func (b *casBatch) myValue(ph string) string {
	if b.binary {
		return "CAST(" + ph + " AS BINARY)"
	}
	return ph
}

// pgArgs returns PostgreSQL's array arguments: a text array per key
// column, then the old and the new values.
func (b *casBatch) pgArgs(rows []pending) ([]any, error) {
	n := len(b.keys)
	keys := make([][]string, n)
	for i := range keys {
		keys[i] = make([]string, len(rows))
	}
	var olds, news any
	if b.binary {
		o, nw := make([][]byte, len(rows)), make([][]byte, len(rows))
		for r, p := range rows {
			out, ok := p.out.([]byte)
			if !ok {
				return nil, fmt.Errorf("sqlseal: internal error: binary column value is a %T", p.out)
			}
			o[r], nw[r] = p.old.bytes(), out
		}
		olds, news = o, nw
	} else {
		o, nw := make([]string, len(rows)), make([]string, len(rows))
		for r, p := range rows {
			out, ok := p.out.(string)
			if !ok {
				return nil, fmt.Errorf("sqlseal: internal error: text column value is a %T", p.out)
			}
			o[r], nw[r] = p.old.text(), out
		}
		olds, news = o, nw
	}
	for r, p := range rows {
		for i, k := range p.key {
			s, err := pgKeyText(k)
			if err != nil {
				return nil, fmt.Errorf("sqlseal: key column %s: %w", b.keys[i], err)
			}
			keys[i][r] = s
		}
	}
	args := make([]any, 0, n+2)
	for _, k := range keys {
		args = append(args, k)
	}
	return append(args, olds, news), nil
}

// pgKeyText renders a key value as read by pgx in PostgreSQL's text input
// form, which the statement casts back to the key column's type.
func pgKeyText(v any) (string, error) {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case string:
		return x, nil
	case []byte:
		return `\x` + hex.EncodeToString(x), nil
	case [16]byte:
		return formatKeyValue(x), nil
	case time.Time:
		return x.Format("2006-01-02 15:04:05.999999999Z07:00"), nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	}
	return "", fmt.Errorf("%w: a key of Go type %T", ErrKeyType, v)
}
