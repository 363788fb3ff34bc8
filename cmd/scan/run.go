package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// globals are the flags every command shares.
type globals struct {
	logLevel  string
	logFormat string
	logger    *slog.Logger
}

// defaultMemoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT says
// otherwise. Without it the heap may grow to twice the live data before the collector
// runs; with it a 10k-network estate is checked in under 1 GiB (make bench-mem). The
// limit is soft: a larger estate still runs, the collector just works harder.
const defaultMemoryLimit = 900 << 20

// run is the whole program: it parses args, runs one command and returns an error that
// main turns into an exit code. It never calls os.Exit.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	g := &globals{}
	root := &cobra.Command{
		Use:   "dcgw-scan",
		Short: "Check the private connectivity of Kong Konnect Dedicated Cloud Gateways",
		Long: `dcgw-scan checks the private connectivity of Kong Konnect Dedicated Cloud Gateways
(network peering, hub-and-spoke, private endpoints) against policy written in Rego,
and reports findings as SARIF for GitHub code scanning, text, JSON or Markdown.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/config/input error,
3 incomplete (a scope failed or a rule could not be evaluated).`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			level := g.logLevel
			// A person watching scan or collect on a terminal sees its progress
			// (sources started and done, incomplete scopes); pipes and CI stay quiet
			// unless --log-level asks for more.
			if !cmd.Flags().Changed("log-level") && showsProgress(cmd) && isTerminal(stderr) {
				level = "info"
			}
			l, err := newLogger(stderr, level, g.logFormat)
			if err != nil {
				return usageError(err)
			}
			g.logger = l
			return nil
		},
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetContext(ctx)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log format on stderr: text or json")

	root.AddCommand(
		newCheckCmd(g, stdout),
		newCollectCmd(g),
		newScanCmd(g, stdout),
		newInitCmd(stdout),
		newPolicyCmd(g, stdout),
		newSchemaCmd(stdout),
		newIAMPolicyCmd(stdout),
		newMergeCmd(g),
		newPathCmd(g, stdout),
	)
	cmd, err := root.ExecuteC()
	if err != nil {
		if _, ok := err.(*exitError); ok {
			return err
		}
		// cobra's own errors (unknown command, bad args) are usage errors.
		if cmd != nil && isCobraUsage(err) {
			return usageError(fmt.Errorf("%s (see %s --help)", cobraOneLine(err), cmd.CommandPath()))
		}
		return err
	}
	return nil
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// cobraOneLine puts cobra's suggestions ("…\n\nDid you mean this?\n\tscan\n") on
// the error's line: errors are one line.
func cobraOneLine(err error) string {
	head, sugg, found := strings.Cut(err.Error(), "\n\nDid you mean this?\n")
	if !found {
		return strings.TrimSpace(err.Error())
	}
	return head + "; did you mean " + strings.Join(strings.Fields(sugg), " or ") + "?"
}

func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// showsProgress reports whether cmd collects, the long-running commands whose
// progress a person wants to see.
func showsProgress(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Name() == "scan" || c.Name() == "collect" {
			return true
		}
	}
	return false
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newLogger builds the stderr logger: text (the default) or JSON.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", format)
}
