package policies

import (
	"strings"
	"testing"
)

const azureVNet = "/subscriptions/8c3f1e27-5b9d-4a6e-b2c7-0d4f9e8a1b35/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app"

func fingerprint(rule, resource, key string) string {
	return Finding{RuleID: rule, ResourceID: resource, Key: key, Message: "ignored"}.Fingerprint()
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	base := fingerprint("DCGW-CIDR-001", azureVNet, "10.10.0.0/16")
	tests := []struct {
		name                string
		rule, resource, key string
		same                bool
	}{
		{"identical", "DCGW-CIDR-001", azureVNet, "10.10.0.0/16", true},
		{"azure id in other case and padded", "DCGW-CIDR-001", "  " + strings.ToUpper(azureVNet) + "\n", "10.10.0.0/16", true},
		{"different key", "DCGW-CIDR-001", azureVNet, "10.11.0.0/16", false},
		{"different rule", "DCGW-CIDR-002", azureVNet, "10.10.0.0/16", false},
		{"different resource", "DCGW-CIDR-001", azureVNet + "-2", "10.10.0.0/16", false},
		{"no separator ambiguity", "DCGW-CIDR-001", azureVNet + "10.10.0.0/16", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fingerprint(tt.rule, tt.resource, tt.key); (got == base) != tt.same {
				t.Errorf("Fingerprint(%q, %q, %q) = %s, base %s, want same=%v", tt.rule, tt.resource, tt.key, got, base, tt.same)
			}
		})
	}
	if fingerprint("R", "ARN:aws:ec2:x", "k") == fingerprint("R", "arn:aws:ec2:x", "k") {
		t.Error("non-Azure ids must stay case-sensitive")
	}
}

func TestHelpURI(t *testing.T) {
	t.Parallel()
	if got, want := (Rule{ID: "DCGW-CIDR-001", Links: []string{" ", "https://example.com/a"}}).HelpURI(), "https://example.com/a"; got != want {
		t.Errorf("HelpURI() = %q, want %q", got, want)
	}
	if got, want := (Rule{ID: "DCGW-CIDR-001"}).HelpURI(), RulesDocURL+"dcgw-cidr-001"; got != want {
		t.Errorf("HelpURI() = %q, want %q", got, want)
	}
}
