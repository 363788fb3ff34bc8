package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Text writes a plain-text report for a person at a terminal: a header with counts,
// findings grouped by severity (critical first) and then by resource, each with the
// first step of its fix; the rules not evaluated, the scopes that failed, and a closing
// summary that says so plainly when the scan is incomplete. No colours, no wrapping.
func Text(w io.Writer, res *policies.Result, doc *snapshot.Document, opts Options) error {
	v, err := newView(res, doc, opts)
	if err != nil {
		return fmt.Errorf("text report: %w", err)
	}
	b := bufio.NewWriter(w)

	head := v.tool
	if v.version != "" {
		head += " " + v.version
	}
	switch {
	case v.name != "" && v.path != "":
		head += fmt.Sprintf(": snapshot %s (%s)", v.name, v.path)
	case v.name != "":
		head += ": snapshot " + v.name
	case v.path != "":
		head += ": snapshot " + v.path
	}
	fmt.Fprintln(b, head)
	fmt.Fprintf(b, "findings: %d (%s)\n", len(v.findings), v.severityCounts())
	fmt.Fprintf(b, "rules: %d, not evaluated: %d, scopes failed: %d, partial: %d\n",
		len(v.rules), len(v.notEvaluated), v.failed, v.partial)

	// Group by severity, then resource; inside a resource keep the rule/key order.
	for _, sev := range severities {
		var group []policies.Finding
		for _, f := range v.findings {
			if f.Severity == sev {
				group = append(group, f)
			}
		}
		if len(group) == 0 {
			continue
		}
		slices.SortStableFunc(group, func(a, b policies.Finding) int {
			return compareAll(strings.Compare(a.ResourceID, b.ResourceID), compareFindings(a, b))
		})
		fmt.Fprintf(b, "\n%s (%d)\n", strings.ToUpper(string(sev)), len(group))
		for i, f := range group {
			if i == 0 || f.ResourceID != group[i-1].ResourceID {
				line := "  " + f.ResourceID
				if loc := where(f.Provider, f.Account, f.Region); loc != "" {
					line += " (" + loc + ")"
				}
				fmt.Fprintln(b, line)
			}
			fmt.Fprintf(b, "    %s %s: %s\n", f.RuleID, v.title(f.RuleID), oneLine(f.Message))
			for i, h := range f.Path {
				fmt.Fprintf(b, "      path %d: %s\n", i+1, oneLine(h.String()))
			}
			if fix := firstSentence(v.ruleByID[f.RuleID].Remediation); fix != "" {
				fmt.Fprintf(b, "      fix: %s\n", fix)
			}
		}
	}
	if len(v.findings) == 0 {
		fmt.Fprintln(b, "\nNo findings.")
	}

	if len(v.notEvaluated) > 0 {
		fmt.Fprintf(b, "\nNot evaluated (%d)\n", len(v.notEvaluated))
		for _, g := range groupNotEvaluated(v.notEvaluated) {
			fmt.Fprintf(b, "  %s: %s\n    rules: %s\n", g.scope, oneLine(g.reason), strings.Join(g.rules, ", "))
		}
	}
	if len(v.unhealthy) > 0 {
		fmt.Fprintf(b, "\nScopes that failed (%d)\n", len(v.unhealthy))
		for _, s := range v.unhealthy {
			fmt.Fprintf(b, "  %s\n", oneLine(s.Key()+" "+s.Problem()))
		}
	}

	fmt.Fprintf(b, "\n%s\n", v.closing())
	if v.incomplete {
		fmt.Fprintln(b, "scan incomplete: results are not a clean bill of health")
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("text report: %w", err)
	}
	return nil
}

// severityCounts is "critical 1, high 0, medium 2, low 0, info 0".
func (v *view) severityCounts() string {
	parts := make([]string, 0, len(severities))
	for _, s := range severities {
		parts = append(parts, fmt.Sprintf("%s %d", s, v.bySeverity[s]))
	}
	return strings.Join(parts, ", ")
}

// closing is the one-line summary at the end of the text report.
func (v *view) closing() string {
	resources := map[string]bool{}
	for _, f := range v.findings {
		resources[f.ResourceID] = true
	}
	var s string
	if len(v.findings) == 0 {
		s = fmt.Sprintf("no findings from %d %s", len(v.rules), plural(len(v.rules), "rule", "rules"))
	} else {
		s = fmt.Sprintf("%d %s on %d %s from %d %s",
			len(v.findings), plural(len(v.findings), "finding", "findings"),
			len(resources), plural(len(resources), "resource", "resources"),
			len(v.rules), plural(len(v.rules), "rule", "rules"))
	}
	if n := len(v.notEvaluated); n > 0 {
		s += fmt.Sprintf("; %d not evaluated", n)
	}
	if n := len(v.unhealthy); n > 0 {
		s += fmt.Sprintf("; %d %s failed or partial", n, plural(n, "scope", "scopes"))
	}
	return s
}

// blindSpot is one scope (and why it failed) with the rules it left blind.
type blindSpot struct {
	scope, reason string
	rules         []string
}

// groupNotEvaluated groups not-evaluated entries by scope and reason, in scope order,
// so a failed scope's error is printed once, not once per rule.
func groupNotEvaluated(nes []policies.NotEvaluated) []blindSpot {
	sorted := slices.Clone(nes)
	slices.SortStableFunc(sorted, func(a, b policies.NotEvaluated) int {
		return cmp.Or(cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Reason, b.Reason), cmp.Compare(a.RuleID, b.RuleID))
	})
	var out []blindSpot
	for _, ne := range sorted {
		if n := len(out); n > 0 && out[n-1].scope == ne.Scope && out[n-1].reason == ne.Reason {
			out[n-1].rules = append(out[n-1].rules, ne.RuleID)
			continue
		}
		out = append(out, blindSpot{scope: ne.Scope, reason: ne.Reason, rules: []string{ne.RuleID}})
	}
	return out
}
