package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/report"
	"github.com/dcgw-scan/dcgw-scan/sarif"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

type checkFlags struct {
	config     string
	policyDirs []string
	format     string
	output     string
	failOn     string
	sarifURI   string
	category   string
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
			return runCheck(cmd, g, args[0], f, stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.config, "config", "c", "", "YAML config file (rule parameters, policy_dirs, fail_on)")
	fl.StringArrayVarP(&f.policyDirs, "policy", "p", nil, "directory of custom Rego rules (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "text", "report format: text, json, sarif or markdown")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of stdout (written whole or not at all)")
	fl.StringVar(&f.failOn, "fail-on", "", `lowest severity that fails the run with exit 1: critical, high, medium, low, info or none (default "high", or fail_on from the config)`)
	fl.StringVar(&f.sarifURI, "sarif-uri", "", "repository-relative path SARIF results point at (default: the snapshot path)")
	fl.StringVar(&f.category, "category", "dcgw-scan", "SARIF automationDetails category (one per upload to GitHub code scanning)")
	return cmd
}

func runCheck(cmd *cobra.Command, g *globals, path string, f checkFlags, stdout io.Writer) error {
	ctx := cmd.Context()
	rs, err := setupReport(f)
	if err != nil {
		return err
	}
	doc, err := snapshot.Load(path)
	if err != nil {
		return usageError(oneLine(err))
	}
	if d := rs.cfg.declared; d != nil {
		if err := addDeclaredKonnect(doc.Snapshot, d); err != nil {
			return usageError(fmt.Errorf("%s: %w", path, err))
		}
		g.logger.Info("using the Konnect side declared in the config", "config", f.config,
			"networks", len(d.konnect.Networks), "collections", strings.Join(d.collections, ","))
	}
	eng, err := rs.engine(ctx, f)
	if err != nil {
		return err
	}
	uri, inside := f.sarifURI, true
	if uri == "" {
		uri, inside = artifactURI(path)
	}
	return evaluateAndReport(ctx, g, eng, rs, f, doc, path, uri, !inside, stdout)
}

// addDeclaredKonnect gives a snapshot without a Konnect side the one the config
// declares, with its scope. A snapshot with a Konnect side of its own is an error:
// which of the two the rules should see would be a guess.
func addDeclaredKonnect(s *snapshot.Snapshot, d *declaredKonnect) error {
	for _, sc := range s.Scopes {
		if sc.Provider == "konnect" {
			return fmt.Errorf("the snapshot has a Konnect side (scope %s) and the config declares one (konnect, line %d): drop konnect from the config, or check a snapshot without a Konnect side",
				sc.Key(), d.line)
		}
	}
	k := s.Konnect
	if len(k.Networks) > 0 || len(k.CustomDomains) > 0 || len(k.Availability) > 0 {
		return fmt.Errorf("the snapshot has Konnect data (without a Konnect scope) and the config declares a Konnect side (konnect, line %d): drop konnect from the config, or check a snapshot without Konnect data",
			d.line)
	}
	s.Konnect = d.konnect
	s.Scopes = append(s.Scopes, d.scope())
	slices.SortStableFunc(s.Scopes, func(a, b snapshot.Scope) int {
		return cmp.Or(strings.Compare(a.Provider, b.Provider), strings.Compare(a.Account, b.Account),
			strings.Compare(a.Region, b.Region), strings.Compare(a.Service, b.Service))
	})
	return nil
}

// reportSetup is what check and scan settle from the flags and the config before
// reading or collecting a snapshot.
type reportSetup struct {
	render renderFunc
	cfg    config
	failOn policies.Severity
}

// setupReport validates the report flags and loads the config; every error is a
// usage error.
func setupReport(f checkFlags) (reportSetup, error) {
	render, err := renderer(f.format)
	if err != nil {
		return reportSetup{}, usageError(err)
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return reportSetup{}, usageError(err)
	}
	failOn := policies.SeverityHigh
	for _, s := range []string{cfg.FailOn, f.failOn} {
		if s == "" {
			continue
		}
		if failOn, err = parseFailOn(s); err != nil {
			return reportSetup{}, usageError(fmt.Errorf("--fail-on: %w", err))
		}
	}
	return reportSetup{render: render, cfg: cfg, failOn: failOn}, nil
}

// engine compiles the built-in rules, the config's policy_dirs and --policy.
func (rs reportSetup) engine(ctx context.Context, f checkFlags) (*policies.Engine, error) {
	eng, err := policies.New(ctx, policies.Options{
		Dirs:       append(append([]string{}, rs.cfg.PolicyDirs...), f.policyDirs...),
		Params:     rs.cfg.Params,
		Disabled:   rs.cfg.DisabledRules,
		Severities: rs.cfg.Severities,
	})
	if err != nil {
		return nil, usageError(fmt.Errorf("load policies: %w", oneLine(err)))
	}
	return eng, nil
}

// evaluateAndReport evaluates doc (named name in messages), writes the report (SARIF
// locations point at uri; outside says the snapshot file lies outside the working
// directory, so uri is only its base name) to stdout or whole to --output, and returns
// the verdict. check and scan share it, so their reports and exit codes agree.
func evaluateAndReport(ctx context.Context, g *globals, eng *policies.Engine, rs reportSetup, f checkFlags,
	doc *snapshot.Document, name, uri string, outside bool, stdout io.Writer) error {
	// The reports need only the snapshot's scopes and spans from here on: the
	// conversion gives the entities' memory back as it goes (it matters on large
	// estates).
	in, err := policies.ConsumeInput(doc.Snapshot)
	if err != nil {
		return usageError(fmt.Errorf("evaluate %s: %w", name, err))
	}
	res, err := eng.EvaluateInput(ctx, in)
	if err != nil {
		return usageError(fmt.Errorf("evaluate %s: %w", name, err))
	}
	g.logger.Info("evaluated", "snapshot", name, "rules", len(res.Rules),
		"findings", len(res.Findings), "not_evaluated", len(res.NotEvaluated))
	if res.Incomplete() {
		g.logger.Warn("scan incomplete: some scopes failed or were not collected, so some rules were not evaluated there (exit 3); the report lists them",
			"incomplete_scopes", len(res.IncompleteScopes), "not_evaluated", len(res.NotEvaluated))
	}
	if outside && f.format == "sarif" {
		g.logger.Warn("the snapshot is outside the working directory: SARIF results name it by its base name; set --sarif-uri to its path in the repository",
			"snapshot", name, "uri", uri)
	}
	if f.format == "sarif" {
		warnSARIFLimits(g, len(res.Findings))
	}
	var buf bytes.Buffer
	if err := rs.render(&buf, res, doc, uri, f.category); err != nil {
		return fmt.Errorf("write %s report: %w", f.format, err)
	}
	if f.output == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := snapshot.WriteFile(f.output, buf.Bytes()); err != nil {
		return usageError(fmt.Errorf("write report: %w", err))
	}
	return verdict(res, rs.failOn)
}

// GitHub code scanning's limits on the results of one SARIF run.
const (
	githubShownResults = 5000
	githubMaxResults   = 25000
)

// warnSARIFLimits warns when GitHub code scanning would cut or reject the upload.
func warnSARIFLimits(g *globals, results int) {
	switch {
	case results > githubMaxResults:
		g.logger.Warn("GitHub code scanning rejects a SARIF run with more than 25,000 results: shard the scan by account, one --category per SARIF file",
			"results", results)
	case results > githubShownResults:
		g.logger.Warn("GitHub code scanning keeps only the 5,000 most severe results of a run", "results", results)
	}
}

// verdict is the exit status of a check: incomplete (3) wins over findings (1).
func verdict(res *policies.Result, failOn policies.Severity) error {
	if res.Incomplete() {
		return &exitError{code: exitIncomplete}
	}
	if failOn == "" {
		return nil
	}
	for _, fd := range res.Findings {
		if fd.Severity.Rank() >= failOn.Rank() {
			return &exitError{code: exitFindings}
		}
	}
	return nil
}

type renderFunc func(w io.Writer, res *policies.Result, doc *snapshot.Document, uri, category string) error

func renderer(format string) (renderFunc, error) {
	switch format {
	case "sarif":
		return func(w io.Writer, res *policies.Result, doc *snapshot.Document, uri, category string) error {
			return sarif.Write(w, res, doc, sarif.Options{ToolVersion: version, URI: uri, Category: category})
		}, nil
	case "text", "json", "markdown":
		write := map[string]func(io.Writer, *policies.Result, *snapshot.Document, report.Options) error{
			"text": report.Text, "json": report.JSON, "markdown": report.Markdown,
		}[format]
		return func(w io.Writer, res *policies.Result, doc *snapshot.Document, _, _ string) error {
			return write(w, res, doc, report.Options{ToolVersion: version})
		}, nil
	}
	return nil, fmt.Errorf("--format: %q is not text, json, sarif or markdown", format)
}

// artifactURI is the snapshot path as a forward-slash path relative to the working
// directory, which is what GitHub code scanning resolves against the repository root.
// A snapshot outside the working directory is named by its base name; ok is false then,
// so the caller can suggest --sarif-uri.
func artifactURI(path string) (uri string, ok bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Base(path), false
	}
	rel, err := filepath.Rel(mustGetwd(), abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.Base(path), false
	}
	return filepath.ToSlash(rel), true
}
