package mysql

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// The TiDB parser does not record where a literal is in the text. To find
// out, Parse parses the text a second time with every string and
// hexadecimal literal replaced by a marker: a string naming the token it
// replaced. A literal whose value in the second parse is a marker (or, for
// 'a' 'b', a run of markers) comes from those tokens.

// markers renders and recognises the marker strings of one SQL text.
type markers struct {
	prefix string
}

// newMarkers picks a marker prefix that does not occur in sql, so that no
// text of the statement can be mistaken for a marker.
func newMarkers(sql string) markers {
	for k := 0; ; k++ {
		p := "sqlseal" + strconv.Itoa(k) + "#"
		if !strings.Contains(sql, p) {
			return markers{prefix: p}
		}
	}
}

// text is the marker of token i.
func (m markers) text(i int) string {
	return m.prefix + strconv.Itoa(i) + "."
}

// decode returns the token indexes of a value made of one or more markers,
// and false when v is anything else.
func (m markers) decode(v string) ([]int, bool) {
	if v == "" {
		return nil, false
	}
	var idx []int
	for v != "" {
		rest, ok := strings.CutPrefix(v, m.prefix)
		if !ok {
			return nil, false
		}
		digits, after, ok := strings.Cut(rest, ".")
		if !ok {
			return nil, false
		}
		i, err := strconv.Atoi(digits)
		if err != nil || i < 0 || strconv.Itoa(i) != digits {
			return nil, false
		}
		idx = append(idx, i)
		v = after
	}
	return idx, true
}

// markText returns sql with each token replaced by its marker. A string
// keeps its introducer (N, _utf8mb4) and becomes '<marker>'; a
// hexadecimal literal becomes X'<marker in hexadecimal>'.
func markText(sql string, toks []token, m markers) string {
	var b strings.Builder
	b.Grow(len(sql) + 16*len(toks))
	prev := 0
	for i, t := range toks {
		b.WriteString(sql[prev:t.RepStart])
		if t.Hex {
			b.WriteString("X'")
			b.WriteString(hex.EncodeToString([]byte(m.text(i))))
		} else {
			b.WriteString("'")
			b.WriteString(m.text(i))
		}
		b.WriteString("'")
		prev = t.End
	}
	b.WriteString(sql[prev:])
	return b.String()
}
