package engine

import (
	"context"
	"database/sql/driver"
	"testing"
)

// legacyStmt is a wrapped statement without the context interfaces.
type legacyStmt struct{ got []driver.Value }

func (*legacyStmt) Close() error  { return nil }
func (*legacyStmt) NumInput() int { return -1 }

func (s *legacyStmt) Exec(args []driver.Value) (driver.Result, error) {
	s.got = args
	return driver.RowsAffected(len(args)), nil
}

func (s *legacyStmt) Query(args []driver.Value) (driver.Rows, error) {
	s.got = args
	return nil, nil
}

// contextStmt has ExecContext, which runInner must prefer.
type contextStmt struct {
	legacyStmt
	named []driver.NamedValue
}

func (s *contextStmt) ExecContext(_ context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.named = args
	return driver.RowsAffected(0), nil
}

func TestRunInner(t *testing.T) {
	ctx := context.Background()
	args := []driver.NamedValue{{Ordinal: 1, Value: "a"}, {Ordinal: 2, Value: int64(2)}}

	legacy := &legacyStmt{}
	res, err := runInner(ctx, driver.Stmt(legacy), args, driver.StmtExecContext.ExecContext, driver.Stmt.Exec) //nolint:staticcheck // testing the legacy path
	if n, _ := res.RowsAffected(); err != nil || n != 2 || len(legacy.got) != 2 || legacy.got[0] != "a" || legacy.got[1] != int64(2) {
		t.Fatalf("legacy Exec: %v, %v, got %v", res, err, legacy.got)
	}
	legacy.got = nil
	if _, err := runInner(ctx, driver.Stmt(legacy), args, driver.StmtQueryContext.QueryContext, driver.Stmt.Query); err != nil || len(legacy.got) != 2 { //nolint:staticcheck // testing the legacy path
		t.Fatalf("legacy Query: %v, got %v", err, legacy.got)
	}

	// A named argument cannot be passed by position.
	legacy.got = nil
	named := []driver.NamedValue{{Name: "n", Ordinal: 1, Value: "a"}}
	if _, err := runInner(ctx, driver.Stmt(legacy), named, driver.StmtExecContext.ExecContext, driver.Stmt.Exec); err == nil || legacy.got != nil { //nolint:staticcheck // testing the legacy path
		t.Fatalf("named argument on the legacy path: %v, got %v", err, legacy.got)
	}

	withCtx := &contextStmt{}
	if _, err := runInner(ctx, driver.Stmt(withCtx), named, driver.StmtExecContext.ExecContext, driver.Stmt.Exec); err != nil || len(withCtx.named) != 1 || withCtx.got != nil { //nolint:staticcheck // testing the legacy path
		t.Fatalf("ExecContext not used: %v, named %v, legacy %v", err, withCtx.named, withCtx.got)
	}
}
