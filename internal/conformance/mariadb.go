package conformance

import (
	"database/sql"
	"database/sql/driver"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/driver/mysql"
	"github.com/sqlseal/sqlseal/internal/testdb"
)

// MariaDB is the MySQL/MariaDB backend: sqlseal's driver over
// go-sql-driver/mysql, on the test server (testdb.MySQL). Statements
// only MariaDB has (RETURNING) are expected only when the server is
// MariaDB.
func MariaDB(t testing.TB, opts ...Option) *Backend {
	t.Helper()
	o := optionsOf(opts)
	dsn := o.database(t, testdb.MySQL, testdb.IsolatedMySQL)
	raw, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	var schema, version string
	require.NoError(t, raw.QueryRow(`SELECT DATABASE(), VERSION()`).Scan(&schema, &version))
	quote := quoteWith("`")
	return o.finish(t, &Backend{
		Name:       "mariadb",
		DriverName: mysql.DriverName,
		DSN:        dsn,
		Open: func(t testing.TB, cfg config.Config) (*sql.DB, error) {
			return openParsed(t, dsn, gomysql.ParseDSN, nil, func(c *gomysql.Config) (driver.Connector, error) {
				return mysql.NewConnector(cfg, c)
			})
		},
		Raw:    raw,
		Schema: schema,
		Probe: func(t testing.TB) (string, func() int64) {
			counter := testdb.Name(t, "probe")
			for _, q := range []string{
				"CREATE TABLE `" + counter + "` (n INT)",
				"INSERT INTO `" + counter + "` VALUES (0)",
				"CREATE FUNCTION `" + counter + "_f`() RETURNS INT MODIFIES SQL DATA BEGIN UPDATE `" + counter + "` SET n = n + 1; RETURN 1; END",
			} {
				_, err := raw.Exec(q)
				require.NoError(t, err, q)
			}
			t.Cleanup(func() {
				raw.Exec("DROP FUNCTION IF EXISTS `" + counter + "_f`")
				raw.Exec("DROP TABLE IF EXISTS `" + counter + "`")
			})
			return "`" + counter + "_f`()", func() int64 {
				var n int64
				require.NoError(t, raw.QueryRow("SELECT n FROM `"+counter+"`").Scan(&n))
				return n
			}
		},
		ID:                 "id INT AUTO_INCREMENT PRIMARY KEY",
		TermType:           "VARBINARY(33)",
		BlindIndexRewrites: true,
		TextTypes:          []string{"TEXT", "VARCHAR(1000)", "LONGTEXT", "MEDIUMTEXT"},
		BinaryTypes:        []string{"BLOB", "VARBINARY(1000)", "LONGBLOB"},
		RefusedTypes:       []string{"JSON", "INT", "DOUBLE", "BINARY(255)"},
		Quote:              quote,
		Concat:             func(a, b string) string { return "CONCAT(" + a + ", " + b + ")" },
		CastText:           func(x string) string { return "CAST(" + x + " AS CHAR)" },
		Upsert:             func(set string) string { return " ON DUPLICATE KEY UPDATE " + set },
		Proposed:           func(col string) string { return "VALUES(" + col + ")" },
		CTE:                RecursiveAmbiguous,

		LastInsertID:    true,
		InsertReturning: strings.Contains(version, "MariaDB"),
		Literals: []Literal{
			{SQL: "X'6865782076616c7565'", Want: "hex value"},
			{SQL: "0x41", Want: "A"},
		},
		Extras: Extras{
			Shapes: func(tb string) []Shape {
				return []Shape{
					{"INSERT INTO " + tb + " SET name = ?, details = ?", []any{"d", "one"}, 1, "one", ""},
					{"UPDATE " + tb + " SET name = ?, details = ? WHERE id = ? LIMIT 1", []any{"n", "one-b", 1}, 1, "one-b", ""},
					{"REPLACE INTO " + tb + " (id, name, details) VALUES (?, ?, ?)", []any{1, "r", "one-c"}, 1, "one-c", ""},
					{"REPLACE " + tb + " SET id = ?, details = ?", []any{6, "six"}, 6, "six", ""},
					{"INSERT INTO " + tb + " (id, name, details) VALUES (11, \"dq\", \"double quoted\")", nil, 11, "double quoted", ""},
					{"INSERT INTO " + tb + " (id, details) VALUES (12, _utf8mb4'introduced')", nil, 12, "introduced", ""},
					{"INSERT INTO " + tb + " (id, details) VALUES (13, 'it''s ' 'adjacent')", nil, 13, "it's adjacent", ""},
					{"INSERT INTO " + tb + " /* ? */ (id, name, details) -- ?\nVALUES (16, 'what?', ?) # ?", []any{"question marks"}, 16, "question marks", ""},
					{"INSERT INTO " + tb + " (id, name, details) VALUES (17, \"?\", ?)", []any{"dq question mark"}, 17, "dq question mark", ""},
					{"INSERT INTO " + tb + " (id, name, details) VALUES (18, 'it\\'s ?', ?)", []any{"escaped quote"}, 18, "escaped quote", ""},
				}
			},
			Refused: func(tb, other, p, v string) []Stmt {
				return []Stmt{
					{"INSERT INTO " + tb + " SET details = LOWER(?)", []any{v}},
					{"INSERT INTO " + tb + " (details) VALUES /*!50000 (?) */", []any{v}},
					{"REPLACE INTO " + tb + " (id, details) SELECT id, note FROM " + other + " WHERE " + p + " = 1", nil},
				}
			},
			MovingDDL: func(tb, other, _ string) []string {
				return []string{
					"ALTER TABLE " + tb + " CHANGE details details_old TEXT, CHANGE name details TEXT",
					"RENAME TABLE " + other + " TO " + tb,
					"ALTER TABLE " + tb + " ALTER COLUMN details SET DEFAULT 'plain'",
					"ALTER TABLE " + tb + " MODIFY details TEXT AS (name) STORED",
					"ALTER TABLE " + tb + " ADD COLUMN extra TEXT AS (name) STORED",
				}
			},
			HarmlessDDL: func(tb, _, _ string) []string {
				return []string{"ALTER TABLE " + tb + " ALTER COLUMN details SET DEFAULT NULL"}
			},
			DynamicSQL: func(head, tail string) []string {
				return []string{
					"EXECUTE IMMEDIATE CONCAT('INSERT INTO " + head + "', '" + tail + " (details) VALUES (''plain'')')",
					"PREPARE s FROM CONCAT('INSERT INTO " + head + "', '" + tail + " (details) VALUES (''plain'')')",
					"BEGIN NOT ATOMIC EXECUTE IMMEDIATE 'SELECT 1'; END",
				}
			},
		},

		SqlxDriver: "mysql",
		Gorm: map[string]func(*sql.DB) gorm.Dialector{
			// GORM uses INSERT ... RETURNING on MariaDB 10.5 and later.
			"returning": func(conn *sql.DB) gorm.Dialector { return gormmysql.New(gormmysql.Config{Conn: conn}) },
			"no_returning": func(conn *sql.DB) gorm.Dialector {
				return gormmysql.New(gormmysql.Config{Conn: conn, DisableWithReturning: true})
			},
		},
		GormByName: func(driverName, dsn string) gorm.Dialector {
			return gormmysql.New(gormmysql.Config{DriverName: driverName, DSN: dsn})
		},
	}, "mysql")
}
