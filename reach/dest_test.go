package reach

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestDestinations checks the destination list: every gateway-facing destination once,
// under its key, whether or not a flow reaches it, and flows naming it by that key.
func TestDestinations(t *testing.T) {
	t.Parallel()
	closed := awsPeering(defaultNACL("acl-1", "subnet-1"), sg("sg-1", "vpc-1", []string{"eni-1"}))
	web := allow("fw-web", 1000, "tcp", ports(443, 443), cidr("0.0.0.0/0"))
	web.Targets = []snapshot.Address{{Kind: snapshot.AddrTag, Value: "web"}}
	tests := []struct {
		name  string
		snap  *snapshot.Snapshot
		keys  []string
		flows int
	}{
		{"a destination nothing reaches is listed", closed, []string{"subnet-1#acl-1,sg-1"}, 0},
		{"GCP: one destination per target, the target in the key", gcpPeering(web), []string{"gsub-1#gfw-1", "gsub-1#gfw-1~tag:web"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := Build(tc.snap, Options{})
			var keys []string
			for k, d := range m.Destinations() {
				keys = append(keys, k)
				if d.Key != k {
					t.Errorf("destination %q listed under %q", d.Key, k)
				}
			}
			slices.Sort(keys)
			if diff := cmp.Diff(tc.keys, keys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			flows := only(m.Flows(), ClassInternet)
			if len(flows) != tc.flows {
				t.Errorf("internet flows = %d, want %d", len(flows), tc.flows)
			}
			for _, f := range m.Flows() {
				if _, ok := m.Destinations()[f.Destination]; !ok {
					t.Errorf("flow names destination %q, not listed", f.Destination)
				}
			}
		})
	}
	t.Run("JSON: a flow names its destination by key", func(t *testing.T) {
		t.Parallel()
		m := Build(gcpPeering(web), Options{})
		f := only(m.Flows(), ClassInternet)[0]
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"destination":"gsub-1#gfw-1~tag:web"`) {
			t.Errorf("flow JSON %s: want the destination key", b)
		}
		b, err = json.Marshal(m.Destinations()[f.Destination])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), `{"key":"gsub-1#gfw-1~tag:web","kind":"interfaces","id":"gsub-1"`) {
			t.Errorf("destination JSON %s: want key, kind and id first", b)
		}
	})
}

func TestDestKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    Destination
		want string
	}{
		{Destination{ID: "subnet-1", SubnetID: "subnet-1", FirewallIDs: []string{"acl-1", "sg-1"}}, "subnet-1#acl-1,sg-1"},
		{Destination{ID: "lb-1", SubnetID: "subnet-2", FirewallIDs: []string{"sg-lb"}}, "lb-1@subnet-2#sg-lb"},
		{Destination{ID: "vpc-1"}, "vpc-1"},
		{Destination{ID: "gsub-1", SubnetID: "gsub-1", FirewallIDs: []string{"gfw-1"}, Target: "tag:web"}, "gsub-1#gfw-1~tag:web"},
	}
	for _, tc := range tests {
		if got := destKey(&tc.d); got != tc.want {
			t.Errorf("destKey(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	// Ids holding the separators could make two keys equal: the later gets a suffix.
	seen := map[string]Destination{"s#a,b": {}, "s#a,b!2": {}}
	if got := uniqueKey("s#a,b", seen); got != "s#a,b!3" {
		t.Errorf("uniqueKey = %q, want s#a,b!3", got)
	}
	if got := uniqueKey("s#c", seen); got != "s#c" {
		t.Errorf("uniqueKey = %q, want s#c", got)
	}
}
