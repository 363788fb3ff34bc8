// Package app is the pipeline of dcgw-scan as a library: config loading, collection
// planning, the one snapshot-assembly path (merge, id normalisation, dedupe, sort,
// validation), evaluation and reporting. cmd/scan binds flags to its options, writes
// what it returns and maps its errors and verdicts to exit codes.
package app

import (
	"errors"
	"fmt"
	"log/slog"
)

// ErrInterrupted is the error of a run stopped through its context before it wrote
// anything; the error names the run ("scan interrupted: nothing written").
var ErrInterrupted = errors.New("interrupted: nothing written")

// interrupted is ErrInterrupted for the run named what.
func interrupted(what string) error { return fmt.Errorf("%s %w", what, ErrInterrupted) }

// orDiscard is l, or a logger that drops everything when l is nil.
func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
