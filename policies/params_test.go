package policies

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/rego"
	"go.yaml.in/yaml/v3"
)

// TestDefaultParamsValid checks the defaults pass their own validation and carry the
// endpoint and edge parameters rules read.
func TestDefaultParamsValid(t *testing.T) {
	t.Parallel()
	p := DefaultParams()
	if err := p.Validate(); err != nil {
		t.Fatalf("DefaultParams().Validate() = %v", err)
	}
	if p.EndpointAllowedPorts == nil {
		t.Error("EndpointAllowedPorts is nil: data.config.endpoint_allowed_ports would be null")
	}
	for _, want := range []string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-1-2021-06", "AppGwSslPolicy20150501", "AppGwSslPolicy20170401"} {
		found := false
		for _, got := range p.WeakTLSPolicies {
			found = found || got == want
		}
		if !found {
			t.Errorf("WeakTLSPolicies lacks %s", want)
		}
	}
	for _, strong := range []string{"ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "AppGwSslPolicy20170401S", "AppGwSslPolicy20220101"} {
		for _, got := range p.WeakTLSPolicies {
			if strings.EqualFold(got, strong) {
				t.Errorf("WeakTLSPolicies lists %s, which accepts TLS 1.2+ only", strong)
			}
		}
	}
	// The defaults are a copy: changing one Params does not change the next defaults.
	p.WeakTLSPolicies[0] = "changed"
	if DefaultParams().WeakTLSPolicies[0] == "changed" {
		t.Error("DefaultParams shares its WeakTLSPolicies slice")
	}
}

func TestParamsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(*Params)
		wantErr string // substring; empty means valid
	}{
		{name: "defaults", change: func(*Params) {}},
		{name: "principals", change: func(p *Params) {
			p.AllowedSharePrincipals = []string{"222222222222", "arn:aws:organizations::111111111111:organization/o-abc"}
		}},
		{name: "empty principal", change: func(p *Params) { p.AllowedSharePrincipals = []string{"1", " "} },
			wantErr: "allowed_share_principals[1]: empty principal"},
		{name: "ports", change: func(p *Params) {
			p.EndpointAllowedPorts = map[string][]string{"rcfg-1": {"443", "8000-8100", "1-65535", "65535"}}
		}},
		{name: "port zero", change: func(p *Params) { p.EndpointAllowedPorts = map[string][]string{"rcfg-1": {"0"}} },
			wantErr: `endpoint_allowed_ports["rcfg-1"][0]: "0" is not a port`},
		{name: "port too big", change: func(p *Params) { p.EndpointAllowedPorts = map[string][]string{"rcfg-1": {"443", "65536"}} },
			wantErr: `endpoint_allowed_ports["rcfg-1"][1]: "65536"`},
		{name: "reversed range", change: func(p *Params) { p.EndpointAllowedPorts = map[string][]string{"a": {"9-8"}} },
			wantErr: `"9-8" is not a port`},
		{name: "comma list", change: func(p *Params) { p.EndpointAllowedPorts = map[string][]string{"a": {"22,443"}} },
			wantErr: `"22,443" is not a port`},
		{name: "spaces and signs", change: func(p *Params) {
			p.EndpointAllowedPorts = map[string][]string{"a": {" 443", "+443", "-1", "1-", "443-x"}}
		},
			wantErr: `[4]: "443-x"`},
		{name: "empty key", change: func(p *Params) { p.EndpointAllowedPorts = map[string][]string{"": {"443"}} },
			wantErr: "endpoint_allowed_ports: empty resource configuration key"},
		{name: "empty policy", change: func(p *Params) { p.WeakTLSPolicies = []string{""} },
			wantErr: "weak_tls_policies[0]: empty policy name"},
		{name: "no weak policies", change: func(p *Params) { p.WeakTLSPolicies = nil }},
		{name: "external edges", change: func(p *Params) { p.ExternalEdges = []string{"d111.cloudfront.net", ".example.net", "198.51.100.7"} }},
		{name: "empty edge", change: func(p *Params) { p.ExternalEdges = []string{"."} },
			wantErr: "external_edges[0]: empty name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := DefaultParams()
			tc.change(&p)
			err := p.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("Validate() = nil, want an error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("Validate() = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestParamsSpacesAndSigns checks every malformed port of a list is reported, not just
// the first.
func TestParamsSpacesAndSigns(t *testing.T) {
	t.Parallel()
	p := DefaultParams()
	p.EndpointAllowedPorts = map[string][]string{"a": {" 443", "+443", "-1", "1-", "443"}}
	err := p.Validate()
	if err == nil {
		t.Fatal("Validate() = nil")
	}
	if got := strings.Count(err.Error(), "is not a port"); got != 4 {
		t.Errorf("Validate() reported %d bad ports, want 4:\n%v", got, err)
	}
}

// TestParamsYAML decodes the new parameters the way the config loader does: into the
// defaults, with unknown keys refused.
func TestParamsYAML(t *testing.T) {
	t.Parallel()
	src := `
allowed_share_principals: ["222222222222"]
endpoint_allowed_ports:
  rcfg-0123456789abcdef0: ["443"]
  orders.internal: ["8000-8100"]
weak_tls_policies: [ELBSecurityPolicy-2016-08]
external_edges: [d111111abcdef8.cloudfront.net]
`
	p := DefaultParams()
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := DefaultParams()
	want.AllowedSharePrincipals = []string{"222222222222"}
	want.EndpointAllowedPorts = map[string][]string{"rcfg-0123456789abcdef0": {"443"}, "orders.internal": {"8000-8100"}}
	want.WeakTLSPolicies = []string{"ELBSecurityPolicy-2016-08"}
	want.ExternalEdges = []string{"d111111abcdef8.cloudfront.net"}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("decoded params mismatch (-want +got):\n%s", diff)
	}
}

// TestEndpointFixtureMatchesDefaults checks the Rego test fixture of the endpoint and
// tls rules (policies/lib/ep_fixtures_test.rego) holds the defaults of their parameters.
func TestEndpointFixtureMatchesDefaults(t *testing.T) {
	t.Parallel()
	var opts []func(*rego.Rego)
	for _, name := range []string{"lib/fixtures_test.rego", "lib/ep_fixtures_test.rego"} {
		src, err := fs.ReadFile(BuiltinFS(), name)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, rego.Module(name, string(src)))
	}
	opts = append(opts, rego.Query("data.dcgw.lib.ep_fixtures.config"))
	rs, err := rego.New(opts...).Eval(t.Context())
	if err != nil || len(rs) != 1 {
		t.Fatalf("eval fixture: %v (%d results)", err, len(rs))
	}
	got := rs[0].Expressions[0].Value.(map[string]any)

	raw, err := json.Marshal(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"allowed_share_principals", "endpoint_allowed_ports", "weak_tls_policies", "external_edges"} {
		if diff := cmp.Diff(want[key], got[key]); diff != "" {
			t.Errorf("ep_fixtures config %s differs from DefaultParams (-want +got):\n%s", key, diff)
		}
	}
}
