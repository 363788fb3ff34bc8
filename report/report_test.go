package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/policytest"
	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

type writer func(io.Writer, *policies.Result, *snapshot.Document, Options) error

var writers = []struct {
	ext string
	fn  writer
}{
	{"txt", Text},
	{"json", JSON},
	{"md", Markdown},
}

func render(t *testing.T, fn writer, res *policies.Result, doc *snapshot.Document, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf, res, doc, opts); err != nil {
		t.Fatalf("write: %v", err)
	}
	return buf.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got; rerun with -update if intended):\n%s", name, diff)
	}
}

// cases are the inputs of the golden tests.
func cases() []struct {
	name string
	res  *policies.Result
	doc  *snapshot.Document
	opts Options
} {
	res, doc := policytest.Fixture()
	clean := &snapshot.Document{
		Snapshot: &snapshot.Snapshot{SchemaVersion: "1", Name: "clean", Scopes: []snapshot.Scope{
			{Provider: "aws", Account: "111111111111", Region: "us-east-1", Service: "ec2", Status: snapshot.ScopeOK, Collections: []string{"networks"}},
		}},
		Path: "estates/clean.json",
	}
	return []struct {
		name string
		res  *policies.Result
		doc  *snapshot.Document
		opts Options
	}{
		{"full", res, doc, Options{ToolVersion: "0.1.0"}},
		{"clean", &policies.Result{Rules: res.Rules[:2]}, clean, Options{ToolVersion: "0.1.0", URI: "infra/clean.json"}},
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range cases() {
		for _, w := range writers {
			name := c.name + "." + w.ext
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				golden(t, name, render(t, w.fn, c.res, c.doc, c.opts))
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, w := range writers {
		t.Run(w.ext, func(t *testing.T) {
			t.Parallel()
			res, doc := policytest.Fixture()
			first := render(t, w.fn, res, doc, Options{})
			slices.Reverse(res.Rules)
			slices.Reverse(res.Findings)
			slices.Reverse(res.NotEvaluated)
			slices.Reverse(doc.Scopes)
			if diff := cmp.Diff(first, render(t, w.fn, res, doc, Options{})); diff != "" {
				t.Errorf("output depends on input order:\n%s", diff)
			}
		})
	}
}

func TestNilResult(t *testing.T) {
	t.Parallel()
	for _, w := range writers {
		if err := w.fn(io.Discard, nil, nil, Options{}); err == nil {
			t.Errorf("%s: nil result gave no error", w.ext)
		}
	}
}

// TestIncompleteIsSaid checks every writer says "incomplete" exactly when a rule was not
// evaluated (Result.Incomplete, the exit-3 case), and lists failed or partial scopes
// whether or not a rule depended on them.
func TestIncompleteIsSaid(t *testing.T) {
	t.Parallel()
	okScope := snapshot.Scope{Provider: "aws", Account: "1", Region: "r", Service: "ec2", Status: snapshot.ScopeOK}
	failed := okScope
	failed.Status = snapshot.ScopeFailed
	partial := okScope
	partial.Status = snapshot.ScopePartial
	tests := []struct {
		name       string
		ne         []policies.NotEvaluated
		scope      snapshot.Scope
		incomplete bool
		listed     bool
	}{
		{"all ok", nil, okScope, false, false},
		{"rule not evaluated", []policies.NotEvaluated{{RuleID: "R", Scope: "aws/1/r/ec2", Reason: "failed"}}, failed, true, true},
		{"scope failed, no rule read it", nil, failed, false, true},
		{"scope partial, no rule read it", nil, partial, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := &policies.Result{NotEvaluated: tt.ne}
			doc := &snapshot.Document{Snapshot: &snapshot.Snapshot{Scopes: []snapshot.Scope{tt.scope}}, Path: "s.json"}
			text := render(t, Text, res, doc, Options{})
			if got := strings.Contains(text, "scan incomplete: results are not a clean bill of health\n"); got != tt.incomplete {
				t.Errorf("text says incomplete=%v, want %v:\n%s", got, tt.incomplete, text)
			}
			if got := strings.Contains(text, "\nScopes that failed (1)\n  aws/1/r/ec2 "); got != tt.listed {
				t.Errorf("text lists the scope=%v, want %v:\n%s", got, tt.listed, text)
			}
			md := render(t, Markdown, res, doc, Options{})
			if got := strings.Contains(md, "\n- `aws/1/r/ec2` "); got != tt.listed {
				t.Errorf("markdown lists the scope=%v, want %v:\n%s", got, tt.listed, md)
			}
			if got := strings.Contains(md, "**Scan incomplete**"); got != tt.incomplete {
				t.Errorf("markdown says incomplete=%v, want %v:\n%s", got, tt.incomplete, md)
			}
			var j JSONReport
			if err := json.Unmarshal([]byte(render(t, JSON, res, doc, Options{})), &j); err != nil {
				t.Fatal(err)
			}
			if j.Summary.Incomplete != tt.incomplete {
				t.Errorf("json incomplete=%v, want %v", j.Summary.Incomplete, tt.incomplete)
			}
		})
	}
}

func TestJSONContent(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	out := render(t, JSON, res, doc, Options{ToolVersion: "0.1.0"})
	var j JSONReport
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		t.Fatalf("decode: %v", err)
	}
	wantSummary := JSONSummary{
		Findings:      6,
		BySeverity:    JSONBySeverity{Critical: 2, High: 2, Medium: 1, Low: 0, Info: 1},
		NotEvaluated:  1,
		FailedScopes:  1,
		PartialScopes: 1,
		Incomplete:    true,
	}
	if diff := cmp.Diff(wantSummary, j.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if len(j.Rules) != 5 || len(j.Scopes) != 3 || len(j.NotEvaluated) != 1 {
		t.Errorf("rules %d, scopes %d, not evaluated %d", len(j.Rules), len(j.Scopes), len(j.NotEvaluated))
	}
	for _, f := range j.Findings {
		if f.Title == "" || f.Location.URI != "testdata/estates/acme-prod.json" || f.Location.StartLine < 1 || f.Location.EndLine < f.Location.StartLine {
			t.Errorf("finding %s on %s: title %q, location %+v", f.RuleID, f.ResourceID, f.Title, f.Location)
		}
		if want := (policies.Finding{RuleID: f.RuleID, ResourceID: f.ResourceID, Key: f.Key}).Fingerprint(); f.Fingerprint != want {
			t.Errorf("finding %s on %s: fingerprint %s, want the SARIF one %s", f.RuleID, f.ResourceID, f.Fingerprint, want)
		}
		if f.ResourceID == "vpc-0abc" && (f.Location.StartLine != 12 || f.Location.EndLine != 30) {
			t.Errorf("vpc-0abc location %+v, want lines 12-30", f.Location)
		}
	}
	// Top-level field order is fixed.
	var keys []string
	d := json.NewDecoder(strings.NewReader(out))
	d.Token() // {
	for d.More() {
		k, _ := d.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"tool", "snapshot", "summary", "rules", "findings", "not_evaluated", "scopes"}, keys); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
}

func TestJSONEmptyListsNotNull(t *testing.T) {
	t.Parallel()
	out := render(t, JSON, &policies.Result{Rules: []policies.Rule{{ID: "R-1", Severity: policies.SeverityLow}}},
		&snapshot.Document{Snapshot: &snapshot.Snapshot{Scopes: []snapshot.Scope{{Provider: "aws", Service: "ec2", Status: "ok"}}}}, Options{})
	if strings.Contains(out, "null") {
		t.Errorf("output contains null:\n%s", out)
	}
	for _, want := range []string{`"findings": []`, `"not_evaluated": []`, `"connectivity": []`, `"links": []`, `"errors": []`, `"collections": []`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s", want)
		}
	}
}

func TestTextGrouping(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	out := render(t, Text, res, doc, Options{})
	// Severity sections appear most severe first, and only when they have findings.
	var order []string
	for _, line := range strings.Split(out, "\n") {
		for _, s := range severities {
			if strings.HasPrefix(line, strings.ToUpper(string(s))+" (") {
				order = append(order, string(s))
			}
		}
	}
	if diff := cmp.Diff([]string{"critical", "high", "medium", "info"}, order); diff != "" {
		t.Errorf("severity sections (-want +got):\n%s", diff)
	}
	// One resource header per resource and severity, even with two findings on it.
	if n := strings.Count(out, "\n  sg-0123 (aws/111111111111/us-east-1)\n"); n != 1 {
		t.Errorf("sg-0123 header appears %d times", n)
	}
	for _, want := range []string{
		"      fix: Re-create the DCGW network with a CIDR that does not overlap.\n",
		"      fix: Replace 0.0.0.0/0 with the data plane private IPs (/32 each).\n",
		"is a CNAME to the gateway | skip the edge second line\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestMarkdownTableCells(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	out := render(t, Markdown, res, doc, Options{})
	inTable := false
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| Severity | Rule |") {
			inTable = true
			continue
		}
		if !inTable {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		// Unescaped pipes delimit cells: 4 cells need 5.
		if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 5 {
			t.Errorf("row has %d delimiters, want 5: %s", n, line)
		}
		rows++
	}
	if rows != 7 { // separator + 6 findings
		t.Errorf("findings table has %d rows, want 7", rows)
	}
}

func TestMDText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a | b", `a \| b`},
		{"line one\nline two", "line one line two"},
		{"<script>", "&lt;script&gt;"},
		{"hub_route_tables *all*", `hub\_route\_tables \*all\*`},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := mdCode("a|b"); got != "`a\\|b`" {
		t.Errorf("mdCode = %q", got)
	}
}

func TestFirstSentence(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Do this. Then that.", "Do this."},
		{"First line\nsecond line", "First line"},
		{"Use 10.0.0.0/8 ranges only. More.", "Use 10.0.0.0/8 ranges only."},
		{"  padded  ", "padded"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := firstSentence(tt.in); got != tt.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGroupNotEvaluated(t *testing.T) {
	t.Parallel()
	nes := []policies.NotEvaluated{
		{RuleID: "DCGW-CIDR-002", Scope: "aws/1/r1/ec2", Reason: "scope failed (denied): no"},
		{RuleID: "DCGW-CIDR-001", Scope: "aws/1/r1/ec2", Reason: "scope failed (denied): no"},
		{RuleID: "DCGW-DNS-001", Scope: "aws/1/global/route53", Reason: "scope partial (truncated): cut"},
		{RuleID: "DCGW-DNS-002", Scope: "dns:dns_resolutions", Reason: "no dns scope in the snapshot collected dns_resolutions"},
	}
	want := []blindSpot{
		{scope: "aws/1/global/route53", reason: "scope partial (truncated): cut", rules: []string{"DCGW-DNS-001"}},
		{scope: "aws/1/r1/ec2", reason: "scope failed (denied): no", rules: []string{"DCGW-CIDR-001", "DCGW-CIDR-002"}},
		{scope: "dns:dns_resolutions", reason: "no dns scope in the snapshot collected dns_resolutions", rules: []string{"DCGW-DNS-002"}},
	}
	if diff := cmp.Diff(want, groupNotEvaluated(nes), cmp.AllowUnexported(blindSpot{})); diff != "" {
		t.Errorf("groupNotEvaluated (-want +got):\n%s", diff)
	}
}
