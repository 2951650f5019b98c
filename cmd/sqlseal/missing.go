package main

import (
	"flag"
	"strings"

	"github.com/sqlseal/sqlseal/config"
)

// allowMissingFlag defines --allow-missing, which rotate-encryption-key and
// status share.
func allowMissingFlag(fs *flag.FlagSet) {
	fs.Bool("allow-missing", false, "skip a protected column whose table does not exist yet, instead of failing")
}

// missingColumnsFailure reports the configured protected columns (names)
// that do not exist in the database, naming the setting they came from,
// and returns exitFailure. done says what happened to the database.
func missingColumnsFailure(cmd *command, std stdio, names []string, done string) int {
	list := strings.Join(names, ", ")
	verb := "does"
	if len(names) > 1 {
		verb = "do"
	}
	from := config.EnvColumns + " names " + list + ", which " + verb
	if v, ok := std.lookupEnv(config.EnvColumns); !ok || strings.TrimSpace(v) == "" {
		from = "the default protected column " + list + " (" + config.EnvColumns + " is unset) does"
	}
	return cmd.fail(std, "%s not exist in the database%s; fix the name, or give --allow-missing if the table is not created yet", from, done)
}

// missingNames returns the columns whose missing flag is set, in the
// order given.
func missingNames[T any](cols []T, name func(T) (string, bool)) []string {
	var out []string
	for _, c := range cols {
		if n, missing := name(c); missing {
			out = append(out, n)
		}
	}
	return out
}
