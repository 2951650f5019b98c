package sqlite

import "testing"

// statementTexts splits sql and returns each statement's text from its
// first to its last token.
func statementTexts(t *testing.T, sql string) []string {
	t.Helper()
	var out []string
	for _, st := range splitStatements(mustLex(t, sql)) {
		out = append(out, sql[st[0].start:st[len(st)-1].end])
	}
	return out
}

func TestSplitStatements(t *testing.T) {
	runTextCases(t, []textCase[[]string]{
		{"one", "SELECT 1", []string{"SELECT 1"}},
		{"trailing semicolon", "SELECT 1;", []string{"SELECT 1"}},
		{"several, empty ones dropped", ";SELECT 1;; -- c\n;SELECT ';'", []string{"SELECT 1", "SELECT ';'"}},
		{"semicolons in strings and comments", "SELECT 'a;b' /* ; */, \"c;d\"", []string{"SELECT 'a;b' /* ; */, \"c;d\""}},
		{
			"trigger body",
			"CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET x = 1; END; SELECT 2",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE c SET x = 1; END", "SELECT 2"},
		},
		{
			"temp trigger with CASE ... END in its body",
			"create temp trigger t before delete on a begin select case when 1 then 2 end; end;select 3",
			[]string{"create temp trigger t before delete on a begin select case when 1 then 2 end; end", "select 3"},
		},
		{
			"explained trigger",
			"EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; SELECT 2",
			[]string{"EXPLAIN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", "SELECT 2"},
		},
		{"unterminated trigger runs to the end", "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2"}},
		{"semicolon before a trigger's BEGIN ends it", "CREATE TRIGGER t; SELECT 1", []string{"CREATE TRIGGER t", "SELECT 1"}},
		{"only comments", "-- nothing\n/* here */", nil},
	}, statementTexts)
}
