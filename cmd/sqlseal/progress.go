package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/sqlseal/sqlseal/internal/rotate"
)

// progressReporter shows a rotation's progress on stderr: a progress bar
// (rows done of total, rows per second, time left) when stderr is a
// terminal; otherwise a log line when a phase starts, every few seconds
// (rows done of total, rows per second, time left) and when it ends (rows,
// seconds, rows per second).
type progressReporter struct {
	w        io.Writer
	prefix   string
	tty      bool
	bar      *progressbar.ProgressBar
	phase    rotate.Phase
	lastLine time.Time
	every    time.Duration
	now      func() time.Time

	started time.Time // when the current phase started
	done    int64     // rows done in the current phase
}

// newProgress returns a reporter writing to w, prefixing log lines with
// the command's name.
func newProgress(w io.Writer, command string) *progressReporter {
	p := &progressReporter{w: w, prefix: "sqlseal " + command + ": ", every: 5 * time.Second, now: time.Now}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

// phaseTitle describes a phase.
func phaseTitle(ph rotate.Phase) string {
	if ph == rotate.PhaseCheck {
		return "checking"
	}
	return "rotating"
}

// update is the rotate.Options.Progress callback.
func (p *progressReporter) update(pr rotate.Progress) {
	if pr.Phase != p.phase {
		p.finishPhase()
		p.phase = pr.Phase
		p.started, p.done = p.now(), 0
		if p.tty {
			p.bar = progressbar.NewOptions64(pr.Total,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(phaseTitle(pr.Phase)),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("rows"),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
		} else {
			fmt.Fprintf(p.w, "%s%s %d rows\n", p.prefix, phaseTitle(pr.Phase), pr.Total)
			p.lastLine = p.now()
		}
	}
	p.done = pr.Done
	if p.tty {
		if pr.Total > p.bar.GetMax64() {
			p.bar.ChangeMax64(pr.Total)
		}
		p.bar.Set64(pr.Done)
		return
	}
	if now := p.now(); now.Sub(p.lastLine) >= p.every {
		fmt.Fprintf(p.w, "%s%s: %d of %d rows, %s\n", p.prefix, phaseTitle(pr.Phase), pr.Done, pr.Total, rateAndLeft(pr.Done, pr.Total, now.Sub(p.started)))
		p.lastLine = now
	}
}

// rateAndLeft describes the rate of done rows in elapsed and the time
// the remaining rows of total will take at that rate.
func rateAndLeft(done, total int64, elapsed time.Duration) string {
	if done <= 0 || elapsed <= 0 {
		return "rate not known yet"
	}
	rate := float64(done) / elapsed.Seconds()
	left := time.Duration(float64(max(total-done, 0)) / rate * float64(time.Second))
	return fmt.Sprintf("%.0f rows/s, about %s left", rate, left.Round(time.Second))
}

// finishPhase ends the bar of the current phase, or logs its rate.
func (p *progressReporter) finishPhase() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	if !p.tty && p.phase != "" {
		elapsed := p.now().Sub(p.started)
		rate := 0.0
		if elapsed > 0 {
			rate = float64(p.done) / elapsed.Seconds()
		}
		fmt.Fprintf(p.w, "%s%s: %d rows in %.2fs (%.0f rows/s)\n", p.prefix, phaseTitle(p.phase), p.done, elapsed.Seconds(), rate)
		p.phase = ""
	}
}
