package conformance

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/sqlseal/sqlseal"
	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// sqlxConn is the row sqlx reads and writes.
type sqlxConn struct {
	ID      int64  `db:"id"`
	Name    string `db:"name"`
	Details string `db:"details"`
}

// sqlxRead holds a text details in every field type applications scan it
// into.
type sqlxRead struct {
	ID       int64          `db:"id"`
	Str      string         `db:"s"`
	Bytes    []byte         `db:"b"`
	Ptr      *string        `db:"p"`
	Null     sql.NullString `db:"n"`
	NullPtr  *string        `db:"np"`
	NullNull sql.NullString `db:"nn"`
}

// sqlxBinary is a row of a table whose details is binary.
type sqlxBinary struct {
	ID      int64           `db:"id"`
	Name    string          `db:"name"`
	Details json.RawMessage `db:"details"`
	Copy    []byte          `db:"copy"`
}

func sqlxScenario(t *testing.T, b *Backend) {
	t.Run("named_exec", func(t *testing.T) { sqlxNamedExec(t, b) })
	t.Run("get_and_select", func(t *testing.T) { sqlxGetAndSelect(t, b) })
	t.Run("transaction_and_prepared_named", func(t *testing.T) { sqlxTransaction(t, b) })
	t.Run("binary_json_raw_message", func(t *testing.T) { sqlxBinaryColumn(t, b) })
}

func sqlxNamedExec(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100) UNIQUE, details TEXT")
	db := sqlx.NewDb(e.Sealed, b.SqlxDriver)
	ins := `INSERT INTO ` + e.Table + ` (name, details) VALUES (:name, :details)`
	res, err := db.NamedExecContext(e.Ctx, ins, sqlxConn{Name: "struct", Details: Details})
	require.NoError(t, err)
	if b.LastInsertID {
		id, err := res.LastInsertId()
		require.NoError(t, err)
		require.EqualValues(t, 1, id)
	}
	_, err = db.NamedExecContext(e.Ctx, ins, map[string]any{"name": "map", "details": `{"from":"map"}`})
	require.NoError(t, err)
	// A slice of structs expands to one multi-row VALUES list.
	_, err = db.NamedExecContext(e.Ctx, ins, []sqlxConn{{Name: "batch1", Details: "b1"}, {Name: "batch2", Details: "b2"}})
	require.NoError(t, err)
	_, err = db.NamedExecContext(e.Ctx, `UPDATE `+e.Table+` SET details = :details WHERE name = :name`,
		sqlxConn{Name: "map", Details: `{"from":"update"}`})
	require.NoError(t, err)
	want := []string{Details, `{"from":"update"}`, "b1", "b2"}
	for i, v := range want {
		e.RequireSealed(int64(i+1), v)
	}
	var all []string
	require.NoError(t, db.SelectContext(e.Ctx, &all, `SELECT details FROM `+e.Table+` ORDER BY id`))
	require.Equal(t, want, all)

	// Looking a row up by the protected column is refused.
	_, err = db.NamedExecContext(e.Ctx, `UPDATE `+e.Table+` SET name = 'x' WHERE details = :details`, map[string]any{"details": "b1"})
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Equal(t, 4, e.Count(e.Table))

	if !b.InsertReturning {
		return
	}
	// NamedQuery with RETURNING: the returned details is opened.
	rows, err := db.NamedQueryContext(e.Ctx, ins+` RETURNING id, name, details`, sqlxConn{Name: "returning", Details: "ret"})
	require.NoError(t, err)
	require.True(t, rows.Next())
	var back sqlxConn
	require.NoError(t, rows.StructScan(&back))
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, sqlxConn{ID: 5, Name: "returning", Details: "ret"}, back)
	e.RequireSealed(5, "ret")
}

func sqlxGetAndSelect(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	db := sqlx.NewDb(e.Sealed, b.SqlxDriver)
	const n2 = `{"n":2}`
	_, err := db.ExecContext(e.Ctx, db.Rebind(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?), (?, ?), (?, NULL)`),
		"one", Details, "two", n2, "null")
	require.NoError(t, err)
	e.RequireSealed(1, Details)
	e.RequireSealed(2, n2)
	require.Nil(t, e.RawDetails(3))

	var one sqlxConn
	for _, q := range []string{`SELECT id, name, details FROM ` + e.Table + ` WHERE id = ?`, `SELECT * FROM ` + e.Table + ` WHERE id = ?`} {
		one = sqlxConn{}
		require.NoError(t, db.GetContext(e.Ctx, &one, db.Rebind(q), 1))
		require.Equal(t, sqlxConn{ID: 1, Name: "one", Details: Details}, one)
	}

	// Every field reads details under another alias; np and nn read a
	// NULL details.
	sel := `SELECT c.id, c.details AS s, c.details AS b, c.details AS p, c.details AS n,
	               z.details AS np, z.details AS nn
	        FROM ` + e.Table + ` c, ` + e.Table + ` z WHERE z.id = 3 AND c.id IN (?, ?) ORDER BY c.id`
	var got []sqlxRead
	require.NoError(t, db.SelectContext(e.Ctx, &got, db.Rebind(sel), 1, 2))
	require.Len(t, got, 2)
	for i, want := range []string{Details, n2} {
		r := got[i]
		require.Equal(t, want, r.Str)
		require.Equal(t, want, string(r.Bytes))
		require.NotNil(t, r.Ptr)
		require.Equal(t, want, *r.Ptr)
		require.Equal(t, sql.NullString{String: want, Valid: true}, r.Null)
		require.Nil(t, r.NullPtr)
		require.False(t, r.NullNull.Valid)
	}

	// Into a slice of strings and a slice of structs.
	var all []string
	require.NoError(t, db.SelectContext(e.Ctx, &all, `SELECT details FROM `+e.Table+` WHERE details IS NOT NULL ORDER BY id`))
	require.Equal(t, []string{Details, n2}, all)
	var some []sqlxConn
	require.NoError(t, db.SelectContext(e.Ctx, &some, `SELECT id, name, details FROM `+e.Table+` WHERE details IS NOT NULL ORDER BY id`))
	require.Equal(t, []sqlxConn{{1, "one", Details}, {2, "two", n2}}, some)

	// sqlx.In expands a slice into an IN list; Rebind turns ? into the
	// driver's placeholders.
	q, args, err := sqlx.In(`SELECT details FROM `+e.Table+` WHERE id IN (?) ORDER BY id DESC`, []int{1, 2})
	require.NoError(t, err)
	all = nil
	require.NoError(t, db.SelectContext(e.Ctx, &all, db.Rebind(q), args...))
	require.Equal(t, []string{n2, Details}, all)

	// Named parameters in a query with the :name form.
	q, args, err = db.BindNamed(`SELECT id, name, details FROM `+e.Table+` WHERE name = :name`, map[string]any{"name": "two"})
	require.NoError(t, err)
	require.NoError(t, db.GetContext(e.Ctx, &one, q, args...))
	require.Equal(t, n2, one.Details)
	rows, err := db.NamedQueryContext(e.Ctx, `SELECT c.details AS details, c.name AS name FROM `+e.Table+` c WHERE c.name = :name`, map[string]any{"name": "two"})
	require.NoError(t, err)
	require.True(t, rows.Next())
	one = sqlxConn{}
	require.NoError(t, rows.StructScan(&one))
	require.NoError(t, rows.Close())
	require.Equal(t, sqlxConn{Name: "two", Details: n2}, one)
}

func sqlxTransaction(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details TEXT")
	db := sqlx.NewDb(e.Sealed, b.SqlxDriver)
	tx, err := db.BeginTxx(e.Ctx, nil)
	require.NoError(t, err)
	ins := `INSERT INTO ` + e.Table + ` (name, details) VALUES (:name, :details)`
	if b.InsertReturning {
		ins += ` RETURNING id`
	}
	stmt, err := tx.PrepareNamedContext(e.Ctx, ins)
	require.NoError(t, err)
	for i, v := range []string{"tx-one", "tx-two"} {
		row := sqlxConn{Name: v, Details: v + "-secret"}
		if b.InsertReturning {
			var id int64
			require.NoError(t, stmt.GetContext(e.Ctx, &id, row))
			require.Equal(t, int64(i+1), id)
		} else {
			_, err := stmt.ExecContext(e.Ctx, row)
			require.NoError(t, err)
		}
	}
	require.NoError(t, stmt.Close())
	require.NoError(t, tx.Commit())

	e.RequireSealed(1, "tx-one-secret")
	e.RequireSealed(2, "tx-two-secret")
	var s string
	require.NoError(t, db.GetContext(e.Ctx, &s, db.Rebind(`SELECT details FROM `+e.Table+` WHERE name = ?`), "tx-two"))
	require.Equal(t, "tx-two-secret", s)
}

func sqlxBinaryColumn(t *testing.T, b *Backend) {
	e := NewEnv(t, b, "name VARCHAR(100), details "+b.BinaryTypes[0])
	db := sqlx.NewDb(e.Sealed, b.SqlxDriver)
	ins := `INSERT INTO ` + e.Table + ` (name, details) VALUES (:name, :details)`
	_, err := db.NamedExecContext(e.Ctx, ins, sqlxBinary{Name: "raw", Details: json.RawMessage(Details)})
	require.NoError(t, err)
	_, err = db.NamedExecContext(e.Ctx, ins, map[string]any{"name": "bytes", "details": []byte(`{"b":1}`)})
	require.NoError(t, err)
	e.RequireSealed(1, Details)
	e.RequireSealed(2, `{"b":1}`)

	var got []sqlxBinary
	require.NoError(t, db.SelectContext(e.Ctx, &got, `SELECT id, name, details, details AS copy FROM `+e.Table+` ORDER BY id`))
	require.Equal(t, []sqlxBinary{
		{ID: 1, Name: "raw", Details: json.RawMessage(Details), Copy: []byte(Details)},
		{ID: 2, Name: "bytes", Details: json.RawMessage(`{"b":1}`), Copy: []byte(`{"b":1}`)},
	}, got)
}

// gormConn is Metabase's shape: the connection details as JSON text.
type gormConn struct {
	ID      int64
	Name    string `gorm:"size:191;uniqueIndex"`
	Details string `gorm:"type:text"`
}

// gormBlob keeps its details as bytes in binary columns; both are
// protected.
type gormBlob struct {
	ID      int64
	Name    string `gorm:"size:191;uniqueIndex"`
	Details json.RawMessage
	Extra   []byte `gorm:"size:1000"`
}

// gormFixture is GORM over a sealed pool on tables named <prefix>_gorm_conns
// and <prefix>_gorm_blobs, which AutoMigrate creates through sqlseal.
type gormFixture struct {
	*Env
	db           *gorm.DB
	sqlDB        *sql.DB
	conns, blobs string
}

func newGorm(t *testing.T, b *Backend, dialector func(*sql.DB) gorm.Dialector, prepare bool) *gormFixture {
	e := NewEnv(t, b, "")
	prefix := testdb.Name(t, "g") + "_"
	g := &gormFixture{Env: e, conns: prefix + "gorm_conns", blobs: prefix + "gorm_blobs"}
	e.DropLater(g.conns)
	e.DropLater(g.blobs)
	// The tables do not exist when sqlseal connects: GORM creates them
	// through the sealed pool.
	g.sqlDB = e.Open(e.ConfigFor(g.conns+".details", g.blobs+".details", g.blobs+".extra"))
	var err error
	g.db, err = gorm.Open(dialector(g.sqlDB), &gorm.Config{
		PrepareStmt:    prepare,
		NamingStrategy: schema.NamingStrategy{TablePrefix: prefix},
		Logger:         logger.Default.LogMode(logger.Silent),
	})
	require.NoError(t, err)
	require.NoError(t, g.db.AutoMigrate(&gormConn{}, &gormBlob{}))
	return g
}

func gormScenario(t *testing.T, b *Backend) {
	names := make([]string, 0, len(b.Gorm))
	for name := range b.Gorm {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			for _, prepare := range []bool{false, true} {
				mode := "direct"
				if prepare {
					mode = "PrepareStmt"
				}
				t.Run(mode, func(t *testing.T) {
					t.Run("string", func(t *testing.T) { gormString(t, newGorm(t, b, b.Gorm[name], prepare)) })
					t.Run("bytes", func(t *testing.T) { gormBytes(t, newGorm(t, b, b.Gorm[name], prepare)) })
				})
			}
		})
	}
}

func gormString(t *testing.T, g *gormFixture) {
	db, tb := g.db, g.conns
	// sealedAs proves row id's details is ciphertext at rest that opens
	// to want, and that GORM reads want back.
	sealedAs := func(id int64, want string) {
		t.Helper()
		g.RequireSealedIn(tb, "details", false, id, want)
		var got gormConn
		require.NoError(t, db.First(&got, id).Error)
		require.Equal(t, want, got.Details)
	}

	// Create, one and several: INSERT, with RETURNING where GORM uses it.
	a := gormConn{Name: "a", Details: Details}
	require.NoError(t, db.Create(&a).Error)
	require.Equal(t, int64(1), a.ID)
	sealedAs(a.ID, Details)
	batch := []gormConn{{Name: "b", Details: `{"host":"b"}`}, {Name: "c", Details: `{"host":"c"}`}}
	require.NoError(t, db.Create(&batch).Error)
	require.Equal(t, []int64{2, 3}, []int64{batch[0].ID, batch[1].ID})
	sealedAs(2, `{"host":"b"}`)
	sealedAs(3, `{"host":"c"}`)

	// First and Find select *.
	var got gormConn
	require.NoError(t, db.First(&got, a.ID).Error)
	require.Equal(t, a, got)
	var all []gormConn
	require.NoError(t, db.Order("id").Find(&all).Error)
	require.Equal(t, []gormConn{a, batch[0], batch[1]}, all)
	got = gormConn{}
	require.NoError(t, db.Where("name = ?", "c").First(&got).Error)
	require.Equal(t, batch[1], got)
	var plucked []string
	require.NoError(t, db.Model(&gormConn{}).Order("id").Pluck("details", &plucked).Error)
	require.Equal(t, []string{Details, `{"host":"b"}`, `{"host":"c"}`}, plucked)

	// Save writes every column of an existing row; of a new one, inserts.
	a.Details = `{"host":"saved"}`
	require.NoError(t, db.Save(&a).Error)
	sealedAs(a.ID, `{"host":"saved"}`)
	d := gormConn{Name: "d", Details: `{"host":"d"}`}
	require.NoError(t, db.Save(&d).Error)
	require.Equal(t, int64(4), d.ID)
	sealedAs(d.ID, `{"host":"d"}`)

	// Updates with a map and with a struct, and Update of one column.
	require.NoError(t, db.Model(&a).Updates(map[string]any{"details": `{"host":"map"}`}).Error)
	sealedAs(a.ID, `{"host":"map"}`)
	require.NoError(t, db.Model(&a).Updates(gormConn{Name: "a", Details: `{"host":"struct"}`}).Error)
	sealedAs(a.ID, `{"host":"struct"}`)
	require.NoError(t, db.Model(&gormConn{}).Where("name = ?", "b").Update("details", `{"host":"b2"}`).Error)
	sealedAs(2, `{"host":"b2"}`)
	require.NoError(t, db.Model(&gormConn{ID: a.ID}).Updates(map[string]any{"name": "a2", "details": "updates map"}).Error)
	sealedAs(a.ID, "updates map")
	require.NoError(t, db.Model(&gormConn{ID: a.ID}).Update("details", "update").Error)
	got = gormConn{}
	require.NoError(t, db.First(&got, a.ID).Error)
	require.Equal(t, gormConn{ID: a.ID, Name: "a2", Details: "update"}, got)
	sealedAs(a.ID, "update")

	// Upserts on the unique name: DoUpdates of details, then UpdateAll.
	onName := []clause.Column{{Name: "name"}}
	up := gormConn{Name: "a2", Details: `{"host":"upsert"}`}
	require.NoError(t, db.Clauses(clause.OnConflict{Columns: onName, DoUpdates: clause.AssignmentColumns([]string{"details"})}).Create(&up).Error)
	sealedAs(a.ID, `{"host":"upsert"}`)
	up = gormConn{Name: "a2", Details: `{"host":"upsert-all"}`}
	require.NoError(t, db.Clauses(clause.OnConflict{Columns: onName, UpdateAll: true}).Create(&up).Error)
	sealedAs(a.ID, `{"host":"upsert-all"}`)
	// Upserts that insert, with and without a target.
	up = gormConn{Name: "e", Details: `{"host":"e"}`}
	require.NoError(t, db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&up).Error)
	require.NotZero(t, up.ID)
	sealedAs(up.ID, `{"host":"e"}`)
	up = gormConn{Name: "e2", Details: `{"host":"e2"}`}
	require.NoError(t, db.Clauses(clause.OnConflict{Columns: onName, UpdateAll: true}).Create(&up).Error)
	require.NotZero(t, up.ID)
	sealedAs(up.ID, `{"host":"e2"}`)
	// An upsert on the primary key.
	pk := gormConn{ID: a.ID, Name: "a2", Details: "upsert by id"}
	require.NoError(t, db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&pk).Error)
	sealedAs(a.ID, "upsert by id")

	// A transaction.
	require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
		f := gormConn{Name: "f", Details: `{"host":"f"}`}
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
		return tx.Model(&f).Update("details", `{"host":"f2"}`).Error
	}))
	var f gormConn
	require.NoError(t, db.Where("name = ?", "f").Take(&f).Error)
	sealedAs(f.ID, `{"host":"f2"}`)

	// Save of a new primary key: UPDATE finds nothing, GORM upserts on id.
	z := gormConn{ID: 100, Name: "z", Details: `{"host":"z"}`}
	require.NoError(t, db.Save(&z).Error)
	sealedAs(100, `{"host":"z"}`)

	// FirstOrCreate creates, then with Assign updates the found row.
	var h gormConn
	require.NoError(t, db.Where(gormConn{Name: "h"}).Attrs(gormConn{Details: `{"host":"h"}`}).FirstOrCreate(&h).Error)
	sealedAs(h.ID, `{"host":"h"}`)
	require.NoError(t, db.Where(gormConn{Name: "h"}).Assign(gormConn{Details: `{"host":"h2"}`}).FirstOrCreate(&h).Error)
	sealedAs(h.ID, `{"host":"h2"}`)

	// CreateInBatches sends several multi-row INSERTs.
	many := make([]gormConn, 5)
	for i := range many {
		many[i] = gormConn{Name: fmt.Sprintf("m%d", i), Details: fmt.Sprintf(`{"host":"m%d"}`, i)}
	}
	require.NoError(t, db.CreateInBatches(&many, 2).Error)
	for i, m := range many {
		sealedAs(m.ID, fmt.Sprintf(`{"host":"m%d"}`, i))
	}

	require.Equal(t, 14, g.Count(tb))
	// Nothing anywhere in the table is plaintext.
	g.RequireAtRestIn(tb, "details", false)

	// Looking a row up by the protected column is refused.
	err := db.Where("details = ?", "update").First(&got).Error
	require.ErrorIs(t, err, sqlseal.ErrRefused)
	require.Contains(t, err.Error(), tb+".details")
	require.NoError(t, g.sqlDB.Ping())
}

func gormBytes(t *testing.T, g *gormFixture) {
	db, tb := g.db, g.blobs
	sealedAs := func(id int64, details, extra string) {
		t.Helper()
		g.RequireSealedIn(tb, "details", true, id, details)
		g.RequireSealedIn(tb, "extra", true, id, extra)
		var got gormBlob
		require.NoError(t, db.First(&got, id).Error)
		require.Equal(t, details, string(got.Details))
		require.Equal(t, extra, string(got.Extra))
	}

	a := gormBlob{Name: "a", Details: json.RawMessage(Details), Extra: []byte("extra-a")}
	require.NoError(t, db.Create(&a).Error)
	require.Equal(t, int64(1), a.ID)
	sealedAs(a.ID, Details, "extra-a")
	var got gormBlob
	require.NoError(t, db.First(&got, a.ID).Error)
	require.Equal(t, a, got)

	a.Details = json.RawMessage(`{"saved":true}`)
	require.NoError(t, db.Save(&a).Error)
	sealedAs(a.ID, `{"saved":true}`, "extra-a")

	require.NoError(t, db.Model(&a).Updates(map[string]any{"details": json.RawMessage(`{"map":1}`), "extra": []byte("extra-map")}).Error)
	sealedAs(a.ID, `{"map":1}`, "extra-map")
	require.NoError(t, db.Model(&a).Updates(gormBlob{Details: json.RawMessage(`{"struct":1}`)}).Error)
	sealedAs(a.ID, `{"struct":1}`, "extra-map")

	onName := []clause.Column{{Name: "name"}}
	up := gormBlob{Name: "a", Details: json.RawMessage(`{"upsert":1}`), Extra: []byte("extra-up")}
	require.NoError(t, db.Clauses(clause.OnConflict{Columns: onName, DoUpdates: clause.AssignmentColumns([]string{"details"})}).Create(&up).Error)
	sealedAs(a.ID, `{"upsert":1}`, "extra-map")
	require.NoError(t, db.Clauses(clause.OnConflict{Columns: onName, UpdateAll: true}).Create(&up).Error)
	sealedAs(a.ID, `{"upsert":1}`, "extra-up")

	// NULL stays NULL, written and saved.
	n := gormBlob{Name: "null"}
	require.NoError(t, db.Create(&n).Error)
	require.Nil(t, g.RawValue(tb, "details", n.ID))
	require.Nil(t, g.RawValue(tb, "extra", n.ID))
	var all []gormBlob
	require.NoError(t, db.Order("id").Find(&all).Error)
	require.Len(t, all, 2)
	require.Equal(t, `{"upsert":1}`, string(all[0].Details))
	require.Nil(t, all[1].Details)
	require.Nil(t, all[1].Extra)
	a = all[0]
	a.Extra = nil
	require.NoError(t, db.Save(&a).Error)
	require.Nil(t, g.RawValue(tb, "extra", a.ID))
	g.RequireSealedIn(tb, "details", true, a.ID, `{"upsert":1}`)
}

// setEnv configures sqlseal from the environment as a deployment does:
// every sqlseal variable is unset (restored after the test), then the
// secret (unless "") and the columns are set.
func setEnv(t *testing.T, secret, columns string) {
	for _, v := range []string{config.EnvSecretKey, config.EnvSecretKeyFile, config.EnvMetabaseSecretKey,
		config.EnvPreviousSecretKeys, config.EnvPreviousSecretKeysFile, config.EnvColumns, config.EnvAcceptPlaintext} {
		t.Setenv(v, "")
		require.NoError(t, os.Unsetenv(v))
	}
	if secret != "" {
		t.Setenv(config.EnvSecretKey, secret)
	}
	t.Setenv(config.EnvColumns, columns)
}

// adoptionByDriverName is the adoption path: the application changes the
// driver name it gives its client and sets the environment.
func adoptionByDriverName(t *testing.T, b *Backend) {
	t.Run("gorm_driver_name", func(t *testing.T) {
		e := NewEnv(t, b, "name VARCHAR(191), details TEXT")
		setEnv(t, Key, e.Table+".details")
		gdb, err := gorm.Open(b.GormByName(b.DriverName, b.DSN), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
		require.NoError(t, err)
		sqlDB, err := gdb.DB()
		require.NoError(t, err)
		t.Cleanup(func() { sqlDB.Close() })
		row := gormConn{Name: "env", Details: Details}
		require.NoError(t, gdb.Table(e.Table).Create(&row).Error)
		e.RequireSealed(row.ID, Details)
		var got gormConn
		require.NoError(t, gdb.Table(e.Table).First(&got, row.ID).Error)
		require.Equal(t, Details, got.Details)
	})
	t.Run("metabase_key_variable", func(t *testing.T) {
		e := NewEnv(t, b, "name VARCHAR(191), details TEXT")
		setEnv(t, "", e.Table+".details")
		t.Setenv(config.EnvMetabaseSecretKey, Key)
		db, err := sql.Open(b.DriverName, b.DSN)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		_, err = db.Exec(e.Q(`INSERT INTO `+e.Table+` (name, details) VALUES (?, ?)`), "mb", Details)
		require.NoError(t, err)
		e.RequireSealed(1, Details)
		require.Equal(t, Details, e.ReadDetailsWith(db, 1))
	})
	t.Run("sqlx", func(t *testing.T) {
		e := NewEnv(t, b, "name VARCHAR(191), details TEXT")
		setEnv(t, Key, e.Table+".details")
		// sqlx picks its placeholder style by driver name and does not
		// know sqlseal's: name the bind style of the wrapped driver.
		raw, err := sql.Open(b.DriverName, b.DSN)
		require.NoError(t, err)
		t.Cleanup(func() { raw.Close() })
		db := sqlx.NewDb(raw, b.SqlxDriver)
		_, err = db.NamedExec(`INSERT INTO `+e.Table+` (name, details) VALUES (:name, :details)`, sqlxConn{Name: "env", Details: Details})
		require.NoError(t, err)
		e.RequireSealed(1, Details)
		var got sqlxConn
		require.NoError(t, db.Get(&got, db.Rebind(`SELECT * FROM `+e.Table+` WHERE name = ?`), "env"))
		require.Equal(t, sqlxConn{ID: 1, Name: "env", Details: Details}, got)
	})
}
