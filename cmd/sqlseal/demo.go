package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sqlseal/sqlseal/config"
	"github.com/sqlseal/sqlseal/internal/rotate"
)

var demoCommand = &command{
	name:     "demo",
	summary:  "show sqlseal at work, end to end, on an embedded database",
	synopsis: "[--dsn DSN]",
	help: `Demo plays an application that keeps database connection details in a
protected column, sqlseal_demo.details (SQLSEAL_COLUMNS=sqlseal_demo.details),
on a throwaway table: it writes them through the sqlseal driver, shows what
the database stores (ciphertext) and what the application reads (plaintext),
rotates to a new key and finally disables encryption, showing the stored
value and what the application reads after each step.

With no flags it runs on an SQLite file in a temporary folder and needs no
server. The key is SQLSEAL_ENCRYPTION_SECRET_KEY if set; otherwise the demo
makes a random one for the run. --dsn runs the same on another database (see
sqlseal rotate-encryption-key --help for the DSN forms): the demo creates its
table there, refuses to start if a table of that name exists, and drops it
at the end.
`,
	env: secretEnv,
	flags: func(fs *flag.FlagSet) {
		fs.String("dsn", "", "database to run on instead of a temporary SQLite file")
	},
	run: runDemo,
}

// demoTable is the table the demo creates, uses and drops.
const demoTable = "sqlseal_demo"

// demoColumn is the protected column of the demo, as configured.
const demoColumn = demoTable + ".details"

// demoDetails is what the demo application stores.
const demoDetails = `{"host":"db.internal","port":5432,"user":"metabase","password":"hunter2"}`

func runDemo(ctx context.Context, cmd *command, args []string, std stdio) int {
	fs := cmd.flagSet()
	if code, ok := cmd.parse(fs, args, 0, std); !ok {
		return code
	}
	d := &demo{ctx: ctx, out: std.out}
	if err := d.setUp(fs.Lookup("dsn").Value.String(), std); err != nil {
		return cmd.fail(std, "%v", err)
	}
	defer d.tearDown()
	if err := d.run(); err != nil {
		return cmd.fail(std, "%v", err)
	}
	return exitOK
}

// demo is one run: the database reached two ways, through sqlseal as the
// application does and with the plain driver to show what is stored.
type demo struct {
	ctx     context.Context
	out     io.Writer
	src     dataSource
	key     string
	raw     *sql.DB
	tempDir string
	created bool // the demo created its table, so drops it

	shownName bool // the stored name was shown once, which is enough
}

func (d *demo) say(format string, args ...any) { fmt.Fprintf(d.out, format+"\n", args...) }

func (d *demo) setUp(dsn string, std stdio) error {
	if dsn == "" {
		dir, err := os.MkdirTemp("", "sqlseal-demo-")
		if err != nil {
			return err
		}
		d.tempDir = dir
		dsn = filepath.Join(dir, "demo.db")
		d.say("Database: a new SQLite file, %s (no server needed).", dsn)
	}
	src, err := parseDSN(dsn)
	if err != nil {
		return err
	}
	d.src = src
	if d.tempDir == "" {
		d.say("Database: %s (%s); the demo uses table %s and drops it at the end.", src.family, src.driver, demoTable)
	}
	cfg, err := config.FromLookup(std.lookupEnv)
	if err != nil {
		return err
	}
	if d.key = cfg.SecretKey; d.key == "" {
		d.key = randomSecret()
		d.say("Key: SQLSEAL_ENCRYPTION_SECRET_KEY is not set, so the demo made a random one for this run.")
	} else {
		d.say("Key: SQLSEAL_ENCRYPTION_SECRET_KEY from the environment.")
	}
	if d.raw, err = sql.Open(src.driver, src.dsn); err != nil {
		return err
	}
	if err := d.raw.PingContext(d.ctx); err != nil {
		return connectError(d.src, err)
	}
	// Never touch a table the demo did not create.
	if rows, err := d.raw.QueryContext(d.ctx, "SELECT 1 FROM "+demoTable+" WHERE 1 = 0"); err == nil {
		rows.Close()
		return fmt.Errorf("table %s already exists (left by an interrupted demo?); drop it, or run the demo on another database", demoTable)
	}
	return nil
}

func (d *demo) tearDown() {
	if d.raw != nil {
		if d.created {
			d.raw.ExecContext(d.ctx, "DROP TABLE IF EXISTS "+demoTable)
		}
		d.raw.Close()
	}
	if d.tempDir != "" {
		os.RemoveAll(d.tempDir)
	}
}

func (d *demo) run() error {
	app, err := d.app(d.key)
	if err != nil {
		return err
	}
	defer app.Close()

	// The table exists before the application connects, as after a
	// migration: sqlseal warns about a protected column it cannot find.
	if _, err := d.raw.ExecContext(d.ctx, d.createTable()); err != nil {
		return err
	}
	d.created = true
	d.say("")
	d.say("Protected column: %s. The application configures it as every sqlseal application does:", demoColumn)
	d.say("   %s=%s   (in code: config.Config{Columns: []string{%q}})", config.EnvColumns, demoColumn, demoColumn)
	d.say("   Its other column, name, is not protected: it is stored as written.")
	d.say("")
	d.say("1. The application saves connection details in table %s, through the sqlseal driver:", demoTable)
	insert := "INSERT INTO " + demoTable + " (name, details) VALUES (" + d.placeholders(2) + ")"
	if _, err := app.ExecContext(d.ctx, insert, "warehouse", demoDetails); err != nil {
		return err
	}
	d.say("   %s", insert)
	d.say("   details = %s", demoDetails)

	d.say("")
	d.say("2. What the database stores (read with the plain %s driver):", d.src.driver)
	if err := d.showStored(); err != nil {
		return err
	}

	d.say("")
	d.say("3. What the application reads back through sqlseal:")
	if err := d.showRead(app); err != nil {
		return err
	}

	newKey := randomSecret()
	d.say("")
	d.say("4. Rotate to a new key (sqlseal rotate-encryption-key NEW):")
	if err := d.rotate(d.key, newKey); err != nil {
		return err
	}
	if err := d.showStored(); err != nil {
		return err
	}
	rotated, err := d.app(newKey)
	if err != nil {
		return err
	}
	defer rotated.Close()
	d.say("   The application, now configured with the new key, reads:")
	if err := d.showRead(rotated); err != nil {
		return err
	}

	d.say("")
	d.say(`5. Disable encryption (sqlseal rotate-encryption-key ""): values are written back as plaintext.`)
	if err := d.rotate(newKey, ""); err != nil {
		return err
	}
	if err := d.showStored(); err != nil {
		return err
	}
	d.say("   The application, still configured with the key, reads the plaintext as before:")
	if err := d.showRead(rotated); err != nil {
		return err
	}
	d.say("")
	d.say("Done. The application's SQL never changed: only its driver name, %s and key did.", config.EnvColumns)
	return nil
}

// app opens the database as the application does: through sqlseal, with
// the demo table's details column protected by key.
func (d *demo) app(key string) (*sql.DB, error) {
	cfg := config.Config{SecretKey: key, Columns: []string{demoColumn}}
	return openSealed(d.src, cfg)
}

func (d *demo) createTable() string {
	id := "id INTEGER PRIMARY KEY"
	switch d.src.family {
	case rotate.Postgres:
		id = "id serial PRIMARY KEY"
	case rotate.MySQL:
		id = "id INT AUTO_INCREMENT PRIMARY KEY"
	}
	return "CREATE TABLE " + demoTable + " (" + id + ", name VARCHAR(100), details TEXT)"
}

func (d *demo) placeholders(n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = "?"
		if d.src.family == rotate.Postgres {
			p[i] = fmt.Sprintf("$%d", i+1)
		}
	}
	return strings.Join(p, ", ")
}

func (d *demo) showStored() error {
	var name, stored string
	if err := d.raw.QueryRowContext(d.ctx, "SELECT name, details FROM "+demoTable).Scan(&name, &stored); err != nil {
		return err
	}
	if !d.shownName {
		d.say("   name    = %s   (not protected)", name)
		d.shownName = true
	}
	if stored == demoDetails {
		d.say("   details = %s   (plaintext)", stored)
		return nil
	}
	shown := stored
	if len(shown) > 48 {
		shown = shown[:48] + "..."
	}
	d.say("   details = %s   (%d characters of base64 ciphertext)", shown, len(stored))
	return nil
}

func (d *demo) showRead(app *sql.DB) error {
	var name, details string
	err := app.QueryRowContext(d.ctx, "SELECT name, details FROM "+demoTable).Scan(&name, &details)
	if err != nil {
		return err
	}
	d.say("   SELECT name, details FROM %s  ->  %s, %s", demoTable, name, details)
	return nil
}

func (d *demo) rotate(from, to string) error {
	sum, err := rotate.Rotate(d.ctx, d.raw, rotate.Options{
		Family:    d.src.family,
		Config:    config.Config{SecretKey: from, Columns: []string{demoColumn}},
		NewSecret: to,
	})
	if err != nil {
		return err
	}
	d.say("   %d row(s) rewritten.", sum.Changed())
	return nil
}

// randomSecret returns a new secret as genkey prints it.
func randomSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return base64.StdEncoding.EncodeToString(b)
}
