package sqlite

// splitStatements groups tokens into statements at each ";", as SQLite runs
// them one after the other. A CREATE TRIGGER body holds statements of its
// own: its semicolons do not end the trigger, which ends at the first ";"
// after a "; END". Empty statements are dropped.
func splitStatements(toks []token) [][]token {
	var out [][]token
	start := 0
	for start < len(toks) {
		end := statementEnd(toks, start)
		if end > start {
			out = append(out, toks[start:end])
		}
		start = end + 1
	}
	return out
}

// statementEnd returns the index of the ";" that ends the statement starting
// at toks[start], or len(toks).
func statementEnd(toks []token, start int) int {
	trigger := isCreateTrigger(toks[start:])
	inBody := false
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if trigger && !inBody && t.is("BEGIN") && (i == 0 || !toks[i-1].punct(".")) {
			inBody = true
		}
		if !t.punct(";") {
			continue
		}
		if inBody && i+1 < len(toks) && toks[i+1].is("END") {
			// The body's last statement: the trigger ends after END.
			inBody = false
			trigger = false
			continue
		}
		if !inBody {
			return i
		}
	}
	return len(toks)
}

// isCreateTrigger reports whether a statement is [EXPLAIN [QUERY PLAN]]
// CREATE [TEMP] TRIGGER.
func isCreateTrigger(toks []token) bool {
	i := 0
	if len(toks) > 0 && toks[0].is("EXPLAIN") {
		i++
		if len(toks) > 2 && toks[1].is("QUERY") && toks[2].is("PLAN") {
			i += 2
		}
	}
	if i < len(toks) && toks[i].is("CREATE") {
		i++
	} else {
		return false
	}
	if i < len(toks) && (toks[i].is("TEMP") || toks[i].is("TEMPORARY")) {
		i++
	}
	return i < len(toks) && toks[i].is("TRIGGER")
}
