package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// progress draws bytes, rate and ETA on stderr. A nil *progress, which
// newProgress returns unless stderr is a terminal, does nothing.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress returns a bar for a transfer of total bytes (-1 if unknown),
// or nil when quiet or when stderr is not a terminal.
func newProgress(cmd *cobra.Command, quiet bool, total int64, desc string) *progress {
	f, ok := cmd.ErrOrStderr().(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(f), progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true),
		progressbar.OptionUseIECUnits(true), progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSpinnerType(14), progressbar.OptionFullWidth(),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(f) }))}
}

// reader counts what is read from r on the bar.
func (p *progress) reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return io.TeeReader(r, p.bar)
}

// done ends the bar's line, whether or not the transfer completed.
func (p *progress) done() {
	if p != nil && !p.bar.IsFinished() {
		p.bar.Exit()
	}
}
