package main

import (
	"errors"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
)

// Exit codes (README "Exit codes").
const (
	exitClean      = 0 // no finding at or above --fail-on, every scope read
	exitFindings   = 1 // findings at or above --fail-on
	exitUsage      = 2 // usage, config or input error
	exitIncomplete = 3 // some scope failed or a rule was not evaluated somewhere
	// exitNotAdmitted is path's answer "the traffic is not admitted".
	exitNotAdmitted = 1
	// exitInterrupted is the shell's code for a process ended by SIGINT (128+2): a
	// collection stopped by Ctrl-C or SIGTERM writes nothing.
	exitInterrupted = 130
)

// appError is the exit status of an error of the app library: 130 for a run stopped
// by a signal before it wrote anything, else a usage, config or input error.
func appError(err error) error {
	if errors.Is(err, app.ErrInterrupted) {
		return &exitError{code: exitInterrupted, err: err}
	}
	return usageError(err)
}

// exitError carries an exit code to main. A nil err prints nothing (the report said it).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return "exit status " + string(rune('0'+e.code))
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// ErrIncomplete marks a scan in which some rule could not be evaluated somewhere.
var ErrIncomplete = errors.New("scan incomplete")
