package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/reach"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// JSONReport is the document JSON writes. Its field order is fixed; lists are never null.
type JSONReport struct {
	Tool         JSONTool                `json:"tool"`
	Snapshot     JSONSnapshot            `json:"snapshot"`
	Summary      JSONSummary             `json:"summary"`
	Rules        []JSONRule              `json:"rules"`
	Findings     []JSONFinding           `json:"findings"`
	NotEvaluated []policies.NotEvaluated `json:"not_evaluated"`
	Scopes       []JSONScope             `json:"scopes"`
}

// JSONTool names the tool.
type JSONTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// JSONSnapshot names the snapshot that was scanned.
type JSONSnapshot struct {
	Path          string `json:"path"`
	Name          string `json:"name"`
	SchemaVersion string `json:"schema_version"`
}

// JSONSummary counts what the scan found and what it could not check.
type JSONSummary struct {
	Findings     int            `json:"findings"`
	BySeverity   JSONBySeverity `json:"by_severity"`
	NotEvaluated int            `json:"not_evaluated"`
	// FailedScopes counts scopes whose collection failed; PartialScopes those that
	// returned partial data.
	FailedScopes  int `json:"failed_scopes"`
	PartialScopes int `json:"partial_scopes"`
	// Incomplete is true when some rule was not evaluated somewhere (the exit-3 case):
	// the absence of findings then proves nothing.
	Incomplete bool `json:"incomplete"`
}

// JSONBySeverity counts findings per severity, most severe first.
type JSONBySeverity struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

// JSONRule is a rule's metadata.
type JSONRule struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Severity     policies.Severity `json:"severity"`
	Connectivity []string          `json:"connectivity"`
	Providers    []string          `json:"providers"`
	Remediation  string            `json:"remediation"`
	Links        []string          `json:"links"`
	HelpURI      string            `json:"help_uri"`
	Builtin      bool              `json:"builtin"`
}

// JSONFinding is one finding with its rule title, location and fingerprint.
type JSONFinding struct {
	RuleID     string            `json:"rule_id"`
	Severity   policies.Severity `json:"severity"`
	Title      string            `json:"title"`
	ResourceID string            `json:"resource_id"`
	Key        string            `json:"key"`
	Message    string            `json:"message"`
	Provider   string            `json:"provider"`
	Account    string            `json:"account"`
	Region     string            `json:"region"`
	Evidence   map[string]any    `json:"evidence"`
	// Path is the ordered hops of the traffic behind the verdict (path rules only).
	Path     []JSONHop    `json:"path,omitempty"`
	Location JSONLocation `json:"location"`
	// Fingerprint is the SARIF primaryLocationLineHash: stable across runs for the same
	// rule, resource and key.
	Fingerprint string `json:"fingerprint"`
}

// JSONHop is one hop of a finding's path: the reachability model's hop, its one-line
// text, and where its resource sits in the snapshot file.
type JSONHop struct {
	reach.Hop
	Text     string       `json:"text"`
	Location JSONLocation `json:"location"`
}

// JSONLocation is where the resource sits in the snapshot file.
type JSONLocation struct {
	URI       string `json:"uri"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
}

// JSONScope is one collection scope and how it went.
type JSONScope struct {
	Key         string                `json:"key"`
	Provider    string                `json:"provider"`
	Account     string                `json:"account"`
	Region      string                `json:"region"`
	Service     string                `json:"service"`
	Status      string                `json:"status"`
	Collections []string              `json:"collections"`
	Errors      []snapshot.ScopeError `json:"errors"`
}

// JSON writes the report for machines, indented by two spaces.
func JSON(w io.Writer, res *policies.Result, doc *snapshot.Document, opts Options) error {
	v, err := newView(res, doc, opts)
	if err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v.jsonReport()); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}

func (v *view) jsonReport() JSONReport {
	r := JSONReport{
		Tool:     JSONTool{Name: v.tool, Version: v.version},
		Snapshot: JSONSnapshot{Path: v.path, Name: v.name, SchemaVersion: v.schema},
		Summary: JSONSummary{
			Findings: len(v.findings),
			BySeverity: JSONBySeverity{
				Critical: v.bySeverity[policies.SeverityCritical],
				High:     v.bySeverity[policies.SeverityHigh],
				Medium:   v.bySeverity[policies.SeverityMedium],
				Low:      v.bySeverity[policies.SeverityLow],
				Info:     v.bySeverity[policies.SeverityInfo],
			},
			NotEvaluated:  len(v.notEvaluated),
			FailedScopes:  v.failed,
			PartialScopes: v.partial,
			Incomplete:    v.incomplete,
		},
		Rules:        []JSONRule{},
		Findings:     []JSONFinding{},
		NotEvaluated: append([]policies.NotEvaluated{}, v.notEvaluated...),
		Scopes:       []JSONScope{},
	}
	for _, rule := range v.rules {
		r.Rules = append(r.Rules, JSONRule{
			ID: rule.ID, Title: rule.Title, Description: rule.Description, Severity: rule.Severity,
			Connectivity: orEmpty(rule.Connectivity), Providers: orEmpty(rule.Providers),
			Remediation: rule.Remediation, Links: orEmpty(rule.Links),
			HelpURI: rule.HelpURI(), Builtin: rule.Builtin,
		})
	}
	for _, f := range v.findings {
		sp := v.span(f.ResourceID)
		ev := f.Evidence
		if ev == nil {
			ev = map[string]any{}
		}
		r.Findings = append(r.Findings, JSONFinding{
			RuleID: f.RuleID, Severity: f.Severity, Title: v.title(f.RuleID),
			ResourceID: f.ResourceID, Key: f.Key, Message: f.Message,
			Provider: f.Provider, Account: f.Account, Region: f.Region, Evidence: ev,
			Path:        v.jsonPath(f.Path),
			Location:    JSONLocation{URI: v.uri, StartLine: sp.StartLine, EndLine: sp.EndLine},
			Fingerprint: f.Fingerprint(),
		})
	}
	for _, s := range v.scopes {
		errs := s.Errors
		if errs == nil {
			errs = []snapshot.ScopeError{}
		}
		r.Scopes = append(r.Scopes, JSONScope{
			Key: s.Key(), Provider: s.Provider, Account: s.Account, Region: s.Region, Service: s.Service,
			Status: s.Status, Collections: orEmpty(s.Collections), Errors: errs,
		})
	}
	return r
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (v *view) jsonPath(hops []reach.Hop) []JSONHop {
	var out []JSONHop
	for _, h := range hops {
		sp := v.span(h.ResourceID)
		out = append(out, JSONHop{Hop: h, Text: h.String(),
			Location: JSONLocation{URI: v.uri, StartLine: sp.StartLine, EndLine: sp.EndLine}})
	}
	return out
}
