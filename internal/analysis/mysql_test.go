package analysis_test

import (
	"errors"
	"testing"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/mysql"
)

func analyzeMySQL(sql string) *analysis.Plan {
	return analysis.Analyze(&mysql.Parser{}, protected(), sql)
}

func TestMySQLWrites(t *testing.T) {
	cases := []struct {
		sql  string
		want []int
	}{
		{"INSERT INTO `metabase_database` (`name`,`details`) VALUES (?,?)", []int{2}},
		{"INSERT INTO metabase_database SET name = ?, details = ?", []int{2}},
		{"INSERT INTO metabase_database (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = VALUES(details)", []int{2}},
		{"INSERT INTO metabase_database (id, details) VALUES (?, ?) ON DUPLICATE KEY UPDATE details = ?", []int{2, 3}},
		{"REPLACE INTO metabase_database (id, details) VALUES (?, ?)", []int{2}},
		{"UPDATE other o JOIN metabase_database m ON m.id = o.db_id SET m.details = ? WHERE o.id = ?", []int{1}},
		{"UPDATE other o JOIN metabase_database m ON m.id = o.db_id SET details = ? WHERE o.id = ?", []int{1}},
	}
	for _, c := range cases {
		p := analyzeMySQL(c.sql)
		if p.Err != nil {
			t.Errorf("%s: %v", c.sql, p.Err)
			continue
		}
		var got []int
		for _, pt := range p.Params {
			got = append(got, pt.Ordinal)
		}
		if !equalInts(got, c.want) {
			t.Errorf("%s: sealed %v, want %v", c.sql, got, c.want)
		}
	}
}

func TestMySQLRefusals(t *testing.T) {
	for _, sql := range []string{
		"UPDATE metabase_database SET details = CONCAT(details, ?)",
		"INSERT INTO metabase_database (details) VALUES (UPPER(?))",
		"SELECT id FROM metabase_database WHERE details = ?",
		"PREPARE s FROM @q",
		"EXECUTE s USING @x",
		"LOAD DATA INFILE 'x' INTO TABLE metabase_database",
		"INSERT INTO metabase_database (details) VALUES (?",
	} {
		if p := analyzeMySQL(sql); !errors.Is(p.Err, analysis.ErrRefused) {
			t.Errorf("%s: not refused: %+v", sql, p)
		}
	}
}

func TestMySQLQuotingModes(t *testing.T) {
	for _, sql := range []string{
		"SET sql_mode = 'ANSI_QUOTES'",
		"SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'",
		"SET sql_mode = 'MSSQL'",
		"SET sql_mode = 'oracle'",
		"SET NAMES gbk",
		"SET character_set_client = sjis",
	} {
		if p := analyzeMySQL(sql); !errors.Is(p.Err, analysis.ErrRefused) {
			t.Errorf("%s: not refused", sql)
		}
	}
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
