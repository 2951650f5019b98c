package rotate

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The crash test re-executes the test binary as a child that runs an online
// rotation; these variables configure the child.
const (
	envChild        = "SQLSEAL_ROTATE_CRASH_CHILD" // dialect
	envChildDSN     = "SQLSEAL_ROTATE_CRASH_DSN"
	envChildTable   = "SQLSEAL_ROTATE_CRASH_TABLE"
	envChildForward = "SQLSEAL_ROTATE_CRASH_FORWARD" // "1": old to new, else new to old
	envChildWorkers = "SQLSEAL_ROTATE_CRASH_WORKERS"
)

// crashWorkers is the number of workers of each crash trial, in turn: a
// kill can then also hit several batches in flight at once.
var crashWorkers = []int{1, 4, 2}

func TestMain(m *testing.M) {
	if d := os.Getenv(envChild); d != "" {
		os.Exit(crashChild(Family(d)))
	}
	os.Exit(m.Run())
}

// crashChild rotates the table named in the environment, printing a line
// after each batch, until it finishes or is killed.
func crashChild(d Family) int {
	driverName := map[Family]string{Postgres: "pgx", MySQL: "mysql", SQLite: "sqlite"}[d]
	db, err := sql.Open(driverName, os.Getenv(envChildDSN))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	table := os.Getenv(envChildTable)
	from, to := secretOld, secretNew
	if os.Getenv(envChildForward) != "1" {
		from, to = to, from
	}
	workers, _ := strconv.Atoi(os.Getenv(envChildWorkers))
	out := bufio.NewWriter(os.Stdout)
	_, err = Rotate(context.Background(), db, Options{
		Family: d, Config: cfgFor(table, from, to), NewSecret: to, Online: true, BatchSize: 100, Workers: workers,
		Progress: func(p Progress) {
			if p.Phase == PhaseRotate {
				fmt.Fprintf(out, "batch %d\n", p.Done)
				out.Flush()
			}
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(out, "done")
	out.Flush()
	return 0
}

// TestOnlineRotationSurvivesSIGKILL kills an online rotation at random
// moments (by batch, then a random delay into the next one), alternating
// its direction between two keys and running it with 1, 4 or 2 workers
// (crashWorkers), and checks after every kill that each
// row still opens under one of them with its original plaintext; a final
// run completes.
func TestOnlineRotationSurvivesSIGKILL(t *testing.T) {
	trials, n := 20, 10000
	if testing.Short() || raceEnabled {
		trials, n = 4, 2000
	}
	forEachBackend(t, func(t *testing.T, b backend, db *sql.DB) {
		old, nw := mustKey(t, secretOld), mustKey(t, secretNew)
		table := createTable(t, db, b, "crash", "")
		want := make([]string, n)
		rows := make([]testRow, n)
		for i := range rows {
			want[i] = fmt.Sprintf("crash row %d %s", i, strings.Repeat("p", i%50))
			rows[i] = testRow{id: int64(i), details: old.SealText([]byte(want[i])), payload: old.Seal([]byte(want[i]))}
			if i%97 == 0 {
				rows[i].payload = nil
			}
		}
		insertRows(t, db, b, table, rows)
		dsn := b.dsn(t)
		if b.dialect == SQLite {
			dsn = dsnOf(t, db)
		}
		batches := int64(2 * n / 100) // two columns
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		verify := func(trial int, wantKey int) {
			got := readRows(t, db, table)
			if len(got) != n {
				t.Fatalf("trial %d: %d rows, want %d", trial, len(got), n)
			}
			for i := range n {
				r := got[int64(i)]
				if pt, idx := openEither(t, r.details, old, nw); pt != want[i] || (wantKey >= 0 && idx != wantKey) {
					t.Fatalf("trial %d: row %d details: plaintext changed or wrong key (%d)", trial, i, idx)
				}
				if rows[i].payload == nil {
					if r.payload != nil {
						t.Fatalf("trial %d: row %d payload: NULL became a value", trial, i)
					}
					continue
				}
				if pt, idx := openEither(t, r.payload, old, nw); pt != want[i] || (wantKey >= 0 && idx != wantKey) {
					t.Fatalf("trial %d: row %d payload: plaintext changed or wrong key (%d)", trial, i, idx)
				}
			}
		}
		killed := 0
		for trial := range trials {
			// Kill after a random number of batches, a random time into
			// the next one (or during the check, for target 0).
			target := rng.Int64N(batches)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(),
				envChild+"="+string(b.dialect), envChildDSN+"="+dsn, envChildTable+"="+table,
				envChildForward+"="+map[bool]string{true: "1", false: "0"}[trial%2 == 0],
				envChildWorkers+"="+strconv.Itoa(crashWorkers[trial%len(crashWorkers)]))
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stdout)
			seen := int64(0)
			finished := false
			for sc.Scan() {
				line := sc.Text()
				if line == "done" {
					finished = true
					break
				}
				if seen >= target {
					time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
					cmd.Process.Kill() // SIGKILL; the child may have just finished
					break
				}
				seen++
			}
			go func() { // drain, so the child never blocks on a full pipe
				for sc.Scan() {
				}
			}()
			err = cmd.Wait()
			switch {
			case strings.Contains(fmt.Sprint(err), "killed"):
				killed++
			case err != nil:
				t.Fatalf("trial %d: child failed: %v\n%s", trial, err, stderr.String())
			case !finished:
				t.Logf("trial %d: the child finished just before the kill", trial)
			}
			verify(trial, -1)
		}
		if killed < trials*3/4 {
			t.Errorf("only %d of %d trials were killed mid-rotation", killed, trials)
		}
		// The final run completes: everything under the new key.
		sum := mustRotate(t, db, Options{Family: b.dialect, Config: cfgFor(table, secretOld, secretNew), NewSecret: secretNew, Online: true, Workers: 3})
		verify(trials, 1)
		t.Logf("%s: %d of %d trials killed mid-rotation; final run resealed %d, left %d current", b.dialect, killed, trials,
			sum.Columns[0].Resealed+sum.Columns[1].Resealed, sum.Columns[0].Current+sum.Columns[1].Current)
	})
}
