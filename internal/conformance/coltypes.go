package conformance

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal"
)

// holdsCiphertext writes bound values and literals to each column type
// that holds ciphertext and reads them back.
func holdsCiphertext(t *testing.T, b *Backend) {
	types := append(append([]string{}, b.TextTypes...), b.BinaryTypes...)
	for _, typ := range types {
		name := typ
		if name == "" {
			name = "no type"
		}
		t.Run(name, func(t *testing.T) {
			e := NewEnv(t, b, "details "+typ)
			e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, Details)
			e.Exec(`INSERT INTO `+e.Table+` (details) VALUES (?)`, []byte(Details))
			e.Exec(`INSERT INTO ` + e.Table + ` (details) VALUES ('literal value')`)
			want := []string{Details, Details, "literal value"}
			// The dialect's own literal forms: sealed, or refused and not
			// stored.
			for _, l := range b.Literals {
				_, err := e.Sealed.Exec(`INSERT INTO ` + e.Table + ` (details) VALUES (` + l.SQL + `)`)
				if l.Refused {
					require.ErrorIs(t, err, sqlseal.ErrRefused, l.SQL)
					require.Equal(t, len(want), e.Count(e.Table), l.SQL)
					continue
				}
				require.NoError(t, err, l.SQL)
				want = append(want, l.Want)
			}
			for i, w := range want {
				e.RequireSealed(int64(i+1), w)
				require.Equal(t, w, e.ReadDetails(int64(i+1)))
			}
			if e.Binary {
				require.Len(t, e.RawDetails(1), e.SealedLen(len(Details)))
			}
			var raw []byte
			require.NoError(t, e.Sealed.QueryRow(`SELECT details FROM `+e.Table+` WHERE id = 1`).Scan(&raw))
			require.Equal(t, Details, string(raw))
		})
	}
}

// refusedColumnTypes checks each type that cannot hold ciphertext, at
// connect and created later.
func refusedColumnTypes(t *testing.T, b *Backend) {
	for _, typ := range b.RefusedTypes {
		t.Run(typ, func(t *testing.T) {
			e := NewEnv(t, b, "")
			e.Create(e.Table, "details "+typ)
			_, err := e.OpenErr(e.Config())
			require.ErrorIs(t, err, sqlseal.ErrColumnType)
			require.Contains(t, err.Error(), e.Table+".details")

			// Created after the pool connected, through sqlseal.
			later := NewEnv(t, b, "")
			later.Exec(`CREATE TABLE ` + later.Table + ` (` + b.ID + `, details ` + typ + `)`)
			_, err = later.Sealed.Exec(later.Q(`INSERT INTO `+later.Table+` (details) VALUES (?)`), "1")
			require.ErrorIs(t, err, sqlseal.ErrColumnType)
			require.Contains(t, err.Error(), later.Table+".details")
			require.Zero(t, later.Count(later.Table), "the value reached a column that cannot hold it")
		})
	}
}
