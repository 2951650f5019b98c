package conformance

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
)

// counts is what an Observer was told.
type counts struct {
	mu                                sync.Mutex
	sealed, opened, plain             map[sqlseal.Column]int
	refused                           map[sqlseal.Reason]int
	refusedColumns                    map[sqlseal.Column]int
	keyReads, keyHits, keyMisses      int
	planCalls, planEntries, planBytes int
}

// observer returns an Observer that counts into c.
func (c *counts) observer() *sqlseal.Observer {
	c.sealed, c.opened, c.plain = map[sqlseal.Column]int{}, map[sqlseal.Column]int{}, map[sqlseal.Column]int{}
	c.refused, c.refusedColumns = map[sqlseal.Reason]int{}, map[sqlseal.Column]int{}
	add := func(m map[sqlseal.Column]int) func(sqlseal.Column) {
		return func(col sqlseal.Column) { c.mu.Lock(); m[col]++; c.mu.Unlock() }
	}
	return &sqlseal.Observer{
		Sealed:        add(c.sealed),
		Opened:        add(c.opened),
		PlaintextRead: add(c.plain),
		Refused: func(col sqlseal.Column, r sqlseal.Reason) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.refused[r]++
			c.refusedColumns[col]++
		},
		DataKeys: func(hits, misses int) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.keyReads++
			c.keyHits += hits
			c.keyMisses += misses
		},
		PlanCache: func(entries, bytes int) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.planCalls++
			c.planEntries, c.planBytes = entries, bytes
		},
	}
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// observed: the Observer of the configuration is told of each value
// sealed, opened and read unsealed, of each refused statement with its
// reason, of the key table's data keys and of the analyses; the Logger
// records refusals at debug level. Neither receives a value or SQL text.
func observed(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	var c counts
	var logs syncBuffer
	cfg := e.Config()
	cfg.Observer = c.observer()
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db := e.Open(cfg)
	col := sqlseal.Column{Table: e.Table, Name: "details"}

	for _, v := range []string{"one", "two"} {
		_, err := db.ExecContext(e.Ctx, e.Q(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`), "n", v)
		require.NoError(t, err)
	}
	_, err := db.ExecContext(e.Ctx, `INSERT INTO `+e.Table+` (name, details) VALUES ('n', 'three')`)
	require.NoError(t, err)
	e.RequireSealed(1, "one")
	e.RequireSealed(3, "three")
	e.RawExec(`INSERT INTO ` + e.Table + ` (name, details) VALUES ('legacy', 'plain')`)
	require.Equal(t, [][]string{{"one"}, {"two"}, {"three"}, {"plain"}},
		Rows(t, db, `SELECT details FROM `+e.Table+` ORDER BY id`))

	_, err = db.ExecContext(e.Ctx, e.Q(`UPDATE `+e.Table+` SET name = 'x' WHERE details = ?`), RefusedValue)
	RequireRefused(t, err, e.Table+".details", "compared")
	_, err = db.ExecContext(e.Ctx, e.Q(`UPDATE `+e.Table+` SET details = upper(?)`), RefusedValue)
	RequireRefused(t, err, e.Table+".details", "computed")

	c.mu.Lock()
	defer c.mu.Unlock()
	require.Equal(t, map[sqlseal.Column]int{col: 3}, c.sealed, "sealed")
	require.Equal(t, map[sqlseal.Column]int{col: 3}, c.opened, "opened")
	require.Equal(t, map[sqlseal.Column]int{col: 1}, c.plain, "plaintext read")
	require.Equal(t, map[sqlseal.Reason]int{sqlseal.ReasonCompared: 1, sqlseal.ReasonComputed: 1}, c.refused, "refused")
	require.Equal(t, map[sqlseal.Column]int{col: 2}, c.refusedColumns, "refused")
	if b.DataKeys != nil {
		require.Positive(t, c.keyReads, "key table reads")
		require.Equal(t, c.keyReads, c.keyHits+c.keyMisses, "one data key per read")
	} else {
		require.Zero(t, c.keyReads, "no key table")
	}
	require.Positive(t, c.planCalls)
	require.Positive(t, c.planEntries)
	require.Positive(t, c.planBytes)

	out := logs.String()
	require.Contains(t, out, `msg="sqlseal: statement refused" column=`+e.Table+`.details reason=compared`)
	require.Contains(t, out, `reason=computed`)
	for _, leak := range []string{RefusedValue, "upper", "WHERE", "plain"} {
		require.NotContains(t, out, leak)
	}
}
