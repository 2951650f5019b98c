package mysql_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/analysis"
	"github.com/sqlseal/sqlseal/internal/dialect/mysql"
)

// TestReturningPlans runs MariaDB RETURNING statements through the
// analysis: the values written to the protected column are sealed, the
// returned protected column is opened and nothing else is.
func TestReturningPlans(t *testing.T) {
	details := analysis.Column{Table: "metabase_database", Name: "details"}
	prot := analysis.NewProtected([]analysis.Column{details})
	plan := func(sql string) *analysis.Plan {
		t.Helper()
		p := analysis.Analyze(&mysql.Parser{}, prot, sql)
		require.NoError(t, p.Err, sql)
		return p
	}
	opened := func(p *analysis.Plan) []bool {
		var out []bool
		for _, r := range p.Results {
			out = append(out, r.Column != nil && *r.Column == details ||
				r.Star != nil && len(r.Star.Protected) == 1 && r.Star.Protected[0] == details)
		}
		return out
	}

	p := plan("INSERT INTO `metabase_database` (`name`,`details`) VALUES (?,?) RETURNING `id`")
	require.Len(t, p.Params, 1)
	assert.Equal(t, 2, p.Params[0].Ordinal)
	assert.Nil(t, p.Results, "RETURNING id opens nothing")

	p = plan("INSERT INTO metabase_database (name, details) VALUES (?, ?) RETURNING id, details")
	require.Len(t, p.Params, 1)
	assert.Equal(t, 2, p.Params[0].Ordinal)
	assert.Equal(t, []bool{false, true}, opened(p))

	sql := "INSERT INTO metabase_database (name, details) VALUES ('n', '{\"password\":\"x\"}') RETURNING details AS d, 'lit'"
	p = plan(sql)
	require.Len(t, p.Literals, 1)
	assert.Equal(t, `'{"password":"x"}'`, sql[p.Literals[0].Start:p.Literals[0].End])
	assert.Equal(t, []bool{true, false}, opened(p))

	p = plan("REPLACE INTO metabase_database (id, details) VALUES (?, ?) RETURNING *")
	require.Len(t, p.Params, 1)
	assert.Equal(t, 2, p.Params[0].Ordinal)
	assert.Equal(t, []bool{true}, opened(p))

	p = plan("DELETE FROM metabase_database WHERE id = ? RETURNING id, details")
	assert.Empty(t, p.Params)
	assert.Equal(t, []bool{false, true}, opened(p))

	// A ? in the list, or RETURNING in an executable comment, on a
	// protected table is refused.
	for _, sql := range []string{
		"INSERT INTO metabase_database (name, details) VALUES (?, ?) RETURNING id = ?",
		"INSERT INTO metabase_database (details) VALUES (?) /*! RETURNING id */",
	} {
		p := analysis.Analyze(&mysql.Parser{}, prot, sql)
		require.ErrorIs(t, p.Err, analysis.ErrRefused, sql)
		assert.True(t, strings.Contains(p.Err.Error(), "metabase_database"), sql)
	}
}
