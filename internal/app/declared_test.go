package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// declaredNetwork is a config's konnect key with one network (lines 1-15).
const declaredNetwork = `konnect:
  networks:
    - id: net-1
      provider: aws
      region: us-east-2
      cidr: 10.40.0.0/16
      state: ready
      data_plane_ips: [10.40.11.23, 10.40.75.141]
      hostnames: [9e454bcfec.gateways.konggateway.com]
      api_access: private
      attachments:
        - id: att-1
          kind: aws-transit-gateway-attachment
          cidr_blocks: [10.20.0.0/16]
          hub_id: tgw-1
`

func TestLoadConfigDeclaredKonnect(t *testing.T) {
	t.Parallel()
	network := snapshot.KonnectNetwork{
		Entity:       snapshot.Entity{ID: "net-1", Provider: "aws", Region: "us-east-2"},
		CIDR:         "10.40.0.0/16",
		State:        "ready",
		DataPlaneIPs: []string{"10.40.11.23", "10.40.75.141"},
		Hostnames:    []string{"9e454bcfec.gateways.konggateway.com"},
		APIAccess:    "private",
		Attachments: []snapshot.KonnectAttachment{{
			ID: "att-1", Kind: snapshot.AttachAWSTransitGateway, CIDRBlocks: []string{"10.20.0.0/16"}, HubID: "tgw-1",
		}},
	}
	tests := []struct {
		name string
		yaml string
		// want is the declared Konnect side; wantCollections its scope's collections.
		want            snapshot.Konnect
		wantCollections []string
		wantLine        int
		wantErr         string
	}{
		{
			name:            "networks only",
			yaml:            "gateway_port: 443\n" + declaredNetwork,
			want:            snapshot.Konnect{Networks: []snapshot.KonnectNetwork{network}},
			wantCollections: []string{"konnect.networks"},
			wantLine:        2,
		},
		{
			name: "custom domains and availability are collections when declared",
			yaml: declaredNetwork + "  custom_domains:\n    - {id: d1, domain: api.example.com}\n" +
				"  availability:\n    - {provider: aws, region: us-east-2, allowed_cidrs: [10.0.0.0/8]}\n",
			want: snapshot.Konnect{
				Networks:      []snapshot.KonnectNetwork{network},
				CustomDomains: []snapshot.CustomDomain{{ID: "d1", Domain: "api.example.com"}},
				Availability:  []snapshot.AvailabilityRegion{{Provider: "aws", Region: "us-east-2", AllowedCIDRs: []string{"10.0.0.0/8"}}},
			},
			wantCollections: []string{"konnect.availability", "konnect.custom_domains", "konnect.networks"},
			wantLine:        1,
		},
		{
			name:            "an empty custom_domains list is declared",
			yaml:            declaredNetwork + "  custom_domains: []\n",
			want:            snapshot.Konnect{Networks: []snapshot.KonnectNetwork{network}},
			wantCollections: []string{"konnect.custom_domains", "konnect.networks"},
			wantLine:        1,
		},
		{
			name:    "bad cidr names its line and key path",
			yaml:    strings.Replace(declaredNetwork, "10.40.0.0/16", "10.0.0.0/33", 1),
			wantErr: `: line 6: konnect.networks[0].cidr: "10.0.0.0/33" is not a CIDR`,
		},
		{
			name:    "bad data plane ip",
			yaml:    strings.Replace(declaredNetwork, "10.40.75.141", "10.40.75.300", 1),
			wantErr: `: line 8: konnect.networks[0].data_plane_ips[1]: "10.40.75.300" is not an IP address`,
		},
		{
			name:    "bad attachment cidr block",
			yaml:    strings.Replace(declaredNetwork, "10.20.0.0/16", "10/8", 1),
			wantErr: `: line 14: konnect.networks[0].attachments[0].cidr_blocks[0]: "10/8" is not a CIDR`,
		},
		{
			name:    "unknown attachment kind",
			yaml:    strings.Replace(declaredNetwork, "aws-transit-gateway-attachment", "tgw", 1),
			wantErr: `: line 13: konnect.networks[0].attachments[0].kind: value must be one of`,
		},
		{
			name:    "unknown key",
			yaml:    strings.Replace(declaredNetwork, "      state: ready\n", "      stat: ready\n", 1),
			wantErr: `: line 7: konnect.networks[0]: unknown member "stat"`,
		},
		{
			name:    "missing cidr",
			yaml:    strings.Replace(declaredNetwork, "      cidr: 10.40.0.0/16\n", "", 1),
			wantErr: `: line 3: konnect.networks[0]: missing property 'cidr'`,
		},
		{
			name:    "a number where a string is wanted",
			yaml:    strings.Replace(declaredNetwork, "state: ready", "state: 3", 1),
			wantErr: `: line 7: konnect.networks[0].state: got number, want string`,
		},
		{
			name:    "two problems in one line",
			yaml:    strings.Replace(strings.Replace(declaredNetwork, "10.40.0.0/16", "x", 1), "10.20.0.0/16", "y", 1),
			wantErr: `konnect.networks[0].cidr: "x" is not a CIDR (want e.g. 10.0.0.0/16); line 14: konnect.networks[0].attachments[0].cidr_blocks[0]: "y"`,
		},
		{name: "empty", yaml: "\nkonnect:\n", wantErr: ": line 2: konnect: is empty"},
		{name: "no networks", yaml: "konnect:\n  custom_domains: []\n", wantErr: "konnect.networks: declare at least one network"},
		{name: "not a mapping", yaml: "konnect: [1]\n", wantErr: ": line 1: konnect: got array, want object"},
		{
			name:    "with sources.konnect",
			yaml:    "sources:\n  konnect:\n    org: o\n" + declaredNetwork,
			wantErr: ": konnect (line 4) and sources.konnect (line 2) are both set: drop sources.konnect",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, _, ok := loadTestConfig(t, tt.yaml, tt.wantErr)
			if !ok {
				return
			}
			d := cfg.declared
			if d == nil {
				t.Fatal("no declared Konnect side")
			}
			if diff := cmp.Diff(tt.want, d.konnect, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("declared Konnect side (-want +got):\n%s", diff)
			}
			wantScope := snapshot.Scope{Provider: "konnect", Region: "global", Service: "config", Status: "ok", Collections: tt.wantCollections}
			if diff := cmp.Diff(wantScope, d.scope()); diff != "" {
				t.Errorf("scope (-want +got):\n%s", diff)
			}
			if d.line != tt.wantLine {
				t.Errorf("konnect key line %d, want %d", d.line, tt.wantLine)
			}
		})
	}
}

// TestStarterKonnectExample checks that the init template's commented-out konnect
// example loads once uncommented.
func TestStarterKonnectExample(t *testing.T) {
	t.Parallel()
	var block []string
	for _, line := range strings.Split(StarterConfig, "\n") {
		if len(block) == 0 && line != "# konnect:" {
			continue
		}
		if !strings.HasPrefix(line, "# ") {
			break
		}
		block = append(block, strings.TrimPrefix(line, "# "))
	}
	if len(block) < 2 {
		t.Fatal("the starter config has no commented-out konnect example")
	}
	path := filepath.Join(t.TempDir(), "dcgw-scan.yaml")
	if err := os.WriteFile(path, []byte(strings.Join(block, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("the uncommented example does not load: %v", err)
	}
	if cfg.declared == nil || len(cfg.declared.konnect.Networks) != 1 {
		t.Errorf("the example declares %+v, want one network", cfg.declared)
	}
}
