package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// checkFlags are the flags check and scan share.
type checkFlags struct {
	app.CheckOptions
	output string
}

// bind defines the flags on cmd; configDefault and configUsage describe --config,
// sarifURIUsage --sarif-uri.
func (f *checkFlags) bind(cmd *cobra.Command, configDefault, configUsage, sarifURIUsage string) {
	fl := cmd.Flags()
	fl.StringVarP(&f.Config, "config", "c", configDefault, configUsage)
	fl.StringArrayVarP(&f.PolicyDirs, "policy", "p", nil, "directory of custom Rego rules (repeatable)")
	fl.StringVarP(&f.Format, "format", "f", "text", "report format: text, json, sarif or markdown")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of stdout (written whole or not at all)")
	fl.StringVar(&f.FailOn, "fail-on", "", `lowest severity that fails the run with exit 1: critical, high, medium, low, info or none (default "high", or fail_on from the config)`)
	fl.StringVar(&f.SARIFURI, "sarif-uri", "", sarifURIUsage)
	fl.StringVar(&f.Category, "category", "dcgw-scan", "SARIF automationDetails category (one per upload to GitHub code scanning)")
}

// options are the flags as the library takes them, with the logger of g.
func (f checkFlags) options(g *globals) app.CheckOptions {
	o := f.CheckOptions
	o.ToolVersion, o.Logger = version, g.logger
	return o
}

func newCheckCmd(g *globals, stdout io.Writer) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check SNAPSHOT",
		Short: "Evaluate the rules on a snapshot and report the findings",
		Long: `Evaluate the built-in rules (and any --policy directories) on a snapshot file
and write a report.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/config/input error,
3 incomplete (a scope failed or a rule could not be evaluated; wins over 1).`,
		Example: `  dcgw-scan check testdata/estates/demo/snapshot.json --config testdata/estates/demo/dcgw-scan.yaml
  dcgw-scan check snapshot.json --format sarif --output dcgw.sarif --fail-on critical`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := app.Check(cmd.Context(), args[0], f.options(g))
			return writeReport(rep, err, f.output, stdout)
		},
	}
	f.bind(cmd, "", "YAML config file (rule parameters, policy_dirs, fail_on)",
		"repository-relative path SARIF results point at (default: the snapshot path)")
	return cmd
}

// writeReport writes the report of a check or scan to stdout, or whole to output, and
// returns its verdict as an exit status.
func writeReport(rep *app.Report, err error, output string, stdout io.Writer) error {
	if err != nil {
		return appError(err)
	}
	if output == "" {
		if _, err := stdout.Write(rep.Data); err != nil {
			return err
		}
	} else if err := snapshot.WriteFile(output, rep.Data); err != nil {
		return usageError(fmt.Errorf("write report: %w", err))
	}
	switch rep.Verdict {
	case app.Incomplete:
		return &exitError{code: exitIncomplete}
	case app.Findings:
		return &exitError{code: exitFindings}
	}
	return nil
}
