package reach

import "testing"

func TestHopString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		hop  Hop
		want string
	}{
		{Hop{Kind: "route", ResourceID: "rtb-1", Key: "10.40.0.0/16", Target: "pcx-1", Action: "forward"},
			"route table rtb-1 10.40.0.0/16 -> pcx-1: forward"},
		{Hop{Kind: "hub-route", ResourceID: "tgw-rtb-1", Key: "10.20.0.0/16", Action: "blackhole"},
			"hub route table tgw-rtb-1 10.20.0.0/16: blackhole"},
		{Hop{Kind: "peering", ResourceID: "pcx-1", Key: "pcx-1", Action: "active", State: "active"},
			"peering pcx-1: active"},
		{Hop{Kind: "filter", ResourceID: "acl-1", ResourceKind: "aws-network-acl", Key: "ingress/100", Action: "allow",
			ReplyKey: "egress/100", ReplyPorts: []PortRange{{1024, 65535}}},
			"aws-network-acl acl-1 ingress/100: allow (reply egress/100 on 1024-65535)"},
		{Hop{Kind: "filter", ResourceID: "sg-1", ResourceKind: "aws-security-group", Key: "no-allow-rule", Action: "deny", Implicit: true},
			"aws-security-group sg-1 no-allow-rule: deny [implicit]"},
		{Hop{Kind: "filter", ResourceID: "subnet-1", Key: "none", Action: "allow", Assumed: true, Note: "default ACL"},
			"filter subnet-1 none: allow [assumed: default ACL]"},
	}
	for _, tt := range tests {
		if got := tt.hop.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
