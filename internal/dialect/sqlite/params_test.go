package sqlite

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

func TestParamNumbering(t *testing.T) {
	cases := []struct {
		name    string
		params  []string
		indexes []int
		params2 []query.Param // the parameter of each placeholder, as SQLite describes it
	}{
		{"positional", []string{"?", "?", "?"}, []int{1, 2, 3},
			[]query.Param{{Ordinal: 1}, {Ordinal: 2}, {Ordinal: 3}}},
		{"?NNN, then ? continues after the largest", []string{"?3", "?", "?1", "?"}, []int{3, 4, 1, 5},
			[]query.Param{{Ordinal: 3, Name: "?3"}, {Ordinal: 4}, {Ordinal: 1, Name: "?1"}, {Ordinal: 5}}},
		{"names get the next index at first appearance", []string{":a", "@b", ":a", "?", "$c"}, []int{1, 2, 1, 3, 4},
			[]query.Param{{Ordinal: 1, Name: ":a"}, {Ordinal: 2, Name: "@b"}, {Ordinal: 1, Name: ":a"}, {Ordinal: 3}, {Ordinal: 4, Name: "$c"}}},
		{"prefixes make different parameters", []string{":a", "@a", "$a", "#a"}, []int{1, 2, 3, 4},
			[]query.Param{{Ordinal: 1, Name: ":a"}, {Ordinal: 2, Name: "@a"}, {Ordinal: 3, Name: "$a"}, {Ordinal: 4, Name: "#a"}}},
		{"names are case-sensitive", []string{":a", ":A"}, []int{1, 2},
			[]query.Param{{Ordinal: 1, Name: ":a"}, {Ordinal: 2, Name: ":A"}}},
		{"$NNN is a name that takes the next index", []string{"$2", "$1", "?"}, []int{1, 2, 3},
			[]query.Param{{Ordinal: 1, Name: "$2"}, {Ordinal: 2, Name: "$1"}, {Ordinal: 3}}},
		{"?NNN after a name shares the name's index and name", []string{":a", "?1"}, []int{1, 1},
			[]query.Param{{Ordinal: 1, Name: ":a"}, {Ordinal: 1, Name: ":a"}}},
		{"a name after ?NNN takes a new index", []string{"?1", ":a"}, []int{1, 2},
			[]query.Param{{Ordinal: 1, Name: "?1"}, {Ordinal: 2, Name: ":a"}}},
		{"leading zeros", []string{"?01", "$01"}, []int{1, 2},
			[]query.Param{{Ordinal: 1, Name: "?01"}, {Ordinal: 2, Name: "$01"}}},
		{"largest ?NNN", []string{"?32766"}, []int{32766}, []query.Param{{Ordinal: 32766, Name: "?32766"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p paramTable
			var got []int
			for _, text := range tc.params {
				k, err := p.assign(text, 0)
				require.NoError(t, err)
				got = append(got, k)
			}
			require.Equal(t, tc.indexes, got)
			var params []query.Param
			for _, k := range got {
				params = append(params, p.param(k))
			}
			require.Equal(t, tc.params2, params)
		})
	}
}

func TestParamErrors(t *testing.T) {
	for _, text := range []string{"?0", "?32767", "?99999999999999999999", "#1"} {
		t.Run(text, func(t *testing.T) {
			var p paramTable
			_, err := p.assign(text, 0)
			require.True(t, errors.Is(err, ErrSyntax))
		})
	}
}
