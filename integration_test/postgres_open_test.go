package integration_test

import (
	"database/sql"
	"os"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/sqlseal/sqlseal/config"
	_ "github.com/sqlseal/sqlseal/driver" // "sqlseal"
)

// pgSetEnv configures sqlseal from the environment as a deployment does:
// every sqlseal variable is unset (restored after the test), then the
// secret (unless "") and the columns are set.
func pgSetEnv(t *testing.T, secret, columns string) {
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

// TestAdoptionByDriverName is the adoption path: the application changes
// the driver name it gives its client and sets the environment.
func TestPGAdoptionByDriverName(t *testing.T) {
	t.Run("GORM DriverName", func(t *testing.T) {
		p := newPG(t).create("name text, details text")
		pgSetEnv(t, pgKey, p.table+".details")
		gdb, err := gorm.Open(postgres.New(postgres.Config{DriverName: "sqlseal", DSN: p.dsn}),
			&gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
		require.NoError(t, err)
		sqlDB, err := gdb.DB()
		require.NoError(t, err)
		t.Cleanup(func() { sqlDB.Close() })
		row := GormConn{Name: "env", Details: pgDetails}
		require.NoError(t, gdb.Table(p.table).Create(&row).Error)
		p.requireSealed(row.ID, pgDetails)
		var got GormConn
		require.NoError(t, gdb.Table(p.table).First(&got, row.ID).Error)
		require.Equal(t, pgDetails, got.Details)
	})
	t.Run("Metabase key variable", func(t *testing.T) {
		p := newPG(t).create("name text, details text")
		pgSetEnv(t, "", p.table+".details")
		t.Setenv(config.EnvMetabaseSecretKey, pgKey)
		db, err := sql.Open("sqlseal", p.dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		_, err = db.Exec(`INSERT INTO `+p.table+` (name, details) VALUES ($1, $2)`, "mb", pgDetails)
		require.NoError(t, err)
		p.requireSealed(1, pgDetails)
		require.Equal(t, pgDetails, p.readDetails(db, 1))
	})
	t.Run("sqlx", func(t *testing.T) {
		p := newPG(t).create("name text, details text")
		pgSetEnv(t, pgKey, p.table+".details")
		// sqlx picks its placeholder style by driver name and does not
		// know "sqlseal": name the bind style of the wrapped driver.
		raw, err := sql.Open("sqlseal", p.dsn)
		require.NoError(t, err)
		t.Cleanup(func() { raw.Close() })
		db := sqlx.NewDb(raw, "pgx")
		_, err = db.NamedExec(`INSERT INTO `+p.table+` (name, details) VALUES (:name, :details)`,
			sqlxConn{Name: "env", Details: pgDetails})
		require.NoError(t, err)
		p.requireSealed(1, pgDetails)
		var got sqlxConn
		require.NoError(t, db.Get(&got, `SELECT * FROM `+p.table+` WHERE name = $1`, "env"))
		require.Equal(t, sqlxConn{ID: 1, Name: "env", Details: pgDetails}, got)
	})
}
