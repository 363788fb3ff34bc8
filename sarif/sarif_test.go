package sarif

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dcgw-scan/dcgw-scan/internal/policytest"
	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var schemaOnce = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	return c.Compile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
})

// validate checks out against the vendored OASIS SARIF 2.1.0 schema.
func validate(t *testing.T, out []byte) {
	t.Helper()
	sch, err := schemaOnce()
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse output: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("output does not validate against SARIF 2.1.0: %v", err)
	}
}

func write(t *testing.T, res *policies.Result, doc *snapshot.Document, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, res, doc, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got; rerun with -update if intended):\n%s", name, diff)
	}
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	cleanRes := &policies.Result{Rules: res.Rules[:2]}
	cleanDoc := &snapshot.Document{Snapshot: &snapshot.Snapshot{SchemaVersion: "1", Name: "clean"}, Path: "estates/clean.json"}
	tests := []struct {
		name string
		res  *policies.Result
		doc  *snapshot.Document
		opts Options
	}{
		{"full.sarif", res, doc, Options{ToolVersion: "0.1.0"}},
		{"custom-uri.sarif", &policies.Result{Rules: res.Rules[1:2], Findings: res.Findings[1:2]}, doc,
			Options{ToolVersion: "0.1.0", URI: "infra/azure/snapshot.json", Category: "dcgw-scan/azure"}},
		{"clean.sarif", cleanRes, cleanDoc, Options{ToolVersion: "0.1.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := write(t, tt.res, tt.doc, tt.opts)
			validate(t, out)
			golden(t, tt.name, out)
		})
	}
}

// log is the part of a SARIF log the GitHub checks read.
type log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Tool struct {
			Driver struct {
				Name            string       `json:"name"`
				Version         string       `json:"version"`
				SemanticVersion string       `json:"semanticVersion"`
				Rules           []descriptor `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        *bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level      string `json:"level"`
				Descriptor struct {
					ID string `json:"id"`
				} `json:"descriptor"`
				AssociatedRule *struct {
					ID    string `json:"id"`
					Index *int   `json:"index"`
				} `json:"associatedRule"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
						EndLine   int `json:"endLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					Name               string `json:"name"`
					FullyQualifiedName string `json:"fullyQualifiedName"`
					Kind               string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

type descriptor struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	ShortDescription struct {
		Text string `json:"text"`
	} `json:"shortDescription"`
	FullDescription struct {
		Text string `json:"text"`
	} `json:"fullDescription"`
	Help struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	} `json:"help"`
	HelpURI              string `json:"helpUri"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties struct {
		Tags             []string `json:"tags"`
		Precision        string   `json:"precision"`
		SecuritySeverity string   `json:"security-severity"`
	} `json:"properties"`
}

func parse(t *testing.T, out []byte) log {
	t.Helper()
	var l log
	if err := json.Unmarshal(out, &l); err != nil {
		t.Fatalf("parse sarif: %v", err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("runs = %d, want 1", len(l.Runs))
	}
	return l
}

// githubBand is GitHub's reading of a security-severity score.
func githubBand(score float64) string {
	switch {
	case score > 9.0:
		return "critical"
	case score >= 7.0:
		return "high"
	case score >= 4.0:
		return "medium"
	case score > 0:
		return "low"
	}
	return ""
}

// TestGitHubRules checks the ingestion rules of GitHub code scanning (anchors §2) that
// the JSON Schema does not express.
func TestGitHubRules(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	// A long description and title must be cut to GitHub's limits.
	long := res.Rules[3]
	long.ID, long.Title, long.Description = "DCGW-HUB-099", strings.Repeat("Très long titre ", 40), strings.Repeat("é", 3000)
	res.Rules = append(res.Rules, long)
	l := parse(t, write(t, res, doc, Options{ToolVersion: "1.2.3"}))
	run := l.Runs[0]

	if l.Version != "2.1.0" || l.Schema == "" {
		t.Errorf("version %q, $schema %q", l.Version, l.Schema)
	}
	if d := run.Tool.Driver; d.Name != "dcgw-scan" || d.Version != "1.2.3" || d.SemanticVersion != "1.2.3" {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.SemanticVersion)
	}
	if got := run.AutomationDetails.ID; got != "dcgw-scan/" {
		t.Errorf("automationDetails.id = %q, want category/ form", got)
	}

	wantIDs := []string{"ACME-TAG-1", "DCGW-CIDR-001", "DCGW-DNS-001", "DCGW-FW-002", "DCGW-HUB-001", "DCGW-HUB-099"}
	var ids []string
	ruleSev := map[string]policies.Severity{}
	for _, r := range res.Rules {
		ruleSev[r.ID] = r.Severity
	}
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		for field, text := range map[string]string{"shortDescription": r.ShortDescription.Text, "fullDescription": r.FullDescription.Text, "help.text": r.Help.Text} {
			if strings.TrimSpace(text) == "" {
				t.Errorf("rule %s: %s is empty", r.ID, field)
			}
			if n := utf8.RuneCountInString(text); field != "help.text" && n > 1024 {
				t.Errorf("rule %s: %s has %d characters, limit 1024", r.ID, field, n)
			}
		}
		if n := utf8.RuneCountInString(r.Name); n == 0 || n > 255 {
			t.Errorf("rule %s: name has %d characters", r.ID, n)
		}
		if r.Help.Markdown == "" || !strings.HasPrefix(r.HelpURI, "https://") {
			t.Errorf("rule %s: markdown help %q, helpUri %q", r.ID, r.Help.Markdown, r.HelpURI)
		}
		if len(r.Properties.Tags) == 0 || len(r.Properties.Tags) > 10 || !slices.Contains(r.Properties.Tags, "security") {
			t.Errorf("rule %s: tags %v", r.ID, r.Properties.Tags)
		}
		if r.Properties.Precision != "high" {
			t.Errorf("rule %s: precision %q", r.ID, r.Properties.Precision)
		}
		score, err := strconv.ParseFloat(r.Properties.SecuritySeverity, 64)
		if err != nil || score <= 0 || score > 10 {
			t.Errorf("rule %s: security-severity %q outside (0,10]", r.ID, r.Properties.SecuritySeverity)
		}
		wantBand := string(ruleSev[r.ID])
		if wantBand == "info" {
			wantBand = "low"
		}
		if got := githubBand(score); got != wantBand {
			t.Errorf("rule %s: GitHub reads %s as %s, want %s", r.ID, r.Properties.SecuritySeverity, got, wantBand)
		}
		if want := Level(ruleSev[r.ID]); r.DefaultConfiguration.Level != want {
			t.Errorf("rule %s: default level %q, want %q", r.ID, r.DefaultConfiguration.Level, want)
		}
	}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("rule ids (-want +got):\n%s", diff)
	}

	if len(run.Results) != len(res.Findings) {
		t.Fatalf("results = %d, want %d", len(run.Results), len(res.Findings))
	}
	seen := map[string]bool{}
	for i, r := range run.Results {
		if r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(ids) || ids[*r.RuleIndex] != r.RuleID {
			t.Errorf("result %d: ruleIndex %v does not point at %s", i, r.RuleIndex, r.RuleID)
		}
		if strings.TrimSpace(r.Message.Text) == "" {
			t.Errorf("result %d: empty message", i)
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation == nil {
			t.Fatalf("result %d: want exactly one physical location, got %+v", i, r.Locations)
		}
		pl := r.Locations[0].PhysicalLocation
		uri := pl.ArtifactLocation.URI
		if uri == "" || strings.HasPrefix(uri, "/") || strings.Contains(uri, ":") || strings.Contains(uri, `\`) {
			t.Errorf("result %d: uri %q is not a relative forward-slash path", i, uri)
		}
		if pl.Region.StartLine < 1 || pl.Region.EndLine < pl.Region.StartLine {
			t.Errorf("result %d: region %+v", i, pl.Region)
		}
		if ll := r.Locations[0].LogicalLocations; len(ll) != 1 || ll[0].Kind != "resource" || ll[0].Name == "" {
			t.Errorf("result %d: logical locations %+v", i, ll)
		}
		fp := r.PartialFingerprints[FingerprintKey]
		if len(fp) != 64 {
			t.Errorf("result %d: primaryLocationLineHash %q", i, fp)
		}
		if seen[fp] {
			t.Errorf("result %d: duplicate fingerprint %s", i, fp)
		}
		seen[fp] = true
	}

	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful == nil || *inv[0].ExecutionSuccessful {
		t.Fatalf("invocations = %+v, want one with executionSuccessful false", inv)
	}
	type note struct{ Level, Descriptor, Rule, Text string }
	var notes []note
	for _, n := range inv[0].ToolExecutionNotifications {
		var rule string
		if n.AssociatedRule != nil {
			rule = n.AssociatedRule.ID
			if n.AssociatedRule.Index == nil || ids[*n.AssociatedRule.Index] != rule {
				t.Errorf("notification %q: associatedRule index does not point at %s", n.Message.Text, rule)
			}
		}
		notes = append(notes, note{n.Level, n.Descriptor.ID, rule, n.Message.Text})
	}
	wantNotes := []note{
		{"error", "scope-failed", "", "scope aws/111111111111/us-east-1/ec2-tgw failed (denied): DescribeTransitGateways: not authorized to perform ec2:DescribeTransitGateways"},
		{"warning", "scope-partial", "", "scope azure/00000000-0000-0000-0000-000000000001/westeurope/network partial (truncated): page limit reached"},
		{"warning", "rule-not-evaluated", "DCGW-HUB-001", "DCGW-HUB-001 not evaluated for aws/111111111111/us-east-1/ec2-tgw: scope failed (denied)"},
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
}

func TestResultLocations(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	l := parse(t, write(t, res, doc, Options{}))
	type loc struct {
		Rule, URI, Base, FQN string
		Start, End           int
	}
	var got []loc
	for _, r := range l.Runs[0].Results {
		pl := r.Locations[0].PhysicalLocation
		got = append(got, loc{r.RuleID, pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID,
			r.Locations[0].LogicalLocations[0].FullyQualifiedName, pl.Region.StartLine, pl.Region.EndLine})
	}
	const uri = "testdata/estates/acme-prod.json"
	want := []loc{
		{"ACME-TAG-1", uri, "%SRCROOT%", "aws/111111111111/us-east-1/vpc-0abc", 12, 30},
		{"DCGW-CIDR-001", uri, "%SRCROOT%", "azure/00000000-0000-0000-0000-000000000001/westeurope/" + policytest.AzureVNet, 31, 44},
		{"DCGW-CIDR-001", uri, "%SRCROOT%", "aws/111111111111/us-east-1/vpc-0abc", 12, 30},
		{"DCGW-DNS-001", uri, "%SRCROOT%", "konnect/api.example.com", 1, 1},
		{"DCGW-FW-002", uri, "%SRCROOT%", "aws/111111111111/us-east-1/sg-0123", 45, 80},
		{"DCGW-FW-002", uri, "%SRCROOT%", "aws/111111111111/us-east-1/sg-0123", 45, 80},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
}

// TestFingerprintStableAcrossRuns writes the same finding twice, with a new message and
// the resource moved in the file, and once with another key.
func TestFingerprintStableAcrossRuns(t *testing.T) {
	t.Parallel()
	fp := func(msg, key string, span snapshot.Span) string {
		res := &policies.Result{Findings: []policies.Finding{{RuleID: "DCGW-CIDR-001", Severity: policies.SeverityHigh, ResourceID: "vpc-1", Key: key, Message: msg}}}
		doc := &snapshot.Document{Snapshot: &snapshot.Snapshot{}, Path: "s.json", Spans: map[string]snapshot.Span{"vpc-1": span}}
		l := parse(t, write(t, res, doc, Options{}))
		return l.Runs[0].Results[0].PartialFingerprints[FingerprintKey]
	}
	a := fp("overlaps 10.0.0.0/16", "10.0.0.0/16", snapshot.Span{StartLine: 3, EndLine: 9})
	b := fp("now a different wording", "10.0.0.0/16", snapshot.Span{StartLine: 120, EndLine: 140})
	c := fp("overlaps 10.0.0.0/16", "10.1.0.0/16", snapshot.Span{StartLine: 3, EndLine: 9})
	if a != b {
		t.Errorf("message or span changed the fingerprint: %s vs %s", a, b)
	}
	if a == c {
		t.Errorf("a different key kept the fingerprint %s", a)
	}
	if want := (policies.Finding{RuleID: "DCGW-CIDR-001", ResourceID: "vpc-1", Key: "10.0.0.0/16"}).Fingerprint(); a != want {
		t.Errorf("written fingerprint %s, Fingerprint() %s", a, want)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	first := write(t, res, doc, Options{ToolVersion: "0.1.0"})
	slices.Reverse(res.Rules)
	slices.Reverse(res.Findings)
	slices.Reverse(doc.Scopes)
	if diff := cmp.Diff(string(first), string(write(t, res, doc, Options{ToolVersion: "0.1.0"}))); diff != "" {
		t.Errorf("output depends on input order:\n%s", diff)
	}
}

func TestNoSentinels(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	out := string(write(t, res, doc, Options{}))
	for _, bad := range []string{": -1", ": []", `"properties": {}`, "byteOffset", "charOffset", "startTimeUtc", "endTimeUtc"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	// Evidence is data, not go-sarif scaffolding: it must survive as written.
	res.Findings = []policies.Finding{{RuleID: "DCGW-X-1", ResourceID: "r", Message: "m", Evidence: map[string]any{"index": -1, "routes": []any{}}}}
	out = string(write(t, res, doc, Options{}))
	if !strings.Contains(out, `"index": -1`) || !strings.Contains(out, `"routes": []`) {
		t.Errorf("evidence was pruned:\n%s", out)
	}
	// An empty result still has a results array.
	l := string(write(t, &policies.Result{}, doc, Options{}))
	if !strings.Contains(l, `"results": []`) || !strings.Contains(l, `"rules": []`) {
		t.Errorf("empty run lacks results/rules arrays:\n%s", l)
	}
}

func TestUnknownRuleGetsDescriptor(t *testing.T) {
	t.Parallel()
	res := &policies.Result{Findings: []policies.Finding{{RuleID: "USER-1", Severity: policies.SeverityLow, ResourceID: "r", Message: "m"}}}
	doc := &snapshot.Document{Snapshot: &snapshot.Snapshot{}, Path: "s.json"}
	out := write(t, res, doc, Options{})
	validate(t, out)
	l := parse(t, out)
	if rules := l.Runs[0].Tool.Driver.Rules; len(rules) != 1 || rules[0].ID != "USER-1" || rules[0].Properties.SecuritySeverity != "3.0" {
		t.Errorf("rules = %+v", rules)
	}
	if ri := l.Runs[0].Results[0].RuleIndex; ri == nil || *ri != 0 {
		t.Errorf("ruleIndex = %v", ri)
	}
}

func TestArtifactURI(t *testing.T) {
	t.Parallel()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		explicit string
		path     string
		want     string
		wantErr  bool
		// outside: the error is ErrOutside too.
		outside bool
	}{
		{name: "relative document path", path: "testdata/estates/a.json", want: "testdata/estates/a.json"},
		{name: "dot segments cleaned", path: "./testdata/../estates/a.json", want: "estates/a.json"},
		{name: "absolute under working dir", path: filepath.Join(wd, "snaps", "a.json"), want: "snaps/a.json"},
		{name: "parent dir back into the working dir", path: filepath.Join("..", filepath.Base(wd), "snaps", "a.json"), want: "snaps/a.json"},
		{name: "absolute outside working dir", path: "/tmp/../etc/a.json", wantErr: true, outside: true},
		{name: "parent dir", path: "../a.json", wantErr: true, outside: true},
		{name: "parent dir, deeper", path: "../elsewhere/snap.json", wantErr: true, outside: true},
		{name: "explicit parent dir", explicit: "../a.json", wantErr: true, outside: true},
		{name: "space escaped", path: "my snaps/a.json", want: "my%20snaps/a.json"},
		{name: "explicit wins", explicit: "infra/snap.json", path: "/abs/x.json", want: "infra/snap.json"},
		{name: "explicit backslashes", explicit: `infra\snap.json`, want: "infra/snap.json"},
		{name: "explicit absolute", explicit: "/repo/snap.json", wantErr: true},
		{name: "explicit ARN", explicit: "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1", wantErr: true},
		{name: "explicit file URI", explicit: "file:///repo/snap.json", wantErr: true},
		{name: "no path at all", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var doc *snapshot.Document
			if tt.path != "" {
				doc = &snapshot.Document{Path: tt.path}
			}
			got, err := ArtifactURI(tt.explicit, doc)
			if tt.wantErr {
				if !errors.Is(err, ErrURI) || errors.Is(err, ErrOutside) != tt.outside {
					t.Errorf("ArtifactURI = %q, %v; want ErrURI (ErrOutside: %v)", got, err, tt.outside)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ArtifactURI = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Write(&buf, nil, &snapshot.Document{Path: "a.json"}, Options{}); err == nil {
		t.Error("nil result: want error")
	}
	if err := Write(&buf, &policies.Result{}, &snapshot.Document{Path: "/elsewhere/../../a.json"}, Options{}); !errors.Is(err, ErrURI) {
		t.Errorf("absolute path outside: err = %v, want ErrURI", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes on error", buf.Len())
	}
}

func TestRuleName(t *testing.T) {
	t.Parallel()
	tests := []struct{ title, id, want string }{
		{"CIDR overlap with the Konnect network", "X", "CIDROverlapWithTheKonnectNetwork"},
		{"security-group: open 0.0.0.0/0", "X", "SecurityGroupOpen00000"},
		{"", "DCGW-FW-001", "DCGWFW001"},
		{"élan vital", "X", "ÉlanVital"},
		{strings.Repeat("word ", 100), "X", strings.Repeat("Word", 63) + "Wor"},
	}
	for _, tt := range tests {
		if got := ruleName(tt.title, tt.id); got != tt.want {
			t.Errorf("ruleName(%q) = %q, want %q", tt.title, got, tt.want)
		}
		if n := utf8.RuneCountInString(ruleName(tt.title, tt.id)); n > 255 {
			t.Errorf("ruleName(%q) has %d characters", tt.title, n)
		}
	}
}

func TestTruncateKeepsUTF8(t *testing.T) {
	t.Parallel()
	got := truncate(strings.Repeat("é", 2000), 1024)
	if !utf8.ValidString(got) || utf8.RuneCountInString(got) != 1024 || !strings.HasSuffix(got, "…") {
		t.Errorf("truncate: valid=%v len=%d", utf8.ValidString(got), utf8.RuneCountInString(got))
	}
	if got := truncate("short", 1024); got != "short" {
		t.Errorf("truncate(short) = %q", got)
	}
}

func TestRuleTagsCapped(t *testing.T) {
	t.Parallel()
	r := policies.Rule{ID: "DCGW-CIDR-001", Connectivity: []string{"peering", "hub", "peering", "a", "b", "c", "d", "e", "f", "g", "h"}}
	want := []string{"security", "dcgw", "cidr", "peering", "hub", "a", "b", "c", "d", "e"}
	if diff := cmp.Diff(want, ruleTags(r)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

// TestSchemaCatchesMistakes proves the schema check can fail: a broken log is rejected.
func TestSchemaCatchesMistakes(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	out := string(write(t, res, doc, Options{}))
	sch, err := schemaOnce()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, old, new string }{
		{"bad level", `"level": "error"`, `"level": "critical"`},
		{"backslash uri", `"uri": "testdata/estates/acme-prod.json"`, `"uri": "testdata\\estates\\acme-prod.json"`},
		{"zero start line", `"startLine": 12`, `"startLine": 0`},
	} {
		broken := strings.Replace(out, tt.old, tt.new, 1)
		if broken == out {
			t.Fatalf("%s: %q not in output", tt.name, tt.old)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(broken))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: schema accepted a broken log", tt.name)
		}
	}
}

// TestPathLocations checks that a finding with a path carries its hops as
// relatedLocations (ids 1…n) and as one code flow in hop order, each at its resource's
// lines, and that findings without a path carry neither.
func TestPathLocations(t *testing.T) {
	t.Parallel()
	res, doc := policytest.Fixture()
	type region struct {
		StartLine int `json:"startLine"`
		EndLine   int `json:"endLine"`
	}
	type location struct {
		ID               int                     `json:"id"`
		Message          struct{ Text string }   `json:"message"`
		PhysicalLocation struct{ Region region } `json:"physicalLocation"`
	}
	var l struct {
		Runs []struct {
			Results []struct {
				RuleID           string                `json:"ruleId"`
				Message          struct{ Text string } `json:"message"`
				RelatedLocations []location            `json:"relatedLocations"`
				CodeFlows        []struct {
					ThreadFlows []struct {
						Locations []struct {
							ExecutionOrder int      `json:"executionOrder"`
							Location       location `json:"location"`
						} `json:"locations"`
					} `json:"threadFlows"`
				} `json:"codeFlows"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(write(t, res, doc, Options{}), &l); err != nil {
		t.Fatal(err)
	}
	type hop struct {
		ID, Order, Start, End int
		Text                  string
	}
	withPath := 0
	for _, r := range l.Runs[0].Results {
		if len(r.RelatedLocations) == 0 {
			if len(r.CodeFlows) != 0 {
				t.Errorf("%s: code flow without related locations", r.RuleID)
			}
			continue
		}
		withPath++
		// GitHub links related locations only where the message embeds them.
		if want := " Path: [rtb-0123](1) → [acl-0123](2) → [sg-0123](3)."; !strings.HasSuffix(r.Message.Text, want) {
			t.Errorf("message %q does not end with the path links %q", r.Message.Text, want)
		}
		var related, flow []hop
		for _, rl := range r.RelatedLocations {
			related = append(related, hop{ID: rl.ID, Start: rl.PhysicalLocation.Region.StartLine,
				End: rl.PhysicalLocation.Region.EndLine, Text: rl.Message.Text})
		}
		if len(r.CodeFlows) != 1 || len(r.CodeFlows[0].ThreadFlows) != 1 {
			t.Fatalf("%s: want one code flow with one thread flow, got %+v", r.RuleID, r.CodeFlows)
		}
		for _, tl := range r.CodeFlows[0].ThreadFlows[0].Locations {
			flow = append(flow, hop{Order: tl.ExecutionOrder, Start: tl.Location.PhysicalLocation.Region.StartLine,
				End: tl.Location.PhysicalLocation.Region.EndLine, Text: tl.Location.Message.Text})
		}
		want := []hop{
			{1, 0, 100, 120, "route table rtb-0123 0.0.0.0/0 -> igw-0123: forward"},
			{2, 0, 81, 99, "aws-network-acl acl-0123 ingress/100: allow (reply egress/100 on 1024-65535)"},
			{3, 0, 45, 80, "aws-security-group sg-0123 sgr-0123: allow"},
		}
		if diff := cmp.Diff(want, related); diff != "" {
			t.Errorf("relatedLocations (-want +got):\n%s", diff)
		}
		for i := range want {
			want[i].Order, want[i].ID = want[i].ID, 0
		}
		if diff := cmp.Diff(want, flow); diff != "" {
			t.Errorf("thread flow (-want +got):\n%s", diff)
		}
	}
	if withPath != 1 {
		t.Errorf("%d results with a path, want 1", withPath)
	}
}
