package integration_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// GormConn is Metabase's shape: the connection details as JSON text.
type GormConn struct {
	ID      int64
	Name    string `gorm:"uniqueIndex"`
	Details string
}

// GormBlob keeps its details as bytes: json.RawMessage and []byte map to
// bytea, and both columns are protected.
type GormBlob struct {
	ID      int64
	Name    string `gorm:"uniqueIndex"`
	Details json.RawMessage
	Blob    []byte
}

// gormDB opens GORM over a sealed *sql.DB whose tables are named
// <fresh prefix>_<gorm's name>; table returns the name of a model's
// table, known before GORM runs so that it can be protected.
type pgGormFixture struct {
	*pg
	prefix string
}

func newPGGorm(t *testing.T) *pgGormFixture {
	p := newPG(t)
	g := &pgGormFixture{pg: p, prefix: testdb.Name(t, "g") + "_"}
	for _, tb := range []string{"gorm_conns", "gorm_blobs"} {
		name := g.prefix + tb
		t.Cleanup(func() { p.raw.Exec(`DROP TABLE IF EXISTS ` + name) })
	}
	return g
}

func (g *pgGormFixture) conns() string { return g.prefix + "gorm_conns" }
func (g *pgGormFixture) blobs() string { return g.prefix + "gorm_blobs" }

// open returns GORM over a new sealed *sql.DB protecting the details of
// both models (and GormBlob's blob).
func (g *pgGormFixture) open(prepare bool) (*gorm.DB, *sql.DB) {
	g.t.Helper()
	sqlDB := g.pg.open(config.Config{SecretKey: pgKey, Columns: []string{
		g.conns() + ".details", g.blobs() + ".details", g.blobs() + ".blob",
	}})
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		PrepareStmt:    prepare,
		NamingStrategy: schema.NamingStrategy{TablePrefix: g.prefix},
		Logger:         logger.Default.LogMode(logger.Silent),
	})
	require.NoError(g.t, err)
	return gdb, sqlDB
}

func TestPGGorm(t *testing.T) {
	for _, prepare := range []bool{false, true} {
		name := "direct"
		if prepare {
			name = "PrepareStmt"
		}
		t.Run(name, func(t *testing.T) {
			t.Run("string", func(t *testing.T) { testPGGormString(t, prepare) })
			t.Run("bytes", func(t *testing.T) { testPGGormBytes(t, prepare) })
		})
	}
}

func testPGGormString(t *testing.T, prepare bool) {
	g := newPGGorm(t)
	gdb, sqlDB := g.open(prepare)
	// The table does not exist when sqlseal connects: GORM creates it
	// through the sealed connection.
	require.NoError(t, gdb.AutoMigrate(&GormConn{}))
	tb := g.conns()

	// sealedAs proves row id's details is ciphertext at rest that opens to
	// want, and that GORM reads want back.
	sealedAs := func(id int64, want string) {
		t.Helper()
		g.requireSealedIn(tb, "details", pgKey, id, want)
		var got GormConn
		require.NoError(t, gdb.First(&got, id).Error)
		require.Equal(t, want, got.Details)
	}

	// Create: INSERT ... RETURNING "id" through QueryContext.
	a := GormConn{Name: "a", Details: pgDetails}
	require.NoError(t, gdb.Create(&a).Error)
	require.Equal(t, int64(1), a.ID)
	sealedAs(a.ID, pgDetails)

	batch := []GormConn{{Name: "b", Details: `{"host":"b"}`}, {Name: "c", Details: `{"host":"c"}`}}
	require.NoError(t, gdb.Create(&batch).Error)
	require.Equal(t, []int64{2, 3}, []int64{batch[0].ID, batch[1].ID})
	sealedAs(2, `{"host":"b"}`)
	sealedAs(3, `{"host":"c"}`)

	// Find selects *.
	var all []GormConn
	require.NoError(t, gdb.Order("id").Find(&all).Error)
	require.Equal(t, []GormConn{a, batch[0], batch[1]}, all)
	var byName GormConn
	require.NoError(t, gdb.Where("name = ?", "c").First(&byName).Error)
	require.Equal(t, batch[1], byName)
	var plucked []string
	require.NoError(t, gdb.Model(&GormConn{}).Order("id").Pluck("details", &plucked).Error)
	require.Equal(t, []string{pgDetails, `{"host":"b"}`, `{"host":"c"}`}, plucked)

	// Save writes every column of an existing row; of a new one, inserts.
	a.Details = `{"host":"saved"}`
	require.NoError(t, gdb.Save(&a).Error)
	sealedAs(a.ID, `{"host":"saved"}`)
	d := GormConn{Name: "d", Details: `{"host":"d"}`}
	require.NoError(t, gdb.Save(&d).Error)
	require.Equal(t, int64(4), d.ID)
	sealedAs(d.ID, `{"host":"d"}`)

	// Updates with a map and with a struct, and Update of one column.
	require.NoError(t, gdb.Model(&a).Updates(map[string]any{"details": `{"host":"map"}`}).Error)
	sealedAs(a.ID, `{"host":"map"}`)
	require.NoError(t, gdb.Model(&a).Updates(GormConn{Name: "a", Details: `{"host":"struct"}`}).Error)
	sealedAs(a.ID, `{"host":"struct"}`)
	require.NoError(t, gdb.Model(&GormConn{}).Where("name = ?", "b").Update("details", `{"host":"b2"}`).Error)
	sealedAs(2, `{"host":"b2"}`)

	// Upserts on the unique name: DoUpdates of details, then UpdateAll.
	up := GormConn{Name: "a", Details: `{"host":"upsert"}`}
	require.NoError(t, gdb.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"details"}),
	}).Create(&up).Error)
	sealedAs(a.ID, `{"host":"upsert"}`)
	up = GormConn{Name: "a", Details: `{"host":"upsert-all"}`}
	require.NoError(t, gdb.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		UpdateAll: true,
	}).Create(&up).Error)
	sealedAs(a.ID, `{"host":"upsert-all"}`)
	// An upsert that inserts.
	up = GormConn{Name: "e", Details: `{"host":"e"}`}
	require.NoError(t, gdb.Clauses(clause.OnConflict{UpdateAll: true}).Create(&up).Error)
	sealedAs(up.ID, `{"host":"e"}`)

	// A transaction.
	require.NoError(t, gdb.Transaction(func(tx *gorm.DB) error {
		f := GormConn{Name: "f", Details: `{"host":"f"}`}
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
		return tx.Model(&f).Update("details", `{"host":"f2"}`).Error
	}))
	var f GormConn
	require.NoError(t, gdb.Where("name = ?", "f").Take(&f).Error)
	sealedAs(f.ID, `{"host":"f2"}`)

	// Save of a new primary key: UPDATE finds nothing, GORM upserts on id.
	z := GormConn{ID: 100, Name: "z", Details: `{"host":"z"}`}
	require.NoError(t, gdb.Save(&z).Error)
	sealedAs(100, `{"host":"z"}`)

	// FirstOrCreate creates, then with Assign updates the found row.
	var h GormConn
	require.NoError(t, gdb.Where(GormConn{Name: "h"}).Attrs(GormConn{Details: `{"host":"h"}`}).FirstOrCreate(&h).Error)
	sealedAs(h.ID, `{"host":"h"}`)
	require.NoError(t, gdb.Where(GormConn{Name: "h"}).Assign(GormConn{Details: `{"host":"h2"}`}).FirstOrCreate(&h).Error)
	sealedAs(h.ID, `{"host":"h2"}`)

	// CreateInBatches sends several multi-row INSERTs.
	many := make([]GormConn, 5)
	for i := range many {
		many[i] = GormConn{Name: fmt.Sprintf("m%d", i), Details: fmt.Sprintf(`{"host":"m%d"}`, i)}
	}
	require.NoError(t, gdb.CreateInBatches(&many, 2).Error)
	for i, m := range many {
		sealedAs(m.ID, fmt.Sprintf(`{"host":"m%d"}`, i))
	}

	require.Equal(t, 13, g.count(tb))
	// Nothing anywhere in the table is plaintext.
	var plain int
	require.NoError(t, g.raw.QueryRow(`SELECT count(*) FROM `+tb+` WHERE details LIKE '{%'`).Scan(&plain))
	require.Zero(t, plain)
	require.NoError(t, sqlDB.Ping())
}

func testPGGormBytes(t *testing.T, prepare bool) {
	g := newPGGorm(t)
	gdb, _ := g.open(prepare)
	require.NoError(t, gdb.AutoMigrate(&GormBlob{}))
	tb := g.blobs()
	sealedAs := func(id int64, details, blob string) {
		t.Helper()
		g.requireSealedIn(tb, "details", pgKey, id, details)
		g.requireSealedIn(tb, "blob", pgKey, id, blob)
		var got GormBlob
		require.NoError(t, gdb.First(&got, id).Error)
		require.Equal(t, details, string(got.Details))
		require.Equal(t, blob, string(got.Blob))
	}

	a := GormBlob{Name: "a", Details: json.RawMessage(pgDetails), Blob: []byte("blob-a")}
	require.NoError(t, gdb.Create(&a).Error)
	require.Equal(t, int64(1), a.ID)
	sealedAs(a.ID, pgDetails, "blob-a")

	a.Details = json.RawMessage(`{"saved":true}`)
	require.NoError(t, gdb.Save(&a).Error)
	sealedAs(a.ID, `{"saved":true}`, "blob-a")

	require.NoError(t, gdb.Model(&a).Updates(map[string]any{"details": json.RawMessage(`{"map":1}`), "blob": []byte("blob-map")}).Error)
	sealedAs(a.ID, `{"map":1}`, "blob-map")
	require.NoError(t, gdb.Model(&a).Updates(GormBlob{Details: json.RawMessage(`{"struct":1}`)}).Error)
	sealedAs(a.ID, `{"struct":1}`, "blob-map")

	up := GormBlob{Name: "a", Details: json.RawMessage(`{"upsert":1}`), Blob: []byte("blob-up")}
	require.NoError(t, gdb.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"details"}),
	}).Create(&up).Error)
	sealedAs(a.ID, `{"upsert":1}`, "blob-map")
	require.NoError(t, gdb.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		UpdateAll: true,
	}).Create(&up).Error)
	sealedAs(a.ID, `{"upsert":1}`, "blob-up")

	// NULL stays NULL.
	n := GormBlob{Name: "null"}
	require.NoError(t, gdb.Create(&n).Error)
	require.Nil(t, g.rawValue(tb, "details", n.ID))
	require.Nil(t, g.rawValue(tb, "blob", n.ID))
	var got []GormBlob
	require.NoError(t, gdb.Order("id").Find(&got).Error)
	require.Len(t, got, 2)
	require.Equal(t, `{"upsert":1}`, string(got[0].Details))
	require.Nil(t, got[1].Details)
	require.Nil(t, got[1].Blob)
}
