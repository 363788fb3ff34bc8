package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// linkView is what TestHubLinks compares of a link.
type linkView struct {
	Dir, Table, Spoke string
	Via, Dests        []string
}

func linkViews(ls []HubLink) []linkView {
	var out []linkView
	for _, l := range ls {
		out = append(out, linkView{l.Direction, l.RouteTableID, l.AttachmentID, l.Via, l.Destinations})
	}
	return out
}

func TestHubLinks(t *testing.T) {
	t.Parallel()
	route := func(dst, att, typ, state string) snapshot.HubRoute {
		r := snapshot.HubRoute{Destination: dst, Type: typ, State: state}
		if att != "" {
			r.AttachmentIDs = []string{att}
		}
		return r
	}
	toSpoke := route("10.20.0.0/16", "tgw-attach-1", "propagated", "active")
	toKong := route(kongCIDR, "tgw-attach-kong", "propagated", "active")
	tests := []struct {
		name        string
		kong, spoke []snapshot.HubRoute
		props       map[string][]string // table -> propagating attachments
		want        []linkView
	}{
		{
			name: "both directions routed",
			kong: []snapshot.HubRoute{toSpoke}, spoke: []snapshot.HubRoute{toKong},
			want: []linkView{
				{FromKong, "tgw-rtb-kong", "tgw-attach-1", []string{"route"}, []string{"10.20.0.0/16"}},
				{ToKong, "tgw-rtb-spoke", "tgw-attach-1", []string{"propagation"}, []string{kongCIDR}},
			},
		},
		{
			name:  "a static blackhole of the same prefix wins over the propagated routes: no link",
			kong:  []snapshot.HubRoute{toSpoke, route("10.20.0.0/16", "", "static", "blackhole")},
			spoke: []snapshot.HubRoute{toKong, route(kongCIDR, "", "static", "blackhole")},
		},
		{
			name:  "propagations without route entries: the ranges of the spoke's network and Kong's CIDR are derived",
			props: map[string][]string{"tgw-rtb-kong": {"tgw-attach-1"}, "tgw-rtb-spoke": {"tgw-attach-kong"}},
			want: []linkView{
				{FromKong, "tgw-rtb-kong", "tgw-attach-1", []string{"propagation"}, []string{"10.20.0.0/16"}},
				{ToKong, "tgw-rtb-spoke", "tgw-attach-1", []string{"propagation"}, []string{kongCIDR}},
			},
		},
		{
			name: "two attachments propagate the same prefix: the snapshot cannot tell which route is installed, both count",
			kong: []snapshot.HubRoute{toSpoke, route("10.20.0.0/16", "tgw-attach-2", "propagated", "active")},
			want: []linkView{
				{FromKong, "tgw-rtb-kong", "tgw-attach-1", []string{"route"}, []string{"10.20.0.0/16"}},
				{FromKong, "tgw-rtb-kong", "tgw-attach-2", []string{"route"}, []string{"10.20.0.0/16"}},
			},
		},
		{
			name:  "a static route to a more specific part of Kong's range: only the data plane IPs it covers",
			spoke: []snapshot.HubRoute{route("10.40.1.0/24", "tgw-attach-kong", "static", "active")},
			want:  []linkView{{ToKong, "tgw-rtb-spoke", "tgw-attach-1", []string{"route"}, []string{"10.40.1.0/24"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := awsTGW(tc.kong, tc.spoke)
			for i := range s.HubRouteTables {
				s.HubRouteTables[i].Propagations = tc.props[s.HubRouteTables[i].ID]
			}
			m := Build(s, Options{})
			if diff := cmp.Diff(tc.want, linkViews(m.HubLinks())); diff != "" {
				t.Errorf("hub links (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHubLinksUnknownPrefixes: a VPN propagating into Kong's table announces prefixes the
// snapshot does not hold; Kong reaches it all the same.
func TestHubLinksUnknownPrefixes(t *testing.T) {
	t.Parallel()
	s := awsTGW(nil, nil)
	s.HubAttachments = append(s.HubAttachments, snapshot.HubAttachment{Entity: ent("tgw-attach-vpn", "aws"), HubID: "tgw-1", Kind: "vpn", State: "available"})
	s.HubRouteTables[0].Propagations = []string{"tgw-attach-vpn"}
	got := Build(s, Options{}).HubLinks()
	want := []linkView{{FromKong, "tgw-rtb-kong", "tgw-attach-vpn", []string{"propagation"}, []string{}}}
	if diff := cmp.Diff(want, linkViews(got)); diff != "" {
		t.Fatalf("hub links (-want +got):\n%s", diff)
	}
	if got[0].Path[0].Note == "" || got[0].Path[0].ResourceID != "tgw-rtb-kong" {
		t.Errorf("path %+v: want a hop on Kong's table saying the prefixes are unknown", got[0].Path)
	}
}
