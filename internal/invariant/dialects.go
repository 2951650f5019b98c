package invariant

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Dialect is how to write hostile SQL for one backend.
type Dialect struct {
	Name         string
	commentForms []string
	returning    bool
	namedArgs    bool // pgx.NamedArgs
	placeholder  func(s *source, n int) string
	literal      func(s *source, v string) string
	cast         func(s *source, x string) string
	ident        func(s *source, table, home string) string
	upsert       func(set string) string
	excluded     func(col string) string
	withInsert   func(target, with, query string) string
	wrapArgs     func(s *source, args []any, named map[string]any) []any
	// sessionChanges, ddl and dynamic list statements of their kind.
	sessionChanges func(n Names) []string
	ddl            func(n Names) []string
	dynamic        func(n Names) []string
}

// quote wraps v in open/close after applying the replacements.
func quote(open, close string, v string, repl ...string) string {
	return open + strings.NewReplacer(repl...).Replace(v) + close
}

// Postgres writes PostgreSQL reached through pgx.
var Postgres = &Dialect{
	Name:         "postgres",
	commentForms: []string{"/* c */", "/* '$$ */", "--c\n", "/* /* nested */ */"},
	returning:    true,
	namedArgs:    true,
	placeholder:  func(_ *source, n int) string { return "$" + strconv.Itoa(n) },
	literal: func(s *source, v string) string {
		if !validUTF8(v) {
			v = "bytes"
		}
		switch s.intn(5) {
		case 0:
			return quote("E'", "'", v, `\`, `\\`, "'", `\'`)
		case 1:
			if !strings.Contains(v, "$z$") {
				return "$z$" + v + "$z$"
			}
		case 2:
			return quote("U&'", "'", v, `\`, `\\`, "'", "''")
		case 3:
			// Two constants PostgreSQL joins across a newline.
			h := len(v) / 2
			for h > 0 && !validUTF8(v[:h]) {
				h--
			}
			return quote("'", "'", v[:h], "'", "''") + "\n" + quote("'", "'", v[h:], "'", "''")
		}
		return quote("'", "'", v, "'", "''")
	},
	cast: func(s *source, x string) string {
		return x + pick(s, "::text", "::varchar", "::bytea", "::varchar(3)", "::name", "::json")
	},
	ident: func(s *source, t, home string) string {
		return pick(s, t, `"`+t+`"`, home+"."+t, strings.ToUpper(t))
	},
	upsert:     func(set string) string { return " ON CONFLICT (id) DO UPDATE SET details = " + set },
	excluded:   func(c string) string { return "EXCLUDED." + c },
	withInsert: withThenInsert,
	wrapArgs: func(s *source, args []any, named map[string]any) []any {
		if named != nil {
			return []any{pgx.NamedArgs(named)}
		}
		switch s.intn(6) {
		case 0:
			return append([]any{pgx.QueryExecModeSimpleProtocol}, args...)
		case 1:
			nameArgs(args)
		}
		return args
	},
	sessionChanges: func(n Names) []string {
		return []string{
			"SELECT set_config('standard_conforming_strings', 'off', false)",
			"UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'",
			"SET standard_conforming_strings = off",
			"SET client_encoding = 'SJIS'",
			"SELECT set_config('client_encoding', 'BIG5', false)",
			"SET search_path = " + n.Schema + ", " + n.Home,
			"CREATE TEMP TABLE " + n.Table + " (id int, name text, details text)",
			"INSERT INTO pg_temp." + n.Table + " SELECT id, 'n', note FROM " + n.Other,
			"RESET ALL",
		}
	},
	ddl: func(n Names) []string {
		ddl := []string{"ALTER TABLE " + n.Table + " ALTER COLUMN details TYPE text USING name"}
		return append(append(ddl, renames(n)...),
			"ALTER TABLE "+n.Other+" RENAME COLUMN note TO details",
			"ALTER TABLE "+n.Table+" ALTER COLUMN details SET DEFAULT 'W:default'",
			"CREATE TABLE "+n.Schema+"."+n.Table+" (id int, name text, details text)",
			"INSERT INTO "+n.Schema+"."+n.Table+" SELECT id, 'n', note FROM "+n.Other,
			"ALTER TABLE "+n.Schema+"."+n.Table+" SET SCHEMA "+n.Home,
		)
	},
	dynamic: func(n Names) []string {
		h := len(n.Table) / 2
		return []string{
			"DO $$ BEGIN EXECUTE 'INSERT INTO " + n.Table[:h] + "' || '" + n.Table[h:] + " (id, details) VALUES (900, ''W:do'')'; END $$",
			"PREPARE p AS INSERT INTO " + n.Table + " (id, details) VALUES (901, $1)",
			"EXECUTE p('W:execute')",
			"COPY " + n.Table + " (id, details) FROM STDIN",
			"MERGE INTO " + n.Table + " t USING " + n.Other + " o ON t.id = o.id WHEN MATCHED THEN UPDATE SET details = o.note",
		}
	},
}

// MySQL writes MariaDB reached through go-sql-driver/mysql.
var MySQL = &Dialect{
	Name:         "mysql",
	commentForms: []string{"/* c */", "# c\n", "-- c\n", "/*!*/", "/* ' */"},
	returning:    true, // MariaDB
	placeholder:  func(*source, int) string { return "?" },
	literal: func(s *source, v string) string {
		switch s.intn(5) {
		case 0:
			return quote("'", "'", v, `\`, `\\`, "'", `\'`)
		case 1:
			return quote(`"`, `"`, v, `\`, `\\`, `"`, `""`)
		case 2:
			return quote("_utf8mb4'", "'", v, `\`, `\\`, "'", "''")
		case 3:
			return fmt.Sprintf("X'%x'", v)
		}
		return quote("'", "'", v, `\`, `\\`, "'", "''")
	},
	cast: func(s *source, x string) string {
		return pick(s, "CAST("+x+" AS CHAR)", "CAST("+x+" AS BINARY)", "CAST("+x+" AS CHAR(3))", "CONVERT("+x+" USING utf8mb4)", "BINARY "+x)
	},
	ident: func(s *source, t, home string) string {
		return pick(s, t, "`"+t+"`", home+"."+t, strings.ToUpper(t))
	},
	upsert:   func(set string) string { return " ON DUPLICATE KEY UPDATE details = " + set },
	excluded: func(c string) string { return "VALUES(" + c + ")" },
	withInsert: func(target, with, q string) string {
		return "INSERT INTO " + target + " (id, details) " + with + q
	},
	wrapArgs: func(s *source, args []any, _ map[string]any) []any {
		if s.intn(8) == 0 && len(args) > 0 {
			args[0] = sql.Named("n0", args[0])
		}
		return args
	},
	sessionChanges: func(n Names) []string {
		return []string{
			"SET sql_mode = 'ANSI_QUOTES'",
			"SET sql_mode = 'MSSQL'",
			"SET @a = 1 /*M!, sql_mode = 'NO_BACKSLASH_ESCAPES' */",
			"/*!100000 SET sql_mode = 'ANSI_QUOTES' */",
			"SET sql_mode = 'NO_BACKSLASH_ESCAPES', @a = CAST(1 AS INTEGER)",
			"SET @@sql_mode = CONCAT(@@sql_mode, ',ANSI')",
			"SET NAMES gbk",
			"SET NAMES big5",
			"SET sql_mode = 'TRADITIONAL'",
			"CREATE TEMPORARY TABLE " + n.Table + " (id INT, name TEXT, details TEXT)",
			"USE " + n.Schema,
			"USE " + n.Home,
		}
	},
	ddl: func(n Names) []string {
		return []string{
			"ALTER TABLE " + n.Table + " CHANGE details d_old TEXT, CHANGE name details TEXT",
			"ALTER TABLE " + n.Table + " RENAME COLUMN details TO d_old",
			"ALTER TABLE " + n.Table + " RENAME COLUMN name TO details",
			"RENAME TABLE " + n.Table + " TO " + n.Table + "_away",
			"RENAME TABLE " + n.Other + " TO " + n.Table,
			"ALTER TABLE " + n.Table + " ALTER COLUMN details SET DEFAULT 'W:default'",
			"ALTER TABLE " + n.Table + " MODIFY details TEXT AS (name) STORED",
			"CREATE TABLE " + n.Schema + "." + n.Table + " (id INT, name TEXT, details TEXT)",
			"INSERT INTO " + n.Schema + "." + n.Table + " SELECT id, 'n', note FROM " + n.Home + "." + n.Other,
		}
	},
	dynamic: func(n Names) []string {
		h := len(n.Table) / 2
		return []string{
			"EXECUTE IMMEDIATE CONCAT('INSERT INTO " + n.Table[:h] + "', '" + n.Table[h:] + " (id, details) VALUES (900, ''W:x'')')",
			"PREPARE s FROM CONCAT('INSERT INTO " + n.Table[:h] + "', '" + n.Table[h:] + " (id, details) VALUES (901, ''W:x'')')",
			"PREPARE s FROM 'INSERT INTO " + n.Table + " (id, details) VALUES (902, ?)'",
			"EXECUTE s USING @a",
			"BEGIN NOT ATOMIC INSERT INTO " + n.Table + " (id, details) VALUES (903, 'W:x'); END",
			"LOAD DATA LOCAL INFILE '/dev/null' INTO TABLE " + n.Table,
		}
	},
}

// SQLite writes SQLite reached through modernc.org/sqlite.
var SQLite = &Dialect{
	Name:         "sqlite",
	commentForms: []string{"/* c */", "--c\n", "/* ' */"},
	returning:    true,
	placeholder: func(s *source, n int) string {
		return pick(s, "?", "?"+strconv.Itoa(n), "$"+strconv.Itoa(n))
	},
	literal: func(s *source, v string) string {
		if s.intn(3) == 0 {
			return quote(`"`, `"`, v, `"`, `""`)
		}
		return quote("'", "'", v, "'", "''")
	},
	cast: func(s *source, x string) string {
		return pick(s, "CAST("+x+" AS TEXT)", "CAST("+x+" AS VARCHAR(3))", "CAST("+x+" AS BLOB)", "CAST("+x+" AS INTEGER)")
	},
	ident: func(s *source, t, home string) string {
		return pick(s, t, `"`+t+`"`, "["+t+"]", "`"+t+"`", home+"."+t, strings.ToUpper(t))
	},
	upsert:     func(set string) string { return " ON CONFLICT(id) DO UPDATE SET details = " + set },
	excluded:   func(c string) string { return "excluded." + c },
	withInsert: withThenInsert,
	wrapArgs: func(s *source, args []any, _ map[string]any) []any {
		if s.intn(4) == 0 {
			nameArgs(args)
		}
		return args
	},
	sessionChanges: func(n Names) []string {
		return []string{
			"CREATE TEMP TABLE " + n.Table + " (id INTEGER, name TEXT, details TEXT)",
			"INSERT INTO temp." + n.Table + " SELECT id, 'n', note FROM " + n.Other,
			"PRAGMA case_sensitive_like = 1",
		}
	},
	ddl: func(n Names) []string {
		return append(renames(n),
			"ALTER TABLE "+n.Other+" RENAME note TO details",
			"ALTER TABLE "+n.Table+" ADD COLUMN extra TEXT DEFAULT 'W:default'",
			"CREATE TRIGGER tr AFTER INSERT ON "+n.Other+" BEGIN UPDATE "+n.Table+" SET details = new.note; END",
		)
	},
	dynamic: func(Names) []string { return []string{"SELECT 1"} },
}

// renames are the statements that rename a column or a table into the
// protected one, as PostgreSQL and SQLite spell them.
func renames(n Names) []string {
	return []string{
		"ALTER TABLE " + n.Table + " RENAME COLUMN details TO d_old",
		"ALTER TABLE " + n.Table + " RENAME COLUMN name TO details",
		"ALTER TABLE " + n.Table + " RENAME TO " + n.Table + "_away",
		"ALTER TABLE " + n.Other + " RENAME TO " + n.Table,
	}
}

// qualified is table in schema home, in every dialect.
func qualified(home, table string) string { return home + "." + table }

// threePart is the details column of n.Table in n.Home, in every dialect.
func threePart(n Names) string { return n.Home + "." + n.Table + ".details" }

// withThenInsert writes a WITH clause before the INSERT whose query reads
// it, as PostgreSQL and SQLite do.
func withThenInsert(target, with, q string) string {
	return with + "INSERT INTO " + target + " (id, details) " + q
}

// nameArgs passes every argument by name: n0, n1, ...
func nameArgs(args []any) {
	for i, a := range args {
		args[i] = sql.Named(fmt.Sprintf("n%d", i), a)
	}
}

// validUTF8 reports whether v is valid UTF-8 (PostgreSQL rejects other
// text).
func validUTF8(v string) bool { return strings.ToValidUTF8(v, "\uFFFD") == v }
