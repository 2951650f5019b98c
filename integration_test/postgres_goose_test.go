package integration_test

import (
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/conformance"
)

// TestGooseMigrationsThroughSealedDB runs an application's migrations
// through the sealed *sql.DB: the protected table does not exist when
// sqlseal connects, migration 1 creates it, migration 2 seeds it with a
// literal that must be sealed.
func TestPGGooseMigrationsThroughSealedDB(t *testing.T) {
	e := conformance.NewEnv(t, conformance.Postgres(t), "")
	versions := e.Name("goose_versions")
	tb := e.Table
	fsys := fstest.MapFS{
		"00001_create.sql": {Data: []byte(`-- +goose Up
CREATE TABLE ` + tb + ` (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    details text
);

-- +goose Down
DROP TABLE ` + tb + `;
`)},
		"00002_seed.sql": {Data: []byte(`-- +goose Up
INSERT INTO ` + tb + ` (name, details) VALUES ('seed', '{"host":"seed"}');

-- +goose Down
DELETE FROM ` + tb + ` WHERE name = 'seed';
`)},
		"00003_more.sql": {Data: []byte(`-- +goose Up
-- A block is sent as one text of several statements.
-- +goose StatementBegin
INSERT INTO ` + tb + ` (name, details)
VALUES ('second', '{"host":"it''s quoted"}'),
       ('empty', '');
UPDATE ` + tb + ` SET details = '{"host":"seed","port":1}' WHERE name = 'seed';
-- +goose StatementEnd

-- +goose Down
DELETE FROM ` + tb + ` WHERE name IN ('second', 'empty');
`)},
	}
	db := e.Sealed
	provider, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithTableName(versions))
	require.NoError(t, err)

	results, err := provider.UpTo(e.Ctx, 2)
	require.NoError(t, err)
	require.Len(t, results, 2)
	e.RequireSealed(1, `{"host":"seed"}`)
	require.Equal(t, `{"host":"seed"}`, e.ReadDetails(1))

	results, err = provider.Up(e.Ctx)
	require.NoError(t, err)
	require.Len(t, results, 1)
	e.RequireSealed(1, `{"host":"seed","port":1}`)
	e.RequireSealed(2, `{"host":"it's quoted"}`)
	e.RequireSealed(3, ``)
	for id, want := range map[int64]string{1: `{"host":"seed","port":1}`, 2: `{"host":"it's quoted"}`, 3: ``} {
		require.Equal(t, want, e.ReadDetails(id))
	}

	// Down to 1 and up again: the re-seeded row is sealed too.
	_, err = provider.DownTo(e.Ctx, 1)
	require.NoError(t, err)
	require.Zero(t, e.Count(tb))
	_, err = provider.Up(e.Ctx)
	require.NoError(t, err)
	var id int64
	require.NoError(t, e.Raw.QueryRow(`SELECT id FROM `+tb+` WHERE name = 'second'`).Scan(&id))
	e.RequireSealed(id, `{"host":"it's quoted"}`)
	require.Equal(t, `{"host":"it's quoted"}`, e.ReadDetails(id))

	current, err := provider.GetDBVersion(e.Ctx)
	require.NoError(t, err)
	require.Equal(t, int64(3), current)
}
