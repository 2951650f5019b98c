package integration_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	gormsqlite "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	sealsqlite "github.com/sqlseal/sqlseal/driver/sqlite"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

const (
	liteKey     = "sqlite-clients-key-0123456789abc"
	liteDetails = `{"host":"db.internal","port":5432,"user":"metabase","password":"hunter2"}`
)

// liteFix is one SQLite client test: a database file of its own and a
// plain modernc.org/sqlite connection that shows what is at rest.
type liteFix struct {
	t   *testing.T
	ctx context.Context
	dsn string
	raw *sql.DB
}

func newLiteFix(t *testing.T) *liteFix {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "clients.db") + "?_pragma=busy_timeout(5000)"
	raw, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	return &liteFix{t: t, ctx: context.Background(), dsn: dsn, raw: raw}
}

// sealed opens a sealed pool that protects columns ("table.column").
func (f *liteFix) sealed(columns ...string) *sql.DB {
	f.t.Helper()
	c, err := sealsqlite.NewConnector(config.Config{SecretKey: liteKey, Columns: columns}, f.dsn)
	require.NoError(f.t, err)
	db := sql.OpenDB(c)
	f.t.Cleanup(func() { db.Close() })
	require.NoError(f.t, db.PingContext(f.ctx))
	return db
}

// stored returns column col of row id as SQLite stores it.
func (f *liteFix) stored(table, col string, id int64) any {
	f.t.Helper()
	var v any
	require.NoError(f.t, f.raw.QueryRowContext(f.ctx, `SELECT "`+col+`" FROM "`+table+`" WHERE id = ?`, id).Scan(&v))
	return v
}

// requireSealed proves that col of row id is ciphertext sealed with
// liteKey that opens to want: TEXT holding base64, or a BLOB of raw
// bytes when binary.
func (f *liteFix) requireSealed(table, col string, id int64, binary bool, want string) {
	f.t.Helper()
	require.Equal(f.t, want, testdb.OpenStored(f.t, liteKey, f.stored(table, col, id), binary), "%s.%s of row %d", table, col, id)
}

func (f *liteFix) count(table string) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.raw.QueryRowContext(f.ctx, `SELECT count(*) FROM "`+table+`"`).Scan(&n))
	return n
}

// LiteConn is Metabase's shape on SQLite: JSON text in a TEXT column.
type LiteConn struct {
	ID      int64
	Name    string `gorm:"uniqueIndex"`
	Details string
}

// LiteBlob keeps its details as bytes in BLOB columns; both are
// protected.
type LiteBlob struct {
	ID      int64
	Name    string `gorm:"uniqueIndex"`
	Details json.RawMessage
	Extra   []byte
}

// gorm opens GORM over a sealed pool; the tables lite_conns and
// lite_blobs are created by AutoMigrate through sqlseal.
func (f *liteFix) gorm(prepare bool) *gorm.DB {
	f.t.Helper()
	sqlDB := f.sealed("lite_conns.details", "lite_blobs.details", "lite_blobs.extra")
	gdb, err := gorm.Open(gormsqlite.New(gormsqlite.Config{Conn: sqlDB}), &gorm.Config{
		PrepareStmt: prepare,
		Logger:      logger.Default.LogMode(logger.Silent),
	})
	require.NoError(f.t, err)
	require.NoError(f.t, gdb.AutoMigrate(&LiteConn{}, &LiteBlob{}))
	return gdb
}

func TestLiteGorm(t *testing.T) {
	for _, prepare := range []bool{false, true} {
		name := "direct"
		if prepare {
			name = "PrepareStmt"
		}
		t.Run(name, func(t *testing.T) {
			f := newLiteFix(t)
			db := f.gorm(prepare)

			// AutoMigrate created the tables through sqlseal with the
			// types GORM chose for the protected columns.
			var detailsType, extraType string
			require.NoError(t, f.raw.QueryRow(`SELECT
				(SELECT type FROM pragma_table_info('lite_blobs') WHERE name = 'details'),
				(SELECT type FROM pragma_table_info('lite_blobs') WHERE name = 'extra')`).Scan(&detailsType, &extraType))
			require.Equal(t, []string{"blob", "blob"}, []string{strings.ToLower(detailsType), strings.ToLower(extraType)})

			// Create, one and several.
			a := LiteConn{Name: "a", Details: liteDetails}
			require.NoError(t, db.Create(&a).Error)
			require.NotZero(t, a.ID)
			f.requireSealed("lite_conns", "details", a.ID, false, liteDetails)
			batch := []LiteConn{{Name: "b", Details: "bee"}, {Name: "c", Details: "sea"}}
			require.NoError(t, db.Create(&batch).Error)
			for _, c := range batch {
				require.NotZero(t, c.ID)
				f.requireSealed("lite_conns", "details", c.ID, false, c.Details)
			}

			// First and Find return plaintext.
			var got LiteConn
			require.NoError(t, db.First(&got, a.ID).Error)
			require.Equal(t, a, got)
			var all []LiteConn
			require.NoError(t, db.Order("id").Find(&all).Error)
			require.Equal(t, []LiteConn{a, batch[0], batch[1]}, all)
			got = LiteConn{}
			require.NoError(t, db.Where("name = ?", "b").First(&got).Error)
			require.Equal(t, "bee", got.Details)

			// Save, Updates and Update.
			a.Details = "saved"
			require.NoError(t, db.Save(&a).Error)
			f.requireSealed("lite_conns", "details", a.ID, false, "saved")
			require.NoError(t, db.Model(&a).Updates(LiteConn{Details: "updates struct"}).Error)
			f.requireSealed("lite_conns", "details", a.ID, false, "updates struct")
			require.NoError(t, db.Model(&LiteConn{ID: a.ID}).Updates(map[string]any{"name": "a2", "details": "updates map"}).Error)
			f.requireSealed("lite_conns", "details", a.ID, false, "updates map")
			require.NoError(t, db.Model(&LiteConn{ID: a.ID}).Update("details", "update").Error)
			f.requireSealed("lite_conns", "details", a.ID, false, "update")
			got = LiteConn{}
			require.NoError(t, db.First(&got, a.ID).Error)
			require.Equal(t, LiteConn{ID: a.ID, Name: "a2", Details: "update"}, got)

			// Upserts on the unique name (SQLite's ON CONFLICT needs the
			// target; GORM's default is the primary key).
			onName := []clause.Column{{Name: "name"}}
			up := LiteConn{Name: "b", Details: "upsert all"}
			require.NoError(t, db.Clauses(clause.OnConflict{Columns: onName, UpdateAll: true}).Create(&up).Error)
			f.requireSealed("lite_conns", "details", batch[0].ID, false, "upsert all")
			up = LiteConn{Name: "c", Details: "upsert details"}
			require.NoError(t, db.Clauses(clause.OnConflict{
				Columns:   onName,
				DoUpdates: clause.AssignmentColumns([]string{"details"}),
			}).Create(&up).Error)
			f.requireSealed("lite_conns", "details", batch[1].ID, false, "upsert details")
			fresh := LiteConn{Name: "d", Details: "upsert new"}
			require.NoError(t, db.Clauses(clause.OnConflict{Columns: onName, UpdateAll: true}).Create(&fresh).Error)
			require.NotZero(t, fresh.ID)
			f.requireSealed("lite_conns", "details", fresh.ID, false, "upsert new")
			pk := LiteConn{ID: a.ID, Name: "a2", Details: "upsert by id"}
			require.NoError(t, db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&pk).Error)
			f.requireSealed("lite_conns", "details", a.ID, false, "upsert by id")
			require.Equal(t, 4, f.count("lite_conns"))
			all = nil
			require.NoError(t, db.Order("id").Find(&all).Error)
			require.Equal(t, []string{"upsert by id", "upsert all", "upsert details", "upsert new"},
				[]string{all[0].Details, all[1].Details, all[2].Details, all[3].Details})

			// Looking a row up by the protected column is refused.
			err := db.Where("details = ?", "update").First(&LiteConn{}).Error
			require.ErrorIs(t, err, sqlseal.ErrRefused)
			require.Contains(t, err.Error(), "lite_conns.details")

			// Binary columns hold raw ciphertext.
			blob := LiteBlob{Name: "blob", Details: json.RawMessage(liteDetails), Extra: []byte("extra bytes")}
			require.NoError(t, db.Create(&blob).Error)
			f.requireSealed("lite_blobs", "details", blob.ID, true, liteDetails)
			f.requireSealed("lite_blobs", "extra", blob.ID, true, "extra bytes")
			var gotBlob LiteBlob
			require.NoError(t, db.First(&gotBlob, blob.ID).Error)
			require.Equal(t, blob, gotBlob)
			blob.Extra = nil
			require.NoError(t, db.Save(&blob).Error)
			require.Nil(t, f.stored("lite_blobs", "extra", blob.ID))
		})
	}
}

// liteSqlxConn is the row sqlx reads and writes.
type liteSqlxConn struct {
	ID      int64  `db:"id"`
	Name    string `db:"name"`
	Details string `db:"details"`
}

func TestLiteSqlx(t *testing.T) {
	f := newLiteFix(t)
	_, err := f.raw.Exec(`CREATE TABLE conn (id INTEGER PRIMARY KEY, name TEXT, details TEXT)`)
	require.NoError(t, err)
	db := sqlx.NewDb(f.sealed("conn.details"), "sqlite3")

	res, err := db.NamedExec(`INSERT INTO conn (name, details) VALUES (:name, :details)`,
		liteSqlxConn{Name: "a", Details: liteDetails})
	require.NoError(t, err)
	id, err := res.LastInsertId()
	require.NoError(t, err)
	f.requireSealed("conn", "details", id, false, liteDetails)

	_, err = db.NamedExec(`INSERT INTO conn (name, details) VALUES (:name, :details)`,
		[]liteSqlxConn{{Name: "b", Details: "bee"}, {Name: "c", Details: "sea"}})
	require.NoError(t, err)
	f.requireSealed("conn", "details", 2, false, "bee")
	f.requireSealed("conn", "details", 3, false, "sea")

	_, err = db.NamedExec(`UPDATE conn SET details = :details WHERE name = :name`,
		map[string]any{"name": "c", "details": "sea-updated"})
	require.NoError(t, err)
	f.requireSealed("conn", "details", 3, false, "sea-updated")

	var one liteSqlxConn
	require.NoError(t, db.Get(&one, `SELECT * FROM conn WHERE id = ?`, id))
	require.Equal(t, liteSqlxConn{ID: id, Name: "a", Details: liteDetails}, one)
	var some []liteSqlxConn
	require.NoError(t, db.Select(&some, `SELECT id, name, details FROM conn ORDER BY id`))
	require.Equal(t, []liteSqlxConn{{id, "a", liteDetails}, {2, "b", "bee"}, {3, "c", "sea-updated"}}, some)

	rows, err := db.NamedQuery(`SELECT c.details AS details, c.name AS name FROM conn c WHERE c.name = :name`, map[string]any{"name": "b"})
	require.NoError(t, err)
	require.True(t, rows.Next())
	one = liteSqlxConn{}
	require.NoError(t, rows.StructScan(&one))
	require.NoError(t, rows.Close())
	require.Equal(t, "bee", one.Details)

	// SQLite's own named parameters through sqlx's Exec.
	_, err = db.Exec(`INSERT INTO conn (name, details) VALUES (:n, :d)`, sql.Named("n", "e"), sql.Named("d", "native named"))
	require.NoError(t, err)
	f.requireSealed("conn", "details", 4, false, "native named")

	_, err = db.NamedExec(`UPDATE conn SET name = 'x' WHERE details = :details`, map[string]any{"details": "bee"})
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 4, f.count("conn"))
}
