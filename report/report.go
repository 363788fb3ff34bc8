// Package report writes a scan result for people (Text), machines (JSON) and CI job
// summaries (Markdown). SARIF lives in package sarif.
//
// Every writer is deterministic: findings, rules, scopes and not-evaluated entries are
// sorted, and nothing is read from a map into the output unsorted.
package report

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// ToolName names the tool in every report.
const ToolName = "dcgw-scan"

// Options tunes the reports.
type Options struct {
	// ToolVersion is the semantic version of dcgw-scan, e.g. "0.1.0".
	ToolVersion string
	// URI is the path finding locations point at (JSON report); default: the
	// document's path with forward slashes.
	URI string
}

// severities lists the severities from the most to the least severe.
var severities = []policies.Severity{
	policies.SeverityCritical, policies.SeverityHigh, policies.SeverityMedium,
	policies.SeverityLow, policies.SeverityInfo,
}

// view is what every writer shows, sorted once.
type view struct {
	tool     string
	version  string
	path     string // the snapshot file, forward slashes
	uri      string // where locations point
	name     string
	schema   string
	rules    []policies.Rule // by id
	ruleByID map[string]policies.Rule
	// findings sorted by rule id, resource, key, message (the SARIF order).
	findings []policies.Finding
	// bySeverity counts findings per severity (unknown severities count as medium).
	bySeverity   map[policies.Severity]int
	notEvaluated []policies.NotEvaluated // by rule, scope, reason
	scopes       []snapshot.Scope        // all, by key
	unhealthy    []snapshot.Scope        // failed or partial, by key
	failed       int
	partial      int
	incomplete   bool
	spans        map[string]snapshot.Span
}

func newView(res *policies.Result, doc *snapshot.Document, opts Options) (*view, error) {
	if res == nil {
		return nil, errors.New("nil result")
	}
	v := &view{
		tool:       ToolName,
		version:    opts.ToolVersion,
		ruleByID:   map[string]policies.Rule{},
		bySeverity: map[policies.Severity]int{},
		incomplete: res.Incomplete(),
	}
	if doc != nil {
		v.path = filepath.ToSlash(doc.Path)
		v.spans = doc.Spans
		if doc.Snapshot != nil {
			v.name = doc.Name
			v.schema = doc.SchemaVersion
			v.scopes = slices.Clone(doc.Scopes)
		}
	}
	v.uri = strings.ReplaceAll(opts.URI, `\`, "/")
	if v.uri == "" {
		v.uri = v.path
	}

	for _, r := range res.Rules {
		if _, dup := v.ruleByID[r.ID]; !dup {
			v.ruleByID[r.ID] = r
			v.rules = append(v.rules, r)
		}
	}
	slices.SortStableFunc(v.rules, func(a, b policies.Rule) int { return strings.Compare(a.ID, b.ID) })

	v.findings = slices.Clone(res.Findings)
	for i, f := range v.findings {
		if f.Severity.Rank() < 0 {
			f.Severity = v.ruleByID[f.RuleID].Severity
		}
		if f.Severity.Rank() < 0 {
			f.Severity = policies.SeverityMedium
		}
		v.findings[i] = f
		v.bySeverity[f.Severity]++
	}
	slices.SortStableFunc(v.findings, compareFindings)

	v.notEvaluated = slices.Clone(res.NotEvaluated)
	slices.SortStableFunc(v.notEvaluated, func(a, b policies.NotEvaluated) int {
		return compareAll(strings.Compare(a.RuleID, b.RuleID), strings.Compare(a.Scope, b.Scope), strings.Compare(a.Reason, b.Reason))
	})

	slices.SortStableFunc(v.scopes, func(a, b snapshot.Scope) int { return strings.Compare(a.Key(), b.Key()) })
	for _, s := range v.scopes {
		switch s.Status {
		case snapshot.ScopeFailed:
			v.failed++
			v.unhealthy = append(v.unhealthy, s)
		case snapshot.ScopePartial:
			v.partial++
			v.unhealthy = append(v.unhealthy, s)
		}
	}
	return v, nil
}

func compareFindings(a, b policies.Finding) int {
	return compareAll(
		strings.Compare(a.RuleID, b.RuleID),
		strings.Compare(a.ResourceID, b.ResourceID),
		strings.Compare(a.Key, b.Key),
		strings.Compare(a.Message, b.Message),
	)
}

func compareAll(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}

// title is the rule's title, or its id when the rule is unknown.
func (v *view) title(ruleID string) string {
	if t := strings.TrimSpace(v.ruleByID[ruleID].Title); t != "" {
		return t
	}
	return ruleID
}

// span is the resource's line range in the snapshot file, line 1 when unknown.
func (v *view) span(id string) snapshot.Span {
	if s, ok := v.spans[id]; ok && s.StartLine >= 1 {
		return snapshot.Span{StartLine: s.StartLine, EndLine: max(s.EndLine, s.StartLine)}
	}
	return snapshot.Span{StartLine: 1, EndLine: 1}
}

// where is provider/account/region with the empty parts left out.
func where(provider, account, region string) string {
	var parts []string
	for _, p := range []string{provider, account, region} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// oneLine folds runs of whitespace that contain a line break into one space.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// firstSentence is the first line of s, cut after its first sentence.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
