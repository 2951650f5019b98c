package rotate

import (
	"fmt"
	"strings"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/catalog"
)

// job is one protected column to rotate or inspect, with the statements
// that address its rows.
type job struct {
	col   analysis.Column
	name  string // as configured
	label string // the column's envelope label
	kind  catalog.Kind
	keys  []string // key column names; empty for a status scan without key
	batch int

	countSQL  string // SELECT COUNT(*)
	scanSQL   string // SELECT key..., col FROM t (no order)
	firstSQL  string // the first batch
	nextSQL   string // the batch after a key: key > (P1...)
	updateSQL string // compare-and-swap: SET col = P1 WHERE key = P2... AND col = Pn
	rereadSQL string // SELECT col FROM t WHERE key = P1... [FOR UPDATE]
	// lockSQL, for SQLite, is a write that changes nothing, run first in
	// a transaction to take the write lock before reading: a transaction
	// that reads first and then writes can fail with SQLITE_BUSY at once,
	// without waiting, when another connection wrote in between.
	lockSQL string
	// cas writes a batch with one compare-and-swap statement (batch.go).
	cas *casBatch
}

// buildSQL fills in j's statements for family d.
func (j *job) buildSQL(d Family, cat catalog.Catalog) {
	table := cat.Quote(j.col.Table)
	if j.col.Schema != "" {
		table = cat.Quote(j.col.Schema) + "." + table
	}
	col := cat.Quote(j.col.Name)
	qkeys := make([]string, len(j.keys))
	for i, k := range j.keys {
		qkeys[i] = cat.Quote(k)
	}
	keyList := strings.Join(qkeys, ", ")
	selectList := col
	if keyList != "" {
		selectList = keyList + ", " + col
	}

	j.countSQL = "SELECT COUNT(*) FROM " + table
	j.scanSQL = "SELECT " + selectList + " FROM " + table
	if len(j.keys) == 0 {
		return
	}
	order := fmt.Sprintf(" ORDER BY %s LIMIT %d", keyList, j.batch)
	j.firstSQL = j.scanSQL + order

	phs := make([]string, len(j.keys))
	for i := range j.keys {
		phs[i] = cat.Placeholder(i + 1)
	}
	if len(j.keys) == 1 {
		j.nextSQL = j.scanSQL + " WHERE " + qkeys[0] + " > " + phs[0] + order
	} else {
		j.nextSQL = j.scanSQL + " WHERE (" + keyList + ") > (" + strings.Join(phs, ", ") + ")" + order
	}

	// keyMatch matches the key columns against placeholders from..from+n-1.
	keyMatch := func(from int) string {
		conds := make([]string, len(qkeys))
		for i, k := range qkeys {
			conds[i] = k + " = " + cat.Placeholder(from+i)
		}
		return strings.Join(conds, " AND ")
	}
	old := cat.Placeholder(len(j.keys) + 2)
	j.updateSQL = "UPDATE " + table + " SET " + col + " = " + cat.Placeholder(1) +
		" WHERE " + keyMatch(2) + " AND " + nullSafeEqual(d, col, old)
	j.rereadSQL = "SELECT " + col + " FROM " + table + " WHERE " + keyMatch(1)
	if d == SQLite {
		j.lockSQL = "UPDATE " + table + " SET " + col + " = " + col + " WHERE 0"
	} else {
		j.rereadSQL += " FOR UPDATE"
	}
}

// nullSafeEqual compares a column with a placeholder so that NULL equals
// NULL and text compares byte for byte where the database would otherwise
// apply a case-insensitive collation.
func nullSafeEqual(d Family, col, ph string) string {
	switch d {
	case MySQL:
		return "CAST(" + col + " AS BINARY) <=> CAST(" + ph + " AS BINARY)"
	case SQLite:
		return col + " COLLATE BINARY IS " + ph
	}
	return col + " IS NOT DISTINCT FROM " + ph
}
