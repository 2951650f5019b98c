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
// (rows done of total, rate, time left) when stderr is a terminal, a log
// line per phase and every few seconds otherwise.
type progressReporter struct {
	w        io.Writer
	prefix   string
	tty      bool
	bar      *progressbar.ProgressBar
	phase    rotate.Phase
	lastLine time.Time
	every    time.Duration
}

// newProgress returns a reporter writing to w, prefixing log lines with
// the command's name.
func newProgress(w io.Writer, command string) *progressReporter {
	p := &progressReporter{w: w, prefix: "sqlseal " + command + ": ", every: 5 * time.Second}
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
			p.lastLine = time.Now()
		}
	}
	if p.tty {
		if pr.Total > p.bar.GetMax64() {
			p.bar.ChangeMax64(pr.Total)
		}
		p.bar.Set64(pr.Done)
		return
	}
	if time.Since(p.lastLine) >= p.every {
		fmt.Fprintf(p.w, "%s%s: %d of %d rows\n", p.prefix, phaseTitle(pr.Phase), pr.Done, pr.Total)
		p.lastLine = time.Now()
	}
}

// finishPhase ends the bar of the current phase.
func (p *progressReporter) finishPhase() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}
