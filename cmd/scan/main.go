// Command dcgw-scan checks the private connectivity of Kong Konnect Dedicated Cloud
// Gateways against policy and reports findings as SARIF, text, JSON or Markdown.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode maps run's error to the process exit code, printing user-facing errors.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "dcgw-scan: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "dcgw-scan: %v\n", err)
	return exitUsage
}
