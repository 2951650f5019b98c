package integration_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	sealmysql "github.com/sqlseal/sqlseal/driver/mysql"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

const (
	myKey     = "mysql-clients-key-0123456789abcd"
	myDetails = `{"host":"db.internal","port":3306,"user":"metabase","password":"hunter2"}`
)

// myFix is one MySQL/MariaDB client test: tables named with a fresh
// prefix, dropped at the end, and a plain go-sql-driver/mysql connection
// that shows what is at rest.
type myFix struct {
	t      *testing.T
	ctx    context.Context
	dsn    string
	prefix string
	raw    *sql.DB
}

func newMyFix(t *testing.T, tables ...string) *myFix {
	t.Helper()
	dsn := testdb.MySQL(t)
	raw, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	f := &myFix{t: t, ctx: context.Background(), dsn: dsn, prefix: testdb.Name(t, "my") + "_", raw: raw}
	t.Cleanup(func() {
		for _, tb := range tables {
			raw.Exec("DROP TABLE IF EXISTS `" + f.prefix + tb + "`")
		}
		raw.Close()
	})
	return f
}

// sealed opens a sealed pool that protects column of each prefixed table
// ("table.column" without the prefix).
func (f *myFix) sealed(columns ...string) *sql.DB {
	f.t.Helper()
	cfg := config.Config{SecretKey: myKey}
	for _, c := range columns {
		cfg.Columns = append(cfg.Columns, f.prefix+c)
	}
	mc, err := gomysql.ParseDSN(f.dsn)
	require.NoError(f.t, err)
	c, err := sealmysql.NewConnector(cfg, mc)
	require.NoError(f.t, err)
	db := sql.OpenDB(c)
	f.t.Cleanup(func() { db.Close() })
	require.NoError(f.t, db.PingContext(f.ctx))
	return db
}

// stored returns column col of row id of the prefixed table as stored.
func (f *myFix) stored(table, col string, id int64) []byte {
	f.t.Helper()
	var v []byte
	require.NoError(f.t, f.raw.QueryRowContext(f.ctx, "SELECT `"+col+"` FROM `"+f.prefix+table+"` WHERE id = ?", id).Scan(&v))
	return v
}

// requireSealed proves that col of row id is ciphertext sealed with myKey
// that opens to want: base64 text, or raw bytes when binary.
func (f *myFix) requireSealed(table, col string, id int64, binary bool, want string) {
	f.t.Helper()
	require.Equal(f.t, want, testdb.OpenStored(f.t, myKey, f.stored(table, col, id), binary), "%s.%s of row %d", table, col, id)
}

func (f *myFix) count(table string) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.raw.QueryRowContext(f.ctx, "SELECT COUNT(*) FROM `"+f.prefix+table+"`").Scan(&n))
	return n
}

// MyConn is Metabase's shape on MySQL: the connection details as JSON
// text in a TEXT column.
type MyConn struct {
	ID      int64
	Name    string `gorm:"size:191;uniqueIndex"`
	Details string `gorm:"type:text"`
}

// MyBlob keeps its details as bytes in BLOB columns; both are protected.
type MyBlob struct {
	ID      int64
	Name    string          `gorm:"size:191;uniqueIndex"`
	Details json.RawMessage `gorm:"type:blob"`
	Extra   []byte          `gorm:"type:varbinary(1000)"`
}

// gorm opens GORM over a sealed pool; the tables are <prefix>my_conns
// and <prefix>my_blobs and are created by AutoMigrate through sqlseal.
// With returning false GORM does not use MariaDB's INSERT ... RETURNING
// (which it does by default on MariaDB 10.5 and later).
func (f *myFix) gorm(prepare, returning bool) *gorm.DB {
	f.t.Helper()
	sqlDB := f.sealed("my_conns.details", "my_blobs.details", "my_blobs.extra")
	gdb, err := gorm.Open(gormmysql.New(gormmysql.Config{Conn: sqlDB, DisableWithReturning: !returning}), &gorm.Config{
		PrepareStmt:    prepare,
		NamingStrategy: schema.NamingStrategy{TablePrefix: f.prefix},
		Logger:         logger.Default.LogMode(logger.Silent),
	})
	require.NoError(f.t, err)
	require.NoError(f.t, gdb.AutoMigrate(&MyConn{}, &MyBlob{}))
	return gdb
}

// TestMyGormReturning: GORM's default configuration on MariaDB 10.5 and
// later creates rows with INSERT ... RETURNING `id`.
func TestMyGormReturning(t *testing.T) {
	f := newMyFix(t, "my_conns", "my_blobs")
	db := f.gorm(false, true)
	var version string
	require.NoError(t, db.Raw("SELECT VERSION()").Scan(&version).Error)
	if !strings.Contains(version, "MariaDB") {
		t.Skip("RETURNING is MariaDB's; server is " + version)
	}
	a := MyConn{Name: "a", Details: myDetails}
	require.NoError(t, db.Create(&a).Error)
	require.NotZero(t, a.ID)
	f.requireSealed("my_conns", "details", a.ID, false, myDetails)
}

func TestMyGorm(t *testing.T) {
	for _, prepare := range []bool{false, true} {
		name := "direct"
		if prepare {
			name = "PrepareStmt"
		}
		t.Run(name, func(t *testing.T) {
			f := newMyFix(t, "my_conns", "my_blobs")
			db := f.gorm(prepare, false)

			// Create, one and several.
			a := MyConn{Name: "a", Details: myDetails}
			require.NoError(t, db.Create(&a).Error)
			require.NotZero(t, a.ID)
			f.requireSealed("my_conns", "details", a.ID, false, myDetails)
			batch := []MyConn{{Name: "b", Details: "bee"}, {Name: "c", Details: "sea"}}
			require.NoError(t, db.Create(&batch).Error)
			for _, c := range batch {
				require.NotZero(t, c.ID)
				f.requireSealed("my_conns", "details", c.ID, false, c.Details)
			}

			// First and Find return plaintext.
			var got MyConn
			require.NoError(t, db.First(&got, a.ID).Error)
			require.Equal(t, a, got)
			var all []MyConn
			require.NoError(t, db.Order("id").Find(&all).Error)
			require.Equal(t, []MyConn{a, batch[0], batch[1]}, all)
			got = MyConn{}
			require.NoError(t, db.Where("name = ?", "b").First(&got).Error)
			require.Equal(t, "bee", got.Details)

			// Save, Updates and Update.
			a.Details = "saved"
			require.NoError(t, db.Save(&a).Error)
			f.requireSealed("my_conns", "details", a.ID, false, "saved")
			require.NoError(t, db.Model(&a).Updates(MyConn{Details: "updates struct"}).Error)
			f.requireSealed("my_conns", "details", a.ID, false, "updates struct")
			require.NoError(t, db.Model(&MyConn{ID: a.ID}).Updates(map[string]any{"name": "a2", "details": "updates map"}).Error)
			f.requireSealed("my_conns", "details", a.ID, false, "updates map")
			require.NoError(t, db.Model(&MyConn{ID: a.ID}).Update("details", "update").Error)
			f.requireSealed("my_conns", "details", a.ID, false, "update")
			got = MyConn{}
			require.NoError(t, db.First(&got, a.ID).Error)
			require.Equal(t, MyConn{ID: a.ID, Name: "a2", Details: "update"}, got)

			// Upserts on the unique name.
			up := MyConn{Name: "b", Details: "upsert all"}
			require.NoError(t, db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&up).Error)
			f.requireSealed("my_conns", "details", batch[0].ID, false, "upsert all")
			up = MyConn{Name: "c", Details: "upsert details"}
			require.NoError(t, db.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "name"}},
				DoUpdates: clause.AssignmentColumns([]string{"details"}),
			}).Create(&up).Error)
			f.requireSealed("my_conns", "details", batch[1].ID, false, "upsert details")
			fresh := MyConn{Name: "d", Details: "upsert new"}
			require.NoError(t, db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&fresh).Error)
			require.NotZero(t, fresh.ID)
			f.requireSealed("my_conns", "details", fresh.ID, false, "upsert new")
			require.Equal(t, 4, f.count("my_conns"))
			all = nil
			require.NoError(t, db.Order("id").Find(&all).Error)
			require.Equal(t, []string{"update", "upsert all", "upsert details", "upsert new"},
				[]string{all[0].Details, all[1].Details, all[2].Details, all[3].Details})

			// Looking a row up by the protected column is refused.
			err := db.Where("details = ?", "update").First(&got).Error
			require.ErrorIs(t, err, sqlseal.ErrRefused)
			require.Contains(t, err.Error(), f.prefix+"my_conns.details")

			// Binary columns hold raw ciphertext.
			blob := MyBlob{Name: "blob", Details: json.RawMessage(myDetails), Extra: []byte("extra bytes")}
			require.NoError(t, db.Create(&blob).Error)
			f.requireSealed("my_blobs", "details", blob.ID, true, myDetails)
			f.requireSealed("my_blobs", "extra", blob.ID, true, "extra bytes")
			var gotBlob MyBlob
			require.NoError(t, db.First(&gotBlob, blob.ID).Error)
			require.Equal(t, blob, gotBlob)
			blob.Extra = nil
			require.NoError(t, db.Save(&blob).Error)
			require.Nil(t, f.stored("my_blobs", "extra", blob.ID))
		})
	}
}

// mySqlxConn is the row sqlx reads and writes.
type mySqlxConn struct {
	ID      int64  `db:"id"`
	Name    string `db:"name"`
	Details string `db:"details"`
}

func TestMySqlx(t *testing.T) {
	f := newMyFix(t, "conn")
	table := f.prefix + "conn"
	_, err := f.raw.Exec("CREATE TABLE `" + table + "` (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), details TEXT)")
	require.NoError(t, err)
	db := sqlx.NewDb(f.sealed("conn.details"), "mysql")

	res, err := db.NamedExec("INSERT INTO `"+table+"` (name, details) VALUES (:name, :details)",
		mySqlxConn{Name: "a", Details: myDetails})
	require.NoError(t, err)
	id, err := res.LastInsertId()
	require.NoError(t, err)
	f.requireSealed("conn", "details", id, false, myDetails)

	_, err = db.NamedExec("INSERT INTO `"+table+"` (name, details) VALUES (:name, :details)",
		[]mySqlxConn{{Name: "b", Details: "bee"}, {Name: "c", Details: "sea"}})
	require.NoError(t, err)
	f.requireSealed("conn", "details", 2, false, "bee")
	f.requireSealed("conn", "details", 3, false, "sea")

	_, err = db.NamedExec("UPDATE `"+table+"` SET details = :details WHERE name = :name",
		map[string]any{"name": "c", "details": "sea-updated"})
	require.NoError(t, err)
	f.requireSealed("conn", "details", 3, false, "sea-updated")

	var one mySqlxConn
	require.NoError(t, db.Get(&one, "SELECT * FROM `"+table+"` WHERE id = ?", id))
	require.Equal(t, mySqlxConn{ID: id, Name: "a", Details: myDetails}, one)
	var some []mySqlxConn
	require.NoError(t, db.Select(&some, "SELECT id, name, details FROM `"+table+"` ORDER BY id"))
	require.Equal(t, []mySqlxConn{{id, "a", myDetails}, {2, "b", "bee"}, {3, "c", "sea-updated"}}, some)

	rows, err := db.NamedQuery("SELECT c.details AS details, c.name AS name FROM `"+table+"` c WHERE c.name = :name", map[string]any{"name": "b"})
	require.NoError(t, err)
	require.True(t, rows.Next())
	one = mySqlxConn{}
	require.NoError(t, rows.StructScan(&one))
	require.NoError(t, rows.Close())
	require.Equal(t, "bee", one.Details)

	_, err = db.NamedExec("UPDATE `"+table+"` SET name = 'x' WHERE details = :details", map[string]any{"details": "bee"})
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 3, f.count("conn"))
}
