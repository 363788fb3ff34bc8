package app

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/report"
	"github.com/dcgw-scan/dcgw-scan/sarif"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// CheckOptions are the settings of Check and Scan.
type CheckOptions struct {
	// Config is the config file; empty: the defaults.
	Config string
	// PolicyDirs are directories of custom rules, added to the config's policy_dirs.
	PolicyDirs []string
	// Format is the report format: text, json, sarif or markdown.
	Format string
	// FailOn overrides the config's fail_on: a severity or "none".
	FailOn string
	// SARIFURI is the repository-relative path SARIF results point at; empty: the
	// snapshot's path.
	SARIFURI string
	// Category is the SARIF automationDetails category.
	Category string
	// ToolVersion is the version the reports name.
	ToolVersion string
	// Logger gets the progress and the warnings; nil discards them.
	Logger *slog.Logger
}

// Verdict is what a check found, in exit-code order: Incomplete wins over Findings.
type Verdict int

const (
	// Clean: no finding at or above fail-on, every scope read and every rule evaluated.
	Clean Verdict = iota
	// Findings: findings at or above fail-on.
	Findings
	// Incomplete: some scope failed or some rule was not evaluated somewhere.
	Incomplete
)

// Report is the rendered report of a check and its verdict.
type Report struct {
	Data    []byte
	Verdict Verdict
}

// Check evaluates the snapshot file at path (with the Konnect side the config
// declares, if any) and renders the report. Every error is the user's to fix: a bad
// option, config, snapshot or rule.
func Check(ctx context.Context, path string, opts CheckOptions) (*Report, error) {
	s, err := opts.setup()
	if err != nil {
		return nil, err
	}
	doc, err := snapshot.Load(path)
	if err != nil {
		return nil, oneLine(err)
	}
	if d := s.cfg.declared; d != nil {
		if err := addDeclaredKonnect(doc.Snapshot, d); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		s.log.Info("using the Konnect side declared in the config", "config", opts.Config,
			"networks", len(d.konnect.Networks), "collections", strings.Join(d.collections, ","))
	}
	eng, err := s.cfg.Engine(ctx, opts.PolicyDirs)
	if err != nil {
		return nil, err
	}
	uri, outside := sarifURI(opts.SARIFURI, doc)
	return s.evaluate(ctx, eng, doc, path, uri, outside)
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

// sarifURI is what SARIF results name a snapshot document by: explicit when set, else
// "" (the SARIF writer derives it from doc.Path with sarif.ArtifactURI). A document
// outside the working directory is named by its base name; outside is true then, so
// the caller can suggest --sarif-uri.
func sarifURI(explicit string, doc *snapshot.Document) (uri string, outside bool) {
	if explicit != "" {
		return explicit, false
	}
	if _, err := sarif.ArtifactURI("", doc); errors.Is(err, sarif.ErrOutside) {
		return filepath.Base(doc.Path), true
	}
	return "", false
}

// reportSetup is what Check and Scan settle from the options and the config before
// reading or collecting a snapshot.
type reportSetup struct {
	opts   CheckOptions
	log    *slog.Logger
	render renderFunc
	cfg    Config
	failOn policies.Severity
}

// setup validates the report options and loads the config.
func (o CheckOptions) setup() (reportSetup, error) {
	render, err := renderer(o.Format, o.ToolVersion)
	if err != nil {
		return reportSetup{}, err
	}
	cfg, err := LoadConfig(o.Config)
	if err != nil {
		return reportSetup{}, err
	}
	failOn := policies.SeverityHigh
	for _, s := range []string{cfg.FailOn, o.FailOn} {
		if s == "" {
			continue
		}
		if failOn, err = parseFailOn(s); err != nil {
			return reportSetup{}, fmt.Errorf("--fail-on: %w", err)
		}
	}
	return reportSetup{opts: o, log: orDiscard(o.Logger), render: render, cfg: cfg, failOn: failOn}, nil
}

// Engine compiles the built-in rules, the config's policy_dirs and dirs.
func (c Config) Engine(ctx context.Context, dirs []string) (*policies.Engine, error) {
	eng, err := policies.New(ctx, policies.Options{
		Dirs:       append(append([]string{}, c.PolicyDirs...), dirs...),
		Params:     c.Params,
		Disabled:   c.DisabledRules,
		Severities: c.Severities,
	})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", oneLine(err))
	}
	return eng, nil
}

// RunTests runs the Rego tests of the built-in rules and of dirs (not the config's
// policy_dirs), data.config set from the config.
func (c Config) RunTests(ctx context.Context, dirs []string) ([]policies.TestResult, error) {
	results, err := policies.RunTests(ctx, policies.Options{Dirs: dirs, Params: c.Params})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", oneLine(err))
	}
	return results, nil
}

// evaluate evaluates doc (named name in messages) and renders the report (SARIF
// locations point at uri, or doc's path when uri is empty; outside says the snapshot
// file lies outside the working directory, so uri is only its base name). Check and
// Scan share it, so their reports and verdicts agree.
func (s reportSetup) evaluate(ctx context.Context, eng *policies.Engine, doc *snapshot.Document, name, uri string, outside bool) (*Report, error) {
	// The reports need only the snapshot's scopes and spans from here on: the
	// conversion gives the entities' memory back as it goes (it matters on large
	// estates).
	in, err := eng.ConsumeInput(doc.Snapshot)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", name, err)
	}
	res, err := eng.EvaluateInput(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", name, err)
	}
	s.log.Info("evaluated", "snapshot", name, "rules", len(res.Rules),
		"findings", len(res.Findings), "not_evaluated", len(res.NotEvaluated))
	if res.Incomplete() {
		s.log.Warn("scan incomplete: some scopes failed or were not collected, so some rules were not evaluated there (exit 3); the report lists them",
			"incomplete_scopes", len(res.IncompleteScopes), "not_evaluated", len(res.NotEvaluated))
	}
	if outside && s.opts.Format == "sarif" {
		s.log.Warn("the snapshot is outside the working directory: SARIF results name it by its base name; set --sarif-uri to its path in the repository",
			"snapshot", name, "uri", uri)
	}
	if s.opts.Format == "sarif" {
		warnSARIFLimits(s.log, len(res.Findings))
	}
	var buf bytes.Buffer
	if err := s.render(&buf, res, doc, uri, s.opts.Category); err != nil {
		return nil, fmt.Errorf("write %s report: %w", s.opts.Format, err)
	}
	return &Report{Data: buf.Bytes(), Verdict: verdict(res, s.failOn)}, nil
}

// GitHub code scanning's limits on the results of one SARIF run.
const (
	githubShownResults = 5000
	githubMaxResults   = 25000
)

// warnSARIFLimits warns when GitHub code scanning would cut or reject the upload.
func warnSARIFLimits(log *slog.Logger, results int) {
	switch {
	case results > githubMaxResults:
		log.Warn("GitHub code scanning rejects a SARIF run with more than 25,000 results: shard the scan by account, one --category per SARIF file",
			"results", results)
	case results > githubShownResults:
		log.Warn("GitHub code scanning keeps only the 5,000 most severe results of a run", "results", results)
	}
}

// verdict is the verdict of a result: incomplete wins over findings at or above
// failOn; an empty failOn ("none") never fails on findings.
func verdict(res *policies.Result, failOn policies.Severity) Verdict {
	if res.Incomplete() {
		return Incomplete
	}
	if failOn == "" {
		return Clean
	}
	for _, fd := range res.Findings {
		if fd.Severity.Rank() >= failOn.Rank() {
			return Findings
		}
	}
	return Clean
}

type renderFunc func(w io.Writer, res *policies.Result, doc *snapshot.Document, uri, category string) error

// renderer is the writer of format; the reports name the tool's version.
func renderer(format, version string) (renderFunc, error) {
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
