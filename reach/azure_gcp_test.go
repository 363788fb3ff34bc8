package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func tag(v string) snapshot.Address { return snapshot.Address{Kind: snapshot.AddrServiceTag, Value: v} }

func nsg(id string, attach snapshot.Attachment, rules ...snapshot.FirewallRule) snapshot.Firewall {
	return snapshot.Firewall{Entity: ent(id, "azure"), Kind: "azure-nsg", NetworkID: "vnet-1", Stateful: true,
		AttachedTo: []snapshot.Attachment{attach}, Rules: rules}
}

// azurePeering is vnet-1 (10.20.0.0/16) peered with Kong, subnet snet-1 behind the
// subnet NSG nsg-sub (when given) and NICs behind nsg-nic (when given). The snapshot has
// no route table: the peering's system route is assumed.
func azurePeering(fws ...snapshot.Firewall) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Konnect: konnect("azure", snapshot.KonnectAttachment{ID: "att-1", Kind: snapshot.AttachAzureVNetPeering, State: "ready",
			NetworkID: "vnet-1", PeeringID: "peer-1"}),
		Networks: []snapshot.Network{{Entity: ent("vnet-1", "azure"), Kind: "azure-vnet", CIDRs: []string{"10.20.0.0/16"}}},
		Subnets:  []snapshot.Subnet{{Entity: ent("snet-1", "azure"), NetworkID: "vnet-1", CIDRs: []string{"10.20.1.0/24"}}},
		Peerings: []snapshot.Peering{{Entity: ent("peer-1", "azure"), Kind: snapshot.PeeringAzure, State: "Connected",
			Local: snapshot.PeeringSide{NetworkID: "vnet-1"}, Remote: snapshot.PeeringSide{NetworkID: "vpc-kong"}}},
		Firewalls: fws,
	}
	return s
}

var (
	onSubnet = snapshot.Attachment{Kind: "subnet", ID: "snet-1"}
	onNIC    = snapshot.Attachment{Kind: "interface", ID: "nic-1"}
)

func TestAzureNSG(t *testing.T) {
	t.Parallel()
	https := ports(443, 443)
	tests := []struct {
		name  string
		snap  *snapshot.Snapshot
		class string
		want  []view
	}{
		{
			name: "subnet NSG allows, NIC NSG denies: not admitted",
			snap: azurePeering(nsg("nsg-sub", onSubnet, allow("r-sub", 100, "tcp", https, tag("Internet"))),
				nsg("nsg-nic", onNIC, deny("r-nic", 100, "all", nil, snapshot.Address{Kind: snapshot.AddrAny}))),
			class: ClassInternet,
		},
		{
			name: "twin: both levels allow: admitted through the subnet NSG, then the NIC NSG",
			snap: azurePeering(nsg("nsg-sub", onSubnet, allow("r-sub", 100, "tcp", https, tag("Internet"))),
				nsg("nsg-nic", onNIC, allow("r-nic", 100, "tcp", https, tag("Internet")))),
			class: ClassInternet,
			want: []view{{Dest: "snet-1", FWs: "nsg-sub,nsg-nic", Class: ClassInternet, Addrs: []string{"0.0.0.0/0", "::/0"}, Proto: "tcp",
				Ports: []PortRange{{443, 443}}, Hops: []string{"nsg-sub#r-sub#allow", "nsg-nic#r-nic#allow"}, Forward: true, Return: true}},
		},
		{
			name: "a deny at a lower priority number wins over a later allow",
			snap: azurePeering(nsg("nsg-sub", onSubnet,
				allow("r-allow", 200, "tcp", https, tag("Internet")), deny("r-deny", 100, "tcp", https, snapshot.Address{Kind: snapshot.AddrAny}))),
			class: ClassInternet,
		},
		{
			name: "twin: the deny at a higher number comes too late",
			snap: azurePeering(nsg("nsg-sub", onSubnet,
				allow("r-allow", 200, "tcp", https, tag("Internet")), deny("r-deny", 300, "tcp", https, snapshot.Address{Kind: snapshot.AddrAny}))),
			class: ClassInternet,
			want: []view{{Dest: "snet-1", FWs: "nsg-sub", Class: ClassInternet, Addrs: []string{"0.0.0.0/0", "::/0"}, Proto: "tcp",
				Ports: []PortRange{{443, 443}}, Hops: []string{"nsg-sub#r-allow#allow", "snet-1#none#allow"}, Forward: true, Return: true}},
		},
		{
			name:  "AllowVnetInBound over a peering with Kong admits the whole Konnect range on every port",
			snap:  azurePeering(nsg("nsg-sub", onSubnet, allow("r-dp", 100, "tcp", https, cidr(dp1), cidr(dp2)))),
			class: ClassKongNetwork,
			want: []view{{Dest: "snet-1", FWs: "nsg-sub", Class: ClassKongNetwork, Addrs: []string{kongCIDR}, Proto: "all",
				Ports: []PortRange{{0, 65535}}, Hops: []string{"peer-1#peer-1#active", "nsg-sub#AllowVnetInBound#allow", "snet-1#none#allow"}, Forward: true, Return: true}},
		},
		{
			name: "twin: an earlier deny of the Konnect range narrows it",
			snap: azurePeering(nsg("nsg-sub", onSubnet, allow("r-dp", 100, "tcp", https, cidr(dp1), cidr(dp2)),
				deny("r-kong", 4000, "all", nil, cidr(kongCIDR)))),
			class: ClassKongNetwork,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := Build(tc.snap, Options{})
			fs := only(m.Flows(), tc.class)
			if diff := cmp.Diff(tc.want, views(m, fs)); diff != "" {
				t.Errorf("flows (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				for _, h := range f.Hops {
					if h.Key == "AllowVnetInBound" && !h.Implicit {
						t.Errorf("the default rule is not in the snapshot: its hop must be marked implicit")
					}
				}
			}
		})
	}
}

// gcpPeering is gnet-1 (subnet gsub-1, 10.20.1.0/24) peered with Kong, with the rules
// of gfw-1.
func gcpPeering(rules ...snapshot.FirewallRule) *snapshot.Snapshot {
	return &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Konnect: konnect("gcp", snapshot.KonnectAttachment{ID: "att-1", Kind: snapshot.AttachGCPVPCPeering, State: "ready",
			NetworkID: "gnet-1", PeeringID: "gpeer-1"}),
		Networks: []snapshot.Network{{Entity: ent("gnet-1", "gcp"), Kind: "gcp-vpc"}},
		Subnets:  []snapshot.Subnet{{Entity: ent("gsub-1", "gcp"), NetworkID: "gnet-1", CIDRs: []string{"10.20.1.0/24"}}},
		Peerings: []snapshot.Peering{{Entity: ent("gpeer-1", "gcp"), Kind: snapshot.PeeringGCP, State: "ACTIVE",
			Local: snapshot.PeeringSide{NetworkID: "gnet-1"}, Remote: snapshot.PeeringSide{NetworkID: "vpc-kong"}}},
		Firewalls: []snapshot.Firewall{{Entity: ent("gfw-1", "gcp"), Kind: "gcp-firewall", NetworkID: "gnet-1", Stateful: true,
			AttachedTo: []snapshot.Attachment{{Kind: "network", ID: "gnet-1"}}, Rules: rules}},
	}
}

func TestGCPFirewall(t *testing.T) {
	t.Parallel()
	ssh := ports(22, 22)
	web := allow("fw-web", 1000, "tcp", ports(443, 443), cidr("0.0.0.0/0"))
	web.Targets = []snapshot.Address{{Kind: snapshot.AddrTag, Value: "web"}}
	tests := []struct {
		name string
		snap *snapshot.Snapshot
		want []view
	}{
		{
			name: "equal priority: the deny wins",
			snap: gcpPeering(allow("fw-ssh", 1000, "tcp", ssh, cidr("0.0.0.0/0")), deny("fw-nossh", 1000, "tcp", ssh, cidr("0.0.0.0/0"))),
		},
		{
			name: "twin: a deny at a higher number does not",
			snap: gcpPeering(allow("fw-ssh", 1000, "tcp", ssh, cidr("0.0.0.0/0")), deny("fw-nossh", 1001, "tcp", ssh, cidr("0.0.0.0/0"))),
			want: []view{{Dest: "gsub-1", FWs: "gfw-1", Class: ClassInternet, Addrs: []string{"0.0.0.0/0", "::/0"}, Proto: "tcp",
				Ports: []PortRange{{22, 22}}, Hops: []string{"gfw-1#fw-ssh#allow"}, Forward: true, Return: true}},
		},
		{
			name: "a targeted rule applies to the instances of its target only",
			snap: gcpPeering(web),
			want: []view{{Dest: "gsub-1", FWs: "gfw-1", Class: ClassInternet, Addrs: []string{"0.0.0.0/0", "::/0"}, Proto: "tcp",
				Ports: []PortRange{{443, 443}}, Hops: []string{"gfw-1#fw-web#allow"}, Forward: true, Return: true}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := Build(tc.snap, Options{})
			fs := only(m.Flows(), ClassInternet)
			if diff := cmp.Diff(tc.want, views(m, fs)); diff != "" {
				t.Errorf("flows (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				d := m.Destinations()[f.Destination]
				if len(d.Assumed) == 0 && d.Target != "" {
					t.Errorf("a target destination must say it is assumed")
				}
				if f.Protocol == "tcp" && f.Ports[0].From == 443 && d.Target != "tag:web" {
					t.Errorf("443 admitted at target %q, want tag:web only", d.Target)
				}
			}
		})
	}
}
