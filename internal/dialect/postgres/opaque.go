package postgres

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/sqlseal/sqlseal/internal/query"
)

// opaqueOf lowers a statement the model cannot express to an Opaque that
// lists every table named anywhere in it: the targets of INSERT, UPDATE,
// DELETE, MERGE, COPY FROM, CREATE TABLE AS / SELECT INTO, CREATE VIEW and
// CREATE RULE (including those nested in WITH or COPY (query)) as written,
// every other table as read.
func opaqueOf(kind query.OpaqueKind, n *pg_query.Node) *query.Opaque {
	c := &tableCollector{target: map[*pg_query.RangeVar]bool{}}
	c.walk(n.ProtoReflect())
	return &query.Opaque{Kind: kind, Writes: c.writes, Reads: c.reads}
}

// tableCollector gathers the tables of a parse tree.
type tableCollector struct {
	target        map[*pg_query.RangeVar]bool
	writes, reads []query.Table
}

// walk visits m and everything below it in field order.
func (c *tableCollector) walk(m protoreflect.Message) {
	c.markTargets(m.Interface())
	if rv, ok := m.Interface().(*pg_query.RangeVar); ok {
		t := tableOf(rv)
		if c.target[rv] {
			c.writes = appendTable(c.writes, t)
		} else {
			c.reads = appendTable(c.reads, t)
		}
		return
	}
	forEachMessage(m, c.walk)
}

// markTargets records the relation a statement node writes, before its
// children are visited.
func (c *tableCollector) markTargets(m any) {
	var rv *pg_query.RangeVar
	switch s := m.(type) {
	case *pg_query.InsertStmt, *pg_query.UpdateStmt, *pg_query.DeleteStmt, *pg_query.MergeStmt, *pg_query.RuleStmt:
		rv = s.(interface{ GetRelation() *pg_query.RangeVar }).GetRelation()
	case *pg_query.CopyStmt:
		if s.GetIsFrom() {
			rv = s.GetRelation()
		}
	case *pg_query.IntoClause:
		rv = s.GetRel()
	case *pg_query.ViewStmt:
		rv = s.GetView()
	}
	if rv != nil {
		c.target[rv] = true
	}
}

// appendTable appends t to ts unless it is already there.
func appendTable(ts []query.Table, t query.Table) []query.Table {
	for _, x := range ts {
		if x == t {
			return ts
		}
	}
	return append(ts, t)
}

// forEachMessage calls f for every message-valued field of m (each element
// of a repeated field), in field-number order.
func forEachMessage(m protoreflect.Message, f func(protoreflect.Message)) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if fd.Kind() != protoreflect.MessageKind || fd.IsMap() || !m.Has(fd) {
			continue
		}
		v := m.Get(fd)
		if fd.IsList() {
			list := v.List()
			for j := 0; j < list.Len(); j++ {
				f(list.Get(j).Message())
			}
			continue
		}
		f(v.Message())
	}
}
