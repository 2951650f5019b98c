package mysql

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sqlseal/sqlseal/internal/query"
)

// paramTexts hold placeholders among strings, comments and quoted names
// that contain question marks, in several statements.
var paramTexts = []string{
	"INSERT INTO metabase_database (name, details) VALUES (?, ?)",
	"INSERT INTO t (a, b, c, d) VALUES ('?', ?, \"?\" /* ? */, ?) -- ?\n",
	"UPDATE `t?` SET a = ?, b = 'it\\'s ?' # ?\n WHERE c = ? AND d IN (?, ?)",
	"SELECT ?, @'?', x'3F', ? FROM t WHERE a LIKE '%?%' AND b = ?",
	"INSERT INTO t (a) VALUES (?) ON DUPLICATE KEY UPDATE a = ?, b = CONCAT(?, '?')",
	"SELECT ?; INSERT INTO t (a, b) VALUES ('?', ?); UPDATE t SET a = ?",
	"SELECT * FROM (SELECT ? AS a) s JOIN t ON t.a = ? WHERE t.b = ? ORDER BY ?",
	"INSERT INTO t (a, b) VALUES (?, '?') RETURNING id, '?'; DELETE FROM t WHERE a = ? RETURNING b; SELECT ?",
}

// TestParamOrdinalsAreDistinct checks that the placeholders of a text get
// the ordinals 1 to n, each once.
func TestParamOrdinalsAreDistinct(t *testing.T) {
	for _, sql := range paramTexts {
		var ords []int
		for _, e := range collect(mustParse(t, sql)) {
			if p, ok := e.(*query.Param); ok {
				ords = append(ords, p.Ordinal)
			}
		}
		assert.ElementsMatch(t, seq(scan(sql).params), ords, sql)
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// TestParamOrdinalsMatchDriver runs each text through go-sql-driver/mysql
// with client-side interpolation against a fake server, binding argument
// k to the string "argk", and checks that wherever the model of the
// original text has Param k, the model of the text the server received
// has the literal 'argk'. (With server-side prepared statements the server
// itself numbers the placeholders in text order.)
func TestParamOrdinalsMatchDriver(t *testing.T) {
	srv := newFakeServer(t)
	db, err := sql.Open("mysql", "u@"+srv.network+"(x)/db?interpolateParams=true&multiStatements=true")
	require.NoError(t, err)
	defer db.Close()

	for _, text := range paramTexts {
		n := scan(text).params
		args := make([]any, n)
		for i := range args {
			args[i] = "arg" + strconv.Itoa(i+1)
		}
		_, err := db.Exec(text, args...)
		require.NoError(t, err, text)
		received := srv.lastQuery()
		require.NotEqual(t, text, received, "the driver did not interpolate")

		orig := collect(mustParse(t, text))
		sent := collect(mustParse(t, received))
		require.Len(t, sent, len(orig), text)
		checked := 0
		for i, e := range orig {
			p, ok := e.(*query.Param)
			if !ok {
				continue
			}
			lit, ok := sent[i].(*query.Literal)
			require.True(t, ok, "%s: position %d", text, i)
			assert.Equal(t, "arg"+strconv.Itoa(p.Ordinal), lit.Value, text)
			checked++
		}
		assert.Equal(t, n, checked, text)
	}
}

// fakeServer speaks just enough of the MySQL protocol for
// go-sql-driver/mysql to connect and run COM_QUERY.
type fakeServer struct {
	network string
	mu      sync.Mutex
	queries []string
}

var fakeServerSeq struct {
	sync.Mutex
	n int
}

func newFakeServer(t *testing.T) *fakeServer {
	fakeServerSeq.Lock()
	fakeServerSeq.n++
	s := &fakeServer{network: fmt.Sprintf("sqlsealfake%d", fakeServerSeq.n)}
	fakeServerSeq.Unlock()
	gomysql.RegisterDialContext(s.network, func(ctx context.Context, addr string) (net.Conn, error) {
		client, server := net.Pipe()
		go s.serve(server)
		return client, nil
	})
	return s
}

func (s *fakeServer) lastQuery() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queries) == 0 {
		return ""
	}
	return s.queries[len(s.queries)-1]
}

func (s *fakeServer) serve(c net.Conn) {
	defer c.Close()
	ok := []byte{0x00, 0, 0, 0x02, 0, 0, 0}
	var hs bytes.Buffer
	hs.WriteByte(10)
	hs.WriteString("8.0.36-fake\x00")
	hs.Write([]byte{1, 0, 0, 0})
	hs.WriteString("abcdefgh\x00")
	// CLIENT_LONG_PASSWORD | LONG_FLAG | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION
	hs.Write([]byte{0x05, 0xA2})
	hs.WriteByte(45) // utf8mb4_general_ci
	hs.Write([]byte{0x02, 0})
	// MULTI_STATEMENTS | MULTI_RESULTS | PLUGIN_AUTH
	hs.Write([]byte{0x0B, 0x00})
	hs.WriteByte(21)
	hs.Write(make([]byte, 10))
	hs.WriteString("ijklmnopqrst\x00")
	hs.WriteString("mysql_native_password\x00")
	if writePacket(c, 0, hs.Bytes()) != nil {
		return
	}
	if _, _, err := readPacket(c); err != nil { // handshake response
		return
	}
	if writePacket(c, 2, ok) != nil {
		return
	}
	for {
		_, p, err := readPacket(c)
		if err != nil || len(p) == 0 || p[0] == 0x01 { // COM_QUIT
			return
		}
		if p[0] == 0x03 { // COM_QUERY
			s.mu.Lock()
			s.queries = append(s.queries, string(p[1:]))
			s.mu.Unlock()
			if writePacket(c, 1, ok) != nil {
				return
			}
			continue
		}
		errPacket := append([]byte{0xFF, 0x28, 0x04, '#'}, "HY000unsupported command"...)
		if writePacket(c, 1, errPacket) != nil {
			return
		}
	}
}

func writePacket(w io.Writer, seq byte, payload []byte) error {
	h := make([]byte, 4)
	binary.LittleEndian.PutUint32(h, uint32(len(payload)))
	h[3] = seq
	_, err := w.Write(append(h, payload...))
	return err
}

func readPacket(r io.Reader) (byte, []byte, error) {
	h := make([]byte, 4)
	if _, err := io.ReadFull(r, h); err != nil {
		return 0, nil, err
	}
	n := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
	p := make([]byte, n)
	_, err := io.ReadFull(r, p)
	return h[3], p, err
}
