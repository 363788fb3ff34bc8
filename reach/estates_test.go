package reach

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func loadEstate(t testing.TB, name string) *snapshot.Document {
	t.Helper()
	doc, err := snapshot.Load(filepath.Join("..", "testdata", "estates", name, "snapshot.json"))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// TestEstates builds every example estate twice: the flows and destinations are equal
// (deterministic), the build leaves the snapshot as it was, every destination is under
// its own key and every flow names one of them, and every hop names a resource id that
// is in the snapshot file (so reports can point at its lines).
func TestEstates(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("..", "testdata", "estates"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dirs {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			doc := loadEstate(t, e.Name())
			before := loadEstate(t, e.Name())
			m := Build(doc.Snapshot, Options{})
			m2 := Build(doc.Snapshot, Options{})
			a := m.Flows()
			if diff := cmp.Diff(a, m2.Flows()); diff != "" {
				t.Errorf("two builds differ (-first +second):\n%s", diff)
			}
			if diff := cmp.Diff(m.Destinations(), m2.Destinations()); diff != "" {
				t.Errorf("two builds' destinations differ (-first +second):\n%s", diff)
			}
			if diff := cmp.Diff(before.Snapshot, doc.Snapshot); diff != "" {
				t.Errorf("Build modified the snapshot:\n%s", diff)
			}
			for k, d := range m.Destinations() {
				if d.Key != k {
					t.Errorf("destination %q listed under key %q", d.Key, k)
				}
			}
			for _, f := range a {
				d, ok := m.Destinations()[f.Destination]
				if !ok {
					t.Errorf("flow from %s/%s names destination %q, not among the destinations", f.Source.Class, f.Source.ID, f.Destination)
				}
				for _, hs := range [][]Hop{f.Hops, f.ReturnHops} {
					for _, h := range hs {
						if _, ok := doc.Span(h.ResourceID); !ok {
							t.Errorf("flow to %s from %s/%s: hop %s %q names %q, not in the snapshot", d.ID, f.Source.Class, f.Source.ID, h.Kind, h.Key, h.ResourceID)
						}
					}
				}
			}
		})
	}
}

// TestUnknownLoadBalancer checks that a security group attached to a load balancer the
// snapshot does not hold is no destination (and no crash).
func TestUnknownLoadBalancer(t *testing.T) {
	t.Parallel()
	snap := &snapshot.Snapshot{
		Konnect: snapshot.Konnect{Networks: []snapshot.KonnectNetwork{{
			Entity: snapshot.Entity{ID: "kn-1", Provider: "konnect"}, CIDR: "10.100.0.0/16", DataPlaneIPs: []string{"10.100.1.10"},
			Attachments: []snapshot.KonnectAttachment{{ID: "att-1", Kind: snapshot.AttachAWSVPCPeering, NetworkID: "vpc-1"}},
		}}},
		Networks: []snapshot.Network{{Entity: snapshot.Entity{ID: "vpc-1", Provider: "aws"}, Kind: "aws-vpc", CIDRs: []string{"10.0.0.0/16"}}},
		Subnets:  []snapshot.Subnet{{Entity: snapshot.Entity{ID: "subnet-1", Provider: "aws"}, NetworkID: "vpc-1", CIDRs: []string{"10.0.1.0/24"}}},
		Firewalls: []snapshot.Firewall{{
			Entity: snapshot.Entity{ID: "sg-1", Provider: "aws"}, Kind: "aws-security-group", NetworkID: "vpc-1", Stateful: true,
			AttachedTo: []snapshot.Attachment{{Kind: "load-balancer", ID: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/gone/1"}},
			Rules: []snapshot.FirewallRule{{ID: "sgr-1", Direction: "ingress", Action: "allow", Protocol: "tcp",
				Ports: []snapshot.PortRange{{From: 22, To: 22}}, Sources: []snapshot.Address{{Kind: "cidr", Value: "0.0.0.0/0"}}}},
		}},
	}
	m := Build(snap, Options{})
	for k, d := range m.Destinations() {
		if d.Kind == "load-balancer" {
			t.Errorf("destination %s for a load balancer not in the snapshot", k)
		}
	}
}
