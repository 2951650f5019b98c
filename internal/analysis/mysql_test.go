package analysis_test

import (
	"testing"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/mysql"
)

func analyzeMySQL(sql string) *analysis.Plan {
	return analysis.Analyze(&mysql.Parser{}, protected(), sql)
}

func TestMySQLWrites(t *testing.T) {
	checkSealed(t, analyzeMySQL, []sealCase{
		{"INSERT INTO `metabase_database` (`name`,`details`) VALUES (?,?)", []int{2}},
		{"INSERT INTO metabase_database SET name = ?, details = ?", []int{2}},
		{"INSERT INTO metabase_database (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details)", []int{2}},
		{"INSERT INTO metabase_database (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = ?", []int{2, 3}},
		{"REPLACE INTO metabase_database (id, details) VALUES (?, ?)", []int{2}},
		{"UPDATE other o JOIN metabase_database m ON m.id = o.db_id SET m.details = ? WHERE o.id = ?", []int{1}},
		{"UPDATE other o JOIN metabase_database m ON m.id = o.db_id SET details = ? WHERE o.id = ?", []int{1}},
	})
}

func TestMySQLRefusals(t *testing.T) {
	checkRefused(t, analyzeMySQL,
		"UPDATE metabase_database SET details = CONCAT(details, ?)",
		"INSERT INTO metabase_database (details) VALUES (UPPER(?))",
		"SELECT id FROM metabase_database WHERE details = ?",
		"PREPARE s FROM @q",
		"EXECUTE s USING @x",
		"LOAD DATA INFILE 'x' INTO TABLE metabase_database",
		"INSERT INTO metabase_database (details) VALUES (?",
	)
}

func TestMySQLQuotingModes(t *testing.T) {
	checkRefused(t, analyzeMySQL,
		"SET sql_mode = 'ANSI_QUOTES'",
		"SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'",
		"SET sql_mode = 'MSSQL'",
		"SET sql_mode = 'oracle'",
		"SET NAMES gbk",
		"SET character_set_client = sjis",
	)
	// A value sqlseal cannot read is left to the session check the backend
	// runs after the statement.
	for _, sql := range []string{
		"SET @@sql_mode = CONCAT(@@sql_mode, ',ANSI')",
		"SET @a = 1 /*M!, sql_mode = 'NO_BACKSLASH_ESCAPES' */",
		"SET sql_mode = 'NO_BACKSLASH_ESCAPES', @a = CAST(1 AS INTEGER)",
		"SET CHARACTER SET 'big5'", // the parser rejects character sets it does not know
	} {
		if p := analyzeMySQL(sql); p.Err != nil || !p.Session {
			t.Errorf("%s: plan %+v, want a session check", sql, p)
		}
	}
	for _, sql := range []string{"SET sql_mode = 'TRADITIONAL'", "SET NAMES utf8mb4", "SET @x = 1"} {
		if p := analyzeMySQL(sql); p.Err != nil {
			t.Errorf("%s: %v", sql, p.Err)
		}
	}
}
