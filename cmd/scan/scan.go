package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// inMemoryURI names an unsaved snapshot in SARIF locations and messages.
const inMemoryURI = "snapshot.json"

type scanFlags struct {
	checkFlags
	snapshotOut string
	konnectURL  string
}

func newScanCmd(g *globals, stdout io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Collect every configured source, evaluate the rules and report the findings",
		Long: `Collect every source of the config (Konnect, and DNS: its hostnames plus the
Konnect custom domains) into one snapshot, optionally saved with --snapshot-out, then
evaluate and report exactly as check does.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/config/input error,
3 incomplete (a scope failed or a rule could not be evaluated; wins over 1).`,
		Example: `  KONNECT_TOKEN=kpat_… dcgw-scan scan --config dcgw-scan.yaml
  dcgw-scan scan --snapshot-out snapshot.json --format sarif --output dcgw.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runScan(cmd, g, f, stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.config, "config", "c", "dcgw-scan.yaml", "YAML config file (sources, rule parameters, policy_dirs, fail_on)")
	fl.StringVar(&f.snapshotOut, "snapshot-out", "", "also save the collected snapshot to this file (SARIF results then point at it)")
	fl.StringVar(&f.konnectURL, "konnect-url", "", "Konnect API base URL (overrides sources.konnect.url)")
	fl.StringArrayVarP(&f.policyDirs, "policy", "p", nil, "directory of custom Rego rules (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "text", "report format: text, json, sarif or markdown")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of stdout (written whole or not at all)")
	fl.StringVar(&f.failOn, "fail-on", "", `lowest severity that fails the run with exit 1: critical, high, medium, low, info or none (default "high", or fail_on from the config)`)
	fl.StringVar(&f.sarifURI, "sarif-uri", "", `repository-relative path SARIF results point at (default: the --snapshot-out path, else "snapshot.json")`)
	fl.StringVar(&f.category, "category", "dcgw-scan", "SARIF automationDetails category (one per upload to GitHub code scanning)")
	return cmd
}

// runScan settles the flags, config and rules before collecting anything, so a
// mistake costs no API calls; then collects, and evaluates as check does.
func runScan(cmd *cobra.Command, g *globals, f scanFlags, stdout io.Writer) error {
	ctx := cmd.Context()
	rs, err := setupReport(f.checkFlags)
	if err != nil {
		return err
	}
	plan, err := collectorsFor(ctx, g, rs.cfg, f.konnectURL)
	if err != nil {
		return usageError(err)
	}
	eng, err := rs.engine(ctx, f.checkFlags)
	if err != nil {
		return err
	}

	snap := plan.run(ctx, g)
	if ctx.Err() != nil {
		return interrupted("scan")
	}
	var (
		name    string
		uri     = f.sarifURI
		outside bool
	)
	data, err := snapshot.Marshal(snap)
	if err != nil {
		return usageError(err)
	}
	if f.snapshotOut != "" {
		if err := snapshot.WriteFile(f.snapshotOut, data); err != nil {
			return usageError(fmt.Errorf("save snapshot: %w", err))
		}
		g.logger.Info("snapshot written", "path", f.snapshotOut, "scopes", len(snap.Scopes))
		// The report's locations are the saved file's lines: parse the bytes written.
		name = f.snapshotOut
		if uri == "" {
			var inside bool
			uri, inside = artifactURI(f.snapshotOut)
			outside = !inside
		}
	} else {
		if uri == "" {
			uri = inMemoryURI
		}
		name = uri
	}
	doc, err := snapshot.Parse(name, data)
	if err != nil {
		return usageError(oneLine(err))
	}
	return evaluateAndReport(ctx, g, eng, rs, f.checkFlags, doc, name, uri, outside, stdout)
}
