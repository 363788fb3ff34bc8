package reach

import (
	"slices"
	"testing"
)

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

func TestMarkAdmitting(t *testing.T) {
	route := Hop{Kind: "route", ResourceID: "rtb-1", Action: "forward"}
	nacl := Hop{Kind: "filter", ResourceID: "acl-1", ResourceKind: "aws-network-acl", Action: "allow"}
	sg := Hop{Kind: "filter", ResourceID: "sg-1", ResourceKind: "aws-security-group", Action: "allow"}
	none := Hop{Kind: "filter", ResourceID: "snet-1", Key: "none", Action: "allow"} // a level with no firewall
	for _, tc := range []struct {
		name string
		hops []Hop
		want int // index of the hop that admits; -1 for none
	}{
		{"the security group after the ACL", []Hop{route, nacl, sg}, 2},
		{"the last firewall before a level without one", []Hop{nacl, none}, 0},
		{"no firewall at all", []Hop{route, none}, -1},
	} {
		got := markAdmitting(slices.Clone(tc.hops))
		for i, h := range got {
			if h.Admits != (i == tc.want) {
				t.Errorf("%s: hop %d admits=%v, want the hop at %d", tc.name, i, h.Admits, tc.want)
			}
		}
	}
}
