package policies

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// meta is a valid METADATA block for a fixture rule; tests edit it with strings.Replace.
const meta = `# METADATA
# title: Network has no CIDR
# description: A customer network without an address range cannot be routed to.
# related_resources:
#   - ref: https://example.com/rules/cidr-900
# custom:
#   id: DCGW-CIDR-900
#   severity: high
#   connectivity: [peering]
#   providers: [aws]
#   inputs: [networks]
#   remediation: Give the network a CIDR.
`

// noCIDR is the body of the fixture rule: one finding per network without CIDRs,
// carrying data.config.gateway_port as evidence.
const noCIDR = `
deny contains f if {
	some n in input.networks
	count(object.get(n, "cidrs", [])) == 0
	f := {
		"resource": n.id,
		"key": "no-cidr",
		"msg": sprintf("Network %s has no CIDR.", [n.id]),
		"evidence": {"port": data.config.gateway_port},
	}
}
`

// attachmentRule reports every Konnect attachment, to check that attachments take
// their network's location. It also reports an id the snapshot does not hold.
const attachmentRule = `# METADATA
# title: Attachment listed
# description: Reports every attachment.
# custom:
#   id: DCGW-HUB-901
#   severity: low
#   inputs: [konnect.networks]
#   remediation: None.
package dcgw.hub.attachments

import data.dcgw.lib.ids

deny contains f if {
	some n in input.konnect.networks
	some a in n.attachments
	f := {"resource": ids.canonical(a.id), "msg": sprintf("Attachment %s.", [a.id])}
}

deny contains {"resource": "nowhere", "msg": "Not in the snapshot."}
`

// libIDs is a helper package: no METADATA, no deny.
const libIDs = `package dcgw.lib.ids

canonical(x) := lower(x)
`

func rule(pkg, metadata, body string) string {
	return metadata + "package " + pkg + "\n" + body
}

func fixtureFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

func entity(id, provider, account, region string) snapshot.Entity {
	return snapshot.Entity{ID: id, Provider: provider, Account: account, Region: region}
}

// estate is a small snapshot: one Konnect network with an attachment, two AWS networks
// (one without CIDRs) and an ok scope for networks and Konnect.
func estate() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Konnect: snapshot.Konnect{Networks: []snapshot.KonnectNetwork{{
			Entity: entity("kn-1", "aws", "kong-org", "us-east-1"),
			CIDR:   "10.0.0.0/16",
			Attachments: []snapshot.KonnectAttachment{{
				ID: "att-1", Kind: snapshot.AttachAWSVPCPeering, Account: "111111111111", Region: "eu-west-1",
			}},
		}}},
		Networks: []snapshot.Network{
			{Entity: entity("vpc-b", "aws", "111111111111", "eu-west-1"), Kind: "aws-vpc"},
			{Entity: entity("vpc-a", "aws", "222222222222", "eu-west-2"), Kind: "aws-vpc"},
			{Entity: entity("vpc-ok", "aws", "111111111111", "eu-west-1"), Kind: "aws-vpc", CIDRs: []string{"10.1.0.0/16"}},
		},
		Scopes: []snapshot.Scope{
			{Provider: "aws", Account: "111111111111", Region: "eu-west-1", Service: "ec2", Status: snapshot.ScopeOK, Collections: []string{"networks"}},
			{Provider: "konnect", Service: "networks", Status: snapshot.ScopeOK, Collections: []string{"konnect.networks"}},
		},
	}
}

func TestEvaluateFindings(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	params := DefaultParams()
	params.GatewayPort = 8443
	e, err := New(ctx, Options{
		Params: params,
		Builtin: fixtureFS(map[string]string{
			"cidr/no_cidr.rego":      rule("dcgw.cidr.no_cidr", meta, noCIDR),
			"hub/attachments.rego":   attachmentRule,
			"lib/ids.rego":           libIDs,
			"cidr/ignored_test.rego": "package dcgw.cidr.no_cidr_test\n\ntest_x if false\n",
		}),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	wantRules := []Rule{
		{
			ID: "DCGW-CIDR-900", Title: "Network has no CIDR",
			Description:  "A customer network without an address range cannot be routed to.",
			Severity:     SeverityHigh,
			Connectivity: []string{"peering"}, Providers: []string{"aws"}, Inputs: []string{"networks"},
			Remediation: "Give the network a CIDR.", Links: []string{"https://example.com/rules/cidr-900"},
			Package: "dcgw.cidr.no_cidr", File: "policies/cidr/no_cidr.rego", Row: 1, Builtin: true,
		},
		{
			ID: "DCGW-HUB-901", Title: "Attachment listed", Description: "Reports every attachment.",
			Severity: SeverityLow, Inputs: []string{"konnect.networks"}, Remediation: "None.",
			Package: "dcgw.hub.attachments", File: "policies/hub/attachments.rego", Row: 1, Builtin: true,
		},
	}
	if diff := cmp.Diff(wantRules, e.Rules()); diff != "" {
		t.Errorf("Rules() mismatch (-want +got):\n%s", diff)
	}

	want := &Result{
		Rules: wantRules,
		Findings: []Finding{
			{
				RuleID: "DCGW-CIDR-900", Severity: SeverityHigh, ResourceID: "vpc-a", Key: "no-cidr",
				Message: "Network vpc-a has no CIDR.", Evidence: map[string]any{"port": json.Number("8443")},
				Provider: "aws", Account: "222222222222", Region: "eu-west-2",
			},
			{
				RuleID: "DCGW-CIDR-900", Severity: SeverityHigh, ResourceID: "vpc-b", Key: "no-cidr",
				Message: "Network vpc-b has no CIDR.", Evidence: map[string]any{"port": json.Number("8443")},
				Provider: "aws", Account: "111111111111", Region: "eu-west-1",
			},
			{
				RuleID: "DCGW-HUB-901", Severity: SeverityLow, ResourceID: "att-1", Message: "Attachment att-1.",
				Provider: "aws", Account: "kong-org", Region: "us-east-1",
			},
			{RuleID: "DCGW-HUB-901", Severity: SeverityLow, ResourceID: "nowhere", Message: "Not in the snapshot."},
		},
		NotEvaluated:     []NotEvaluated{},
		IncompleteScopes: []string{},
	}
	snap := estate()
	// Evaluating twice on one engine gives the same answer: the prepared queries
	// are reused, and so is nothing else.
	for i := range 2 {
		got, err := e.Evaluate(ctx, snap)
		if err != nil {
			t.Fatalf("Evaluate #%d: %v", i, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Evaluate #%d mismatch (-want +got):\n%s", i, diff)
		}
	}

	// Prepared queries are shared by concurrent evaluations.
	var wg sync.WaitGroup
	results := make([]*Result, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Go(func() { results[i], errs[i] = e.Evaluate(ctx, snap) })
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("concurrent Evaluate #%d: %v", i, errs[i])
		}
		if diff := cmp.Diff(want, results[i]); diff != "" {
			t.Errorf("concurrent Evaluate #%d mismatch (-want +got):\n%s", i, diff)
		}
	}
}

func TestNewRejectsBadMetadata(t *testing.T) {
	t.Parallel()
	const x = "policies/cidr/x.rego"
	edit := func(old, new string) string { return strings.Replace(meta, old, new, 1) }
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name:  "missing id",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("#   id: DCGW-CIDR-900\n", ""), noCIDR)},
			want:  x + ":1: package dcgw.cidr.x: METADATA custom.id is missing",
		},
		{
			name: "duplicate id",
			files: map[string]string{
				"cidr/a.rego": rule("dcgw.cidr.a", meta, noCIDR),
				"dns/b.rego":  rule("dcgw.dns.b", meta, noCIDR),
			},
			want: "policies/dns/b.rego:1: duplicate rule id DCGW-CIDR-900 (also at policies/cidr/a.rego:1)",
		},
		{
			name:  "unknown severity",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("severity: high", "severity: urgent"), noCIDR)},
			want:  x + `:1: rule DCGW-CIDR-900: METADATA custom.severity: unknown severity "urgent" (want critical, high, medium, low or info)`,
		},
		{
			name:  "missing severity",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("#   severity: high\n", ""), noCIDR)},
			want:  x + ":1: rule DCGW-CIDR-900: METADATA custom.severity is missing",
		},
		{
			name:  "missing title",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("# title: Network has no CIDR\n", ""), noCIDR)},
			want:  x + ":1: rule DCGW-CIDR-900: METADATA title is missing",
		},
		{
			name: "missing description",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x",
				edit("# description: A customer network without an address range cannot be routed to.\n", ""), noCIDR)},
			want: x + ":1: rule DCGW-CIDR-900: METADATA description is missing",
		},
		{
			name:  "missing remediation",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("#   remediation: Give the network a CIDR.\n", ""), noCIDR)},
			want:  x + ":1: rule DCGW-CIDR-900: METADATA custom.remediation is missing",
		},
		{
			name:  "unknown input collection",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("[networks]", "[networks, vpcs]"), noCIDR)},
			want:  x + `:1: rule DCGW-CIDR-900: METADATA custom.inputs: unknown snapshot collection "vpcs"`,
		},
		{
			name:  "missing inputs",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("#   inputs: [networks]\n", ""), noCIDR)},
			want:  x + ":1: rule DCGW-CIDR-900: METADATA custom.inputs is missing (list the snapshot collections the rule reads)",
		},
		{
			name:  "unknown connectivity",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("[peering]", "[peering, vpn]"), noCIDR)},
			want:  x + `:1: rule DCGW-CIDR-900: METADATA custom.connectivity: unknown connectivity "vpn" (want edge, hub, peering, private-endpoint)`,
		},
		{
			name:  "unknown provider",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("[aws]", "[aws, oracle]"), noCIDR)},
			want:  x + `:1: rule DCGW-CIDR-900: METADATA custom.providers: unknown provider "oracle" (want aws, azure, gcp, konnect)`,
		},
		{
			name:  "unknown custom key",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("#   severity: high\n", "#   severity: high\n#   owner: me\n"), noCIDR)},
			want:  x + `:1: rule DCGW-CIDR-900: METADATA custom.owner: unknown key (want one of connectivity, cost, id, inputs, providers, remediation, severity)`,
		},
		{
			name:  "unknown cost",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("#   severity: high\n", "#   severity: high\n#   cost: huge\n"), noCIDR)},
			want:  x + `:1: rule DCGW-CIDR-900: METADATA custom.cost: unknown cost "huge" (want low, medium or high)`,
		},
		{
			name:  "cost of the wrong type",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("#   severity: high\n", "#   severity: high\n#   cost: 3\n"), noCIDR)},
			want:  x + ":1: rule DCGW-CIDR-900: METADATA custom.cost: want a string, got number",
		},
		{
			name:  "custom value of the wrong type",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("[aws]", "aws"), noCIDR)},
			want:  x + ":1: rule DCGW-CIDR-900: METADATA custom.providers: want a list of strings, got string",
		},
		{
			name:  "no deny rule",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, "\nallow if true\n")},
			want:  x + ":1: rule DCGW-CIDR-900: no deny rule: a rule package must define deny as a partial set (deny contains f if { ... })",
		},
		{
			name:  "deny is a complete rule",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, "\ndeny := {\"x\"}\n")},
			want:  x + ":15: rule DCGW-CIDR-900: deny must be a partial set rule (deny contains f if { ... })",
		},
		{
			name:  "deny is a partial object",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, "\ndeny[\"a\"] := 1\n")},
			want:  x + ":15: rule DCGW-CIDR-900: deny must be a partial set rule (deny contains f if { ... })",
		},
		{
			name:  "deny without metadata",
			files: map[string]string{"cidr/x.rego": "package dcgw.cidr.x\n" + noCIDR},
			want:  x + ":3: package dcgw.cidr.x defines deny but has no METADATA block with custom.id above its package line",
		},
		{
			name:  "built-in id out of pattern",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", edit("DCGW-CIDR-900", "DCGW-NET-1"), noCIDR)},
			want:  x + `:1: rule DCGW-NET-1: built-in rule id "DCGW-NET-1" does not match ^DCGW-(ATT|CIDR|DNS|FW|HUB|EP|TLS)-[0-9]{3}$`,
		},
		{
			name: "several errors in file order",
			files: map[string]string{
				"dns/z.rego":  rule("dcgw.dns.z", edit("severity: high", "severity: urgent"), noCIDR),
				"cidr/x.rego": rule("dcgw.cidr.x", edit("# title: Network has no CIDR\n", ""), "\nallow if true\n"),
			},
			want: x + ":1: rule DCGW-CIDR-900: METADATA title is missing\n" +
				x + ":1: rule DCGW-CIDR-900: no deny rule: a rule package must define deny as a partial set (deny contains f if { ... })\n" +
				"policies/dns/z.rego:1: duplicate rule id DCGW-CIDR-900 (also at policies/cidr/x.rego:1)\n" +
				`policies/dns/z.rego:1: rule DCGW-CIDR-900: METADATA custom.severity: unknown severity "urgent" (want critical, high, medium, low or info)`,
		},
		{
			name:  "parse error keeps OPA's file and row",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, "\ndeny contains f if {\n")},
			want:  x + ":16: rego_parse_error: unexpected eof token",
		},
		{
			name:  "unsafe variable keeps OPA's file and row",
			files: map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, "\ndeny contains f if {\n\tf := {\"resource\": y, \"msg\": \"m\"}\n}\n")},
			want:  "compile policies: 1 error occurred: " + x + ":16: rego_unsafe_var_error: var y is unsafe",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(t.Context(), Options{Params: DefaultParams(), Builtin: fixtureFS(tc.files)})
			if err == nil {
				t.Fatalf("New succeeded, want error %q", tc.want)
			}
			// OPA's own errors go on with the offending source line; ours are exact.
			match := func(got string) bool { return got == tc.want }
			if strings.Contains(tc.want, ": rego_") {
				match = func(got string) bool { return strings.HasPrefix(got, tc.want) }
			}
			if got := err.Error(); !match(got) {
				t.Errorf("New error:\n got: %s\nwant: %s", got, tc.want)
			}
			// RunTests checks the same metadata.
			if _, err := RunTests(t.Context(), Options{Params: DefaultParams(), Builtin: fixtureFS(tc.files)}); err == nil || !match(err.Error()) {
				t.Errorf("RunTests error:\n got: %v\nwant: %s", err, tc.want)
			}
		})
	}
}

// writeDir writes files into a fresh directory and returns it.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestUserRules(t *testing.T) {
	t.Parallel()
	builtin := fixtureFS(map[string]string{"cidr/no_cidr.rego": rule("dcgw.cidr.no_cidr", meta, noCIDR)})
	customMeta := strings.Replace(meta, "DCGW-CIDR-900", "ACME-NET-1", 1)

	t.Run("custom rule loads and runs beside built-ins", func(t *testing.T) {
		t.Parallel()
		dir := writeDir(t, map[string]string{
			"net/acme.rego":      rule("acme.net", customMeta, noCIDR),
			"net/acme_test.rego": "package acme.net_test\n\ntest_fails if false\n",
			"README.md":          "not a rule",
		})
		e, err := New(t.Context(), Options{Dirs: []string{dir}, Params: DefaultParams(), Builtin: builtin})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		var ids []string
		for _, r := range e.Rules() {
			ids = append(ids, r.ID)
			if r.ID == "ACME-NET-1" {
				if want := filepath.Join(dir, "net", "acme.rego"); r.File != want || r.Builtin {
					t.Errorf("custom rule File=%q Builtin=%v, want %q false", r.File, r.Builtin, want)
				}
			}
		}
		if diff := cmp.Diff([]string{"ACME-NET-1", "DCGW-CIDR-900"}, ids); diff != "" {
			t.Errorf("rule ids (-want +got):\n%s", diff)
		}
		res, err := e.Evaluate(t.Context(), estate())
		if err != nil {
			t.Fatalf("Evaluate: %v", err)
		}
		if got := len(res.Findings); got != 4 {
			t.Errorf("got %d findings, want 2 per rule: %+v", got, res.Findings)
		}
	})

	tests := []struct {
		name  string
		files map[string]string
		want  string // with DIR for the directory
	}{
		{
			name: "http.send is not available",
			files: map[string]string{"x.rego": rule("acme.x", customMeta, `
deny contains f if {
	r := http.send({"method": "GET", "url": "https://example.com"})
	f := {"resource": "x", "msg": r.body}
}
`)},
			want: "compile policies: 1 error occurred: DIR/x.rego:16: rego_type_error: undefined function http.send",
		},
		{
			name:  "net.lookup_ip_addr is not available",
			files: map[string]string{"x.rego": rule("acme.x", customMeta, "\ndeny contains {\"resource\": \"x\", \"msg\": m} if {\n\tsome m in net.lookup_ip_addr(\"example.com\")\n}\n")},
			want:  "compile policies: 1 error occurred: DIR/x.rego:16: rego_type_error: undefined function net.lookup_ip_addr",
		},
		{
			name:  "opa.runtime is not available",
			files: map[string]string{"x.rego": rule("acme.x", customMeta, "\ndeny contains {\"resource\": \"x\", \"msg\": m} if {\n\tm := opa.runtime().env.HOME\n}\n")},
			want:  "compile policies: 1 error occurred: DIR/x.rego:16: rego_type_error: undefined function opa.runtime",
		},
		{
			name:  "time.now_ns is not available",
			files: map[string]string{"x.rego": rule("acme.x", customMeta, "\ndeny contains {\"resource\": \"x\", \"msg\": m} if {\n\tm := sprintf(\"%d\", [time.now_ns()])\n}\n")},
			want:  "compile policies: 1 error occurred: DIR/x.rego:16: rego_type_error: undefined function time.now_ns",
		},
		{
			name:  "custom rule takes the built-in prefix",
			files: map[string]string{"x.rego": rule("acme.x", strings.Replace(meta, "DCGW-CIDR-900", "DCGW-CIDR-999", 1), noCIDR)},
			want:  `DIR/x.rego:1: rule DCGW-CIDR-999: rule id "DCGW-CIDR-999": the DCGW- prefix is reserved for built-in rules`,
		},
		{
			name:  "custom rule id duplicates a built-in id",
			files: map[string]string{"dup.rego": rule("acme.dup", meta, noCIDR)},
			want: "DIR/dup.rego:1: duplicate rule id DCGW-CIDR-900 (also at policies/cidr/no_cidr.rego:1)\n" +
				`DIR/dup.rego:1: rule DCGW-CIDR-900: rule id "DCGW-CIDR-900": the DCGW- prefix is reserved for built-in rules`,
		},
		{
			name:  "directory without rules",
			files: map[string]string{"notes.txt": "nothing"},
			want:  "read policy directory DIR: no .rego files",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeDir(t, tc.files)
			_, err := New(t.Context(), Options{Dirs: []string{dir}, Params: DefaultParams(), Builtin: builtin})
			want := strings.ReplaceAll(tc.want, "DIR", dir)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("New error:\n got: %v\nwant: %s", err, want)
			}
		})
	}

	t.Run("missing directory", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "nope")
		_, err := New(t.Context(), Options{Dirs: []string{dir}, Params: DefaultParams(), Builtin: builtin})
		if err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("New error = %v, want one naming %s", err, dir)
		}
	})
}

func TestEvaluateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{
			name: "built-in error at run time",
			body: "\ndeny contains f if {\n\tsome n in input.networks\n\tto_number(n.id) > 0\n\tf := {\"resource\": n.id, \"msg\": \"m\"}\n}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): policies/cidr/x.rego:17: eval_builtin_error: to_number: strconv.ParseFloat: parsing "vpc-b": invalid syntax`,
		},
		{
			name: "element is a string",
			body: "\ndeny contains \"bad\"\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element "bad": want an object {"resource": id, "msg": text, "key": k, "evidence": {...}}`,
		},
		{
			name: "resource missing",
			body: "\ndeny contains {\"msg\": \"m\"}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"msg":"m"}: resource: missing or empty`,
		},
		{
			name: "resource empty",
			body: "\ndeny contains {\"resource\": \"\", \"msg\": \"m\"}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"msg":"m","resource":""}: resource: missing or empty`,
		},
		{
			name: "resource not a string",
			body: "\ndeny contains {\"resource\": 7, \"msg\": \"m\"}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"msg":"m","resource":7}: resource: want a string, got number`,
		},
		{
			name: "msg missing",
			body: "\ndeny contains {\"resource\": \"r\"}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"resource":"r"}: msg: missing or empty`,
		},
		{
			name: "key not a string",
			body: "\ndeny contains {\"resource\": \"r\", \"msg\": \"m\", \"key\": [1]}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"key":[1],"msg":"m","resource":"r"}: key: want a string, got list`,
		},
		{
			name: "evidence not an object",
			body: "\ndeny contains {\"resource\": \"r\", \"msg\": \"m\", \"evidence\": \"e\"}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"evidence":"e","msg":"m","resource":"r"}: evidence: want an object, got string`,
		},
		{
			name: "unknown member",
			body: "\ndeny contains {\"resource\": \"r\", \"message\": \"m\"}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"message":"m","resource":"r"}: unknown key "message" (want resource, msg, key, evidence, path)`,
		},
		{
			name: "path not an array",
			body: "\ndeny contains {\"resource\": \"r\", \"msg\": \"m\", \"path\": {}}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"msg":"m","path":{},"resource":"r"}: path: want an array of hops, got object`,
		},
		{
			name: "path hop with an unknown member",
			body: "\ndeny contains {\"resource\": \"r\", \"msg\": \"m\", \"path\": [{\"resource_id\": \"sg-1\", \"rule\": 1}]}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"msg":"m","path":[{"resource_id":"sg-1","rule":1}],"resource":"r"}: path: want hops as in input.reach.flows[_].hops: json: unknown field "rule"`,
		},
		{
			name: "path hop without a resource",
			body: "\ndeny contains {\"resource\": \"r\", \"msg\": \"m\", \"path\": [{\"kind\": \"filter\"}]}\n",
			want: `rule DCGW-CIDR-900 (policies/cidr/x.rego): deny element {"msg":"m","path":[{"kind":"filter"}],"resource":"r"}: path: hop 0: resource_id: missing or empty`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := New(t.Context(), Options{
				Params:  DefaultParams(),
				Builtin: fixtureFS(map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, tc.body)}),
			})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			res, err := e.Evaluate(t.Context(), estate())
			if err == nil {
				t.Fatalf("Evaluate succeeded with %+v, want error %q", res, tc.want)
			}
			if got := err.Error(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("Evaluate error:\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}

	t.Run("canceled context", func(t *testing.T) {
		t.Parallel()
		e, err := New(t.Context(), Options{
			Params:  DefaultParams(),
			Builtin: fixtureFS(map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, noCIDR)}),
		})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := e.Evaluate(ctx, estate()); err == nil {
			t.Error("Evaluate on a canceled context succeeded")
		}
	})
}

func TestNotEvaluated(t *testing.T) {
	t.Parallel()
	awsNetworks := Rule{ID: "R-AWS", Providers: []string{"aws"}, Inputs: []string{"networks", "peerings"}}
	anyDNS := Rule{ID: "R-ANY", Inputs: []string{"dns_records"}}
	konnect := Rule{ID: "R-KONG", Providers: []string{"aws", "konnect"}, Inputs: []string{"konnect.networks"}}
	rules := []Rule{awsNetworks, anyDNS, konnect}

	ok := func(provider, account, service string, cols ...string) snapshot.Scope {
		return snapshot.Scope{Provider: provider, Account: account, Region: "r1", Service: service, Status: snapshot.ScopeOK, Collections: cols}
	}
	with := func(s snapshot.Scope, status string, errs ...snapshot.ScopeError) snapshot.Scope {
		s.Status, s.Errors = status, errs
		return s
	}
	allOK := []snapshot.Scope{
		ok("aws", "1", "ec2", "networks", "peerings"),
		ok("aws", "1", "route53", "dns_records"),
		ok("konnect", "org", "networks", "konnect.networks"),
	}

	tests := []struct {
		name   string
		scopes []snapshot.Scope
		want   []NotEvaluated
	}{
		{name: "every scope ok", scopes: allOK, want: []NotEvaluated{}},
		{
			name: "failed scope",
			scopes: append(slicesClone(allOK), with(ok("aws", "2", "ec2", "networks"), snapshot.ScopeFailed,
				snapshot.ScopeError{Class: "denied", Operation: "DescribeVpcs", Message: "not authorized"})),
			want: []NotEvaluated{{RuleID: "R-AWS", Scope: "aws/2/r1/ec2", Reason: "scope failed (denied): DescribeVpcs: not authorized"}},
		},
		{
			name: "partial scope with two errors",
			scopes: append(slicesClone(allOK), with(ok("aws", "2", "ec2", "peerings", "subnets"), snapshot.ScopePartial,
				snapshot.ScopeError{Class: "throttled", Message: "rate exceeded"},
				snapshot.ScopeError{Class: "truncated", Message: "page limit"})),
			want: []NotEvaluated{{RuleID: "R-AWS", Scope: "aws/2/r1/ec2", Reason: "scope partial (throttled): rate exceeded; (truncated): page limit"}},
		},
		{
			name:   "failed scope of a collection no rule reads",
			scopes: append(slicesClone(allOK), with(ok("aws", "2", "elb", "load_balancers"), snapshot.ScopeFailed)),
			want:   []NotEvaluated{},
		},
		{
			name: "provider filter",
			scopes: append(slicesClone(allOK),
				with(ok("azure", "sub", "network", "networks", "dns_records"), snapshot.ScopeFailed),
				with(ok("konnect", "org2", "networks", "konnect.networks"), snapshot.ScopeFailed)),
			want: []NotEvaluated{
				{RuleID: "R-ANY", Scope: "azure/sub/r1/network", Reason: "scope failed"},
				{RuleID: "R-KONG", Scope: "konnect/org2/r1/networks", Reason: "scope failed"},
			},
		},
		{
			name:   "uncovered collection",
			scopes: []snapshot.Scope{ok("aws", "1", "ec2", "networks"), ok("konnect", "org", "networks", "konnect.networks")},
			want: []NotEvaluated{
				{RuleID: "R-ANY", Scope: "aws:dns_records", Reason: "no aws scope in the snapshot collected dns_records"},
				{RuleID: "R-AWS", Scope: "aws:peerings", Reason: "no aws scope in the snapshot collected peerings"},
			},
		},
		{
			name: "clouds absent from the estate need nothing, Konnect is always needed",
			scopes: []snapshot.Scope{
				ok("gcp", "p1", "compute", "networks", "peerings"),
				ok("gcp", "p1", "dns", "dns_records"),
			},
			want: []NotEvaluated{
				{RuleID: "R-KONG", Scope: "konnect:konnect.networks", Reason: "no konnect scope in the snapshot collected konnect.networks"},
			},
		},
		{
			name: "a collection only some present clouds fill",
			scopes: append(slicesClone(allOK),
				ok("azure", "sub", "network", "networks", "peerings")),
			want: []NotEvaluated{
				{RuleID: "R-ANY", Scope: "azure:dns_records", Reason: "no azure scope in the snapshot collected dns_records"},
			},
		},
		{
			name:   "failed scope still counts as covering",
			scopes: []snapshot.Scope{with(ok("aws", "1", "all", "networks", "peerings", "dns_records", "konnect.networks"), snapshot.ScopeFailed)},
			want: []NotEvaluated{
				{RuleID: "R-ANY", Scope: "aws/1/r1/all", Reason: "scope failed"},
				{RuleID: "R-AWS", Scope: "aws/1/r1/all", Reason: "scope failed"},
				{RuleID: "R-KONG", Scope: "aws/1/r1/all", Reason: "scope failed"},
				{RuleID: "R-KONG", Scope: "konnect:konnect.networks", Reason: "no konnect scope in the snapshot collected konnect.networks"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, notEvaluated(rules, (&snapshot.Snapshot{Scopes: tc.scopes}).CoverageGaps())); diff != "" {
				t.Errorf("notEvaluated mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIncompleteScopes(t *testing.T) {
	t.Parallel()
	scopes := []snapshot.Scope{
		{Provider: "aws", Account: "2", Region: "r1", Service: "ec2", Status: snapshot.ScopeFailed},
		{Provider: "aws", Account: "1", Region: "r1", Service: "ec2", Status: snapshot.ScopeOK},
		{Provider: "aws", Account: "1", Region: "r1", Service: "elb", Status: snapshot.ScopePartial},
	}
	want := []string{"aws/1/r1/elb", "aws/2/r1/ec2"}
	if diff := cmp.Diff(want, incompleteScopes(scopes)); diff != "" {
		t.Errorf("incompleteScopes mismatch (-want +got):\n%s", diff)
	}
	res := Result{IncompleteScopes: want}
	if !res.Incomplete() {
		t.Error("a result with failed scopes and no blind rule is not incomplete")
	}
	if (&Result{}).Incomplete() {
		t.Error("an empty result is incomplete")
	}
}

func slicesClone(s []snapshot.Scope) []snapshot.Scope { return append([]snapshot.Scope(nil), s...) }

// TestEvaluateNotEvaluated checks that Evaluate reports blind spots and still
// reports what it found in the data that was read.
func TestEvaluateNotEvaluated(t *testing.T) {
	t.Parallel()
	e, err := New(t.Context(), Options{
		Params:  DefaultParams(),
		Builtin: fixtureFS(map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, noCIDR)}),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	snap := estate()
	snap.Scopes = append(snap.Scopes, snapshot.Scope{
		Provider: "aws", Account: "222222222222", Region: "eu-west-2", Service: "ec2",
		Status: snapshot.ScopeFailed, Collections: []string{"networks", "subnets"},
		Errors: []snapshot.ScopeError{{Class: "denied", Message: "UnauthorizedOperation"}},
	})
	res, err := e.Evaluate(t.Context(), snap)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	want := []NotEvaluated{{RuleID: "DCGW-CIDR-900", Scope: "aws/222222222222/eu-west-2/ec2", Reason: "scope failed (denied): UnauthorizedOperation"}}
	if diff := cmp.Diff(want, res.NotEvaluated); diff != "" {
		t.Errorf("NotEvaluated mismatch (-want +got):\n%s", diff)
	}
	if !res.Incomplete() {
		t.Error("Incomplete() = false, want true")
	}
	if got := len(res.Findings); got != 2 {
		t.Errorf("got %d findings, want the 2 from the data that was read", got)
	}
}

// TestZeroParams checks that lists the caller left nil reach rules as empty lists:
// count(null) would be a built-in error.
func TestZeroParams(t *testing.T) {
	t.Parallel()
	body := "\ndeny contains {\"resource\": \"vpc-a\", \"msg\": \"m\"} if count(data.config.allowed_spokes) == 0\n"
	e, err := New(t.Context(), Options{Builtin: fixtureFS(map[string]string{"cidr/x.rego": rule("dcgw.cidr.x", meta, body)})})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	res, err := e.Evaluate(t.Context(), estate())
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if len(res.Findings) != 1 {
		t.Errorf("got findings %+v, want one", res.Findings)
	}
}

func TestDisabledRules(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"cidr/x.rego":          rule("dcgw.cidr.x", meta, noCIDR),
		"hub/attachments.rego": attachmentRule,
		"lib/ids.rego":         libIDs,
	}
	tests := []struct {
		name     string
		disabled []string
		want     []string // rule ids left, and the rules that found something
		wantErr  string
	}{
		{name: "none", want: []string{"DCGW-CIDR-900", "DCGW-HUB-901"}},
		{name: "by id", disabled: []string{"DCGW-HUB-901"}, want: []string{"DCGW-CIDR-900"}},
		{name: "by prefix", disabled: []string{"DCGW-CIDR-*"}, want: []string{"DCGW-HUB-901"}},
		{name: "everything", disabled: []string{"DCGW-*"}, want: nil},
		{name: "typo", disabled: []string{"DCGW-HUB-910", "DCGW-FW-*"}, wantErr: "disabled rule \"DCGW-HUB-910\" matches no rule\ndisabled rule \"DCGW-FW-*\" matches no rule"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := New(t.Context(), Options{Params: DefaultParams(), Builtin: fixtureFS(files), Disabled: tc.disabled})
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("New error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			res, err := e.Evaluate(t.Context(), estate())
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			var ids, found []string
			for _, r := range res.Rules {
				ids = append(ids, r.ID)
			}
			for _, f := range res.Findings {
				if !slices.Contains(found, f.RuleID) {
					found = append(found, f.RuleID)
				}
			}
			if diff := cmp.Diff(tc.want, ids); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, found); diff != "" {
				t.Errorf("rules with findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSeverityOverrides(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"cidr/x.rego":          rule("dcgw.cidr.x", meta, noCIDR),
		"hub/attachments.rego": attachmentRule,
		"lib/ids.rego":         libIDs,
	}
	e, err := New(t.Context(), Options{Params: DefaultParams(), Builtin: fixtureFS(files), Severities: map[string]Severity{"DCGW-HUB-901": SeverityLow}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	res, err := e.Evaluate(t.Context(), estate())
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	for _, r := range res.Rules {
		if r.ID == "DCGW-HUB-901" && r.Severity != SeverityLow {
			t.Errorf("rule severity %q, want low", r.Severity)
		}
		if r.ID == "DCGW-CIDR-900" && r.Severity == SeverityLow {
			t.Errorf("DCGW-CIDR-900 changed severity too")
		}
	}
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "DCGW-HUB-901" {
			n++
			if f.Severity != SeverityLow {
				t.Errorf("finding severity %q, want low", f.Severity)
			}
		}
	}
	if n == 0 {
		t.Fatal("the fixture produced no DCGW-HUB-901 finding to check")
	}

	_, err = New(t.Context(), Options{Params: DefaultParams(), Builtin: fixtureFS(files),
		Severities: map[string]Severity{"DCGW-HUB-999": SeverityLow, "DCGW-CIDR-900": "severe"}})
	want := "severities: DCGW-CIDR-900: \"severe\" is not a severity (critical, high, medium, low or info)\nseverities: \"DCGW-HUB-999\" names no rule that is loaded and enabled"
	if err == nil || err.Error() != want {
		t.Errorf("New error = %v, want %q", err, want)
	}
}

// TestNotEvaluatedKongSide checks the estate facts: a cloud Kong's networks are on
// takes part without a scope of its own, and Kong's hubs need their route tables (or
// the hub itself) collected.
func TestNotEvaluatedKongSide(t *testing.T) {
	t.Parallel()
	hubRules := []Rule{
		{ID: "R-TABLES", Providers: []string{"aws"}, Inputs: []string{"hub_route_tables"}},
		{ID: "R-HUBS", Providers: []string{"aws"}, Inputs: []string{"hubs"}},
		{ID: "R-NETS", Providers: []string{"aws"}, Inputs: []string{"networks"}},
	}
	kong := snapshot.Konnect{Networks: []snapshot.KonnectNetwork{{
		Entity: snapshot.Entity{ID: "kn", Provider: "aws"}, CIDR: "10.40.0.0/16",
		Attachments: []snapshot.KonnectAttachment{{ID: "att", Kind: snapshot.AttachAWSTransitGateway, HubID: "tgw-1"}},
	}}}
	kongScope := snapshot.Scope{Provider: "konnect", Region: "global", Service: "cloud-gateways", Status: snapshot.ScopeOK, Collections: []string{"konnect.networks"}}
	ec2 := func(account string, cols ...string) snapshot.Scope {
		return snapshot.Scope{Provider: "aws", Account: account, Region: "us-east-1", Service: "ec2", Status: snapshot.ScopeOK, Collections: cols}
	}
	hub := snapshot.Hub{Entity: snapshot.Entity{ID: "tgw-1", Provider: "aws", Account: "222", Region: "us-east-1"}, Kind: "aws-transit-gateway"}
	const tablesWhy = "the route tables of Kong's hub tgw-1 were not collected: no scope of its owner 222 in us-east-1 read hub route tables (AWS shows a transit gateway's route tables only to its owner); scan that account"
	tests := []struct {
		name string
		snap snapshot.Snapshot
		want []NotEvaluated
	}{
		{
			name: "Konnect only: the AWS side was never collected",
			snap: snapshot.Snapshot{Konnect: kong, Scopes: []snapshot.Scope{kongScope}},
			want: []NotEvaluated{
				{RuleID: "R-HUBS", Scope: "aws:hub tgw-1", Reason: "Kong's hub tgw-1 (Konnect attachment att) is not in the snapshot: no scanned account and region holds it; scan its owner"},
				{RuleID: "R-HUBS", Scope: "aws:hubs", Reason: "no aws scope in the snapshot collected hubs"},
				{RuleID: "R-NETS", Scope: "aws:networks", Reason: "no aws scope in the snapshot collected networks"},
				{RuleID: "R-TABLES", Scope: "aws:hub tgw-1", Reason: "Kong's hub tgw-1 (Konnect attachment att) is not in the snapshot: no scanned account and region holds it; scan its owner"},
				{RuleID: "R-TABLES", Scope: "aws:hub_route_tables", Reason: "no aws scope in the snapshot collected hub_route_tables"},
			},
		},
		{
			name: "a spoke account's scan sees the shared TGW but not its tables",
			snap: snapshot.Snapshot{Konnect: kong, Hubs: []snapshot.Hub{hub},
				Scopes: []snapshot.Scope{kongScope, ec2("111", "networks", "hubs", "hub_route_tables")}},
			want: []NotEvaluated{{RuleID: "R-TABLES", Scope: "aws/222/us-east-1:hub_route_tables", Reason: tablesWhy}},
		},
		{
			name: "the owner's account was scanned too",
			snap: snapshot.Snapshot{Konnect: kong, Hubs: []snapshot.Hub{hub},
				Scopes: []snapshot.Scope{kongScope, ec2("111", "networks", "hubs", "hub_route_tables"), ec2("222", "hubs", "hub_route_tables")}},
			want: []NotEvaluated{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := notEvaluated(hubRules, tc.snap.CoverageGaps())
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("notEvaluated (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroupRules(t *testing.T) {
	t.Parallel()
	rp := func(id string, c cost) rulePackage { return rulePackage{Rule: Rule{ID: id}, cost: c} }
	found := []rulePackage{
		rp("ACME-001", "medium"),
		rp("DCGW-ATT-001", "medium"),
		rp("DCGW-CIDR-001", "medium"),
		rp("DCGW-CIDR-002", "high"),
		rp("DCGW-DNS-001", "low"),
		rp("DCGW-FW-001", "high"),
		rp("DCGW-TLS-001", "medium"),
		rp("ZED-001", "low"),
	}
	// The costliest rule decides a group's place; ties keep the order of the rules.
	want := [][]int{{2, 3}, {5}, {0, 7}, {1}, {6}, {4}}
	if diff := cmp.Diff(want, groupRules(found)); diff != "" {
		t.Errorf("groupRules (-want +got):\n%s", diff)
	}
}

// TestBuiltinGroupOrder checks the order the built-in families start in, which their
// rules' METADATA custom.cost decides: the costliest on a large estate first.
func TestBuiltinGroupOrder(t *testing.T) {
	t.Parallel()
	e, err := New(t.Context(), Options{Params: DefaultParams()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var got []string
	for _, g := range e.groups {
		got = append(got, e.rules[g.rules[0]].Family())
	}
	want := []string{"CIDR", "FW", "ATT", "DNS", "EP", "HUB", "TLS"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("group order (-want +got):\n%s", diff)
	}
}

// TestEvaluateParallel checks that evaluating the rule groups at once gives exactly the
// result of evaluating them one after the other: every built-in rule on a synthetic
// estate with findings in every family.
func TestEvaluateParallel(t *testing.T) {
	t.Parallel()
	var results []*Result
	for _, par := range []int{1, 4} {
		e, err := New(t.Context(), Options{Params: DefaultParams(), Parallelism: par})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		res, err := e.Evaluate(t.Context(), synth.Generate(synth.Options{Networks: 100, Seed: 1}))
		if err != nil {
			t.Fatalf("Evaluate with parallelism %d: %v", par, err)
		}
		results = append(results, res)
	}
	if len(results[0].Findings) == 0 {
		t.Fatal("no findings on the synthetic estate: the comparison would prove nothing")
	}
	if diff := cmp.Diff(results[0], results[1]); diff != "" {
		t.Errorf("parallel evaluation differs from sequential (-sequential +parallel):\n%s", diff)
	}
}

// TestEvaluateParallelError checks that a rule failing while other groups run is the
// error reported, not the cancellation it causes in the others: the CIDR group, which
// starts first, would run for hours unless the failure in the FW group stops it.
func TestEvaluateParallelError(t *testing.T) {
	t.Parallel()
	failing := "\ndeny contains f if {\n\tsome n in input.networks\n\tto_number(n.id) > 0\n\tf := {\"resource\": n.id, \"msg\": \"m\"}\n}\n"
	endless := "\ndeny contains f if {\n\tsome a in numbers.range(1, 100000)\n\tsome b in numbers.range(1, 100000)\n\ta + b < 0\n\tf := {\"resource\": \"r\", \"msg\": \"m\"}\n}\n"
	files := map[string]string{
		"fw/x.rego":   rule("dcgw.fw.x", strings.Replace(meta, "CIDR-900", "FW-900", 1), failing),
		"cidr/x.rego": rule("dcgw.cidr.x", meta, endless),
	}
	for _, fam := range []string{"DNS", "EP", "HUB", "TLS"} {
		pkg := "dcgw." + strings.ToLower(fam) + ".ok"
		files[strings.ToLower(fam)+"/ok.rego"] = rule(pkg, strings.Replace(meta, "CIDR-900", fam+"-900", 1), noCIDR)
	}
	for _, par := range []int{2, 6} {
		e, err := New(t.Context(), Options{Params: DefaultParams(), Builtin: fixtureFS(files), Parallelism: par})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		_, err = e.Evaluate(t.Context(), estate())
		want := "rule DCGW-FW-900 (policies/fw/x.rego): policies/fw/x.rego:17: eval_builtin_error: to_number"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("parallelism %d: Evaluate error %v, want %q", par, err, want)
		}
	}
}

func TestGroupWorkers(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	for _, tc := range []struct {
		par         int
		live, limit uint64
		want        int
	}{
		{2, 60 * mib, 900 * mib, 2},  // a small estate: groups in parallel
		{2, 560 * mib, 900 * mib, 1}, // the 10k estate: one at a time
		{2, 560 * mib, 0, 2},         // no limit (GOMEMLIMIT=off): no reason to hold back
		{1, 10 * mib, 900 * mib, 1},
	} {
		if got := groupWorkers(tc.par, tc.live, tc.limit); got != tc.want {
			t.Errorf("groupWorkers(%d, %d MiB, %d MiB) = %d, want %d", tc.par, tc.live/mib, tc.limit/mib, got, tc.want)
		}
	}
}
