package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// index holds the snapshot's entities by id and the compiled tables and firewalls. Every
// join of the model goes through it (no pairwise scans of the estate).
type index struct {
	snap *snapshot.Snapshot
	opts Options

	networks     map[string]*snapshot.Network
	subnets      map[string]*snapshot.Subnet
	subnetsByNet map[string][]*snapshot.Subnet
	netRanges    map[string][]netip.Prefix // network CIDRs, else its subnets' ranges (GCP)
	described    prefixSet                 // every range of every network of the snapshot
	prefixLists  map[string][]netip.Prefix
	openPLs      map[string]bool

	rawTables map[string]*snapshot.RouteTable
	tables    map[string]*rtable // compiled: the tables of the destinations' subnets
	listTable map[string]string  // subnet -> a table listing it
	mainTable map[string]string  // network -> its main table

	hubAtts      map[string]*snapshot.HubAttachment
	hubTables    map[string]*rtable
	assocTable   map[string]string   // hub attachment -> the table that routes its traffic
	hubProps     map[string][]string // hub route table -> the attachments propagating into it, sorted
	kongAtts     map[string]int      // Kong's hub attachments -> their Konnect network (index in kong)
	links        []HubLink
	peerings     map[string]*snapshot.Peering
	firewalls    map[string]*cfw
	fwByNet      map[string][]*cfw // security groups and GCP firewalls by network
	lbs          map[string]*snapshot.LoadBalancer
	edge         map[string]bool
	lbFirewalls  map[string][]string // load balancer -> its security groups
	rgws         map[string]*snapshot.ResourceGateway
	lbsByNet     map[string][]string // load balancers by network, sorted
	rgwsByNet    map[string][]string // resource gateways by network, sorted
	edgeByNet    map[string][]string // edge load balancers by network, sorted
	rgwKong      map[string][]int    // resource gateway -> Konnect networks reaching it by endpoint
	rgwAttach    map[string]string
	kong         []*kongNet
	conns        map[string][]*conn // customer network -> its connections to Kong
	custPeers    map[string][]string
	subnetNACLs  map[string][]string
	subnetNSGs   map[string][]string
	nicNSGsByNet map[string][]string

	internet *src                // the internet source class
	addrs    map[string][]string // network -> its ranges as text, built on first use
	custSrcs map[string][]*src   // network -> the customer sources of its destinations
}

// kongNet is a Konnect network: its CIDR, its data plane IPs, its hub attachments and
// the hub route tables associated with them.
type kongNet struct {
	kn      *snapshot.KonnectNetwork
	cidr    netip.Prefix
	dps     []netip.Prefix
	hubAtts map[string]bool
	tables  []*rtable

	// The source classes of the network: its data plane IPs (nil without any), each
	// DP IP on its own (an exact source) and as text, and the rest of its CIDR.
	dpSrc  *src
	dpOne  []*src
	dpStrs []string
	netSrc *src
}

// conn is how a customer network is connected to a Konnect network: over a peering
// (peering entity and/or Konnect attachment) or through a hub (Kong's attachment and the
// spoke's attachment).
type conn struct {
	kong         int
	via          string // peering or hub
	peeringID    string
	attachmentID string // Konnect attachment (peering) or the spoke's hub attachment (hub)
	state        string
	active       bool
	kongAtt      string
	hubID        string
}

func newIndex(s *snapshot.Snapshot, opts Options) *index {
	ix := &index{snap: s, opts: opts,
		networks: make(map[string]*snapshot.Network, len(s.Networks)), subnets: make(map[string]*snapshot.Subnet, len(s.Subnets)),
		subnetsByNet: make(map[string][]*snapshot.Subnet, len(s.Networks)), netRanges: make(map[string][]netip.Prefix, len(s.Networks)),
		prefixLists: map[string][]netip.Prefix{}, openPLs: map[string]bool{},
		rawTables: make(map[string]*snapshot.RouteTable, len(s.RouteTables)), tables: map[string]*rtable{},
		listTable: make(map[string]string, len(s.Subnets)), mainTable: make(map[string]string, len(s.Networks)),
		hubAtts: map[string]*snapshot.HubAttachment{}, hubTables: map[string]*rtable{}, assocTable: map[string]string{}, hubProps: map[string][]string{}, kongAtts: map[string]int{},
		peerings: map[string]*snapshot.Peering{}, firewalls: make(map[string]*cfw, len(s.Firewalls)), fwByNet: make(map[string][]*cfw, len(s.Networks)),
		lbs: map[string]*snapshot.LoadBalancer{}, edge: map[string]bool{}, lbFirewalls: map[string][]string{},
		rgws: map[string]*snapshot.ResourceGateway{}, lbsByNet: map[string][]string{}, rgwsByNet: map[string][]string{}, edgeByNet: map[string][]string{}, rgwKong: map[string][]int{}, rgwAttach: map[string]string{},
		conns: map[string][]*conn{}, custPeers: map[string][]string{},
		subnetNACLs: map[string][]string{}, subnetNSGs: map[string][]string{}, nicNSGsByNet: map[string][]string{},
		addrs: map[string][]string{}, custSrcs: map[string][]*src{},
		internet: &src{class: ClassInternet, prefixes: []netip.Prefix{open4}, kong: -1,
			out: Source{Class: ClassInternet, Addresses: internetAddrs}},
	}
	for i := range s.PrefixLists {
		pl := &s.PrefixLists[i]
		ix.prefixLists[pl.ID] = parsePrefixes(pl.CIDRs)
		for _, p := range ix.prefixLists[pl.ID] {
			if isOpen(p) {
				ix.openPLs[pl.ID] = true
			}
		}
	}
	for i := range s.Networks {
		n := &s.Networks[i]
		ix.networks[n.ID] = n
		ix.netRanges[n.ID] = parsePrefixes(n.CIDRs)
	}
	for i := range s.Subnets {
		sn := &s.Subnets[i]
		ix.subnets[sn.ID] = sn
		ix.subnetsByNet[sn.NetworkID] = append(ix.subnetsByNet[sn.NetworkID], sn)
		if n := ix.networks[sn.NetworkID]; n == nil || len(n.CIDRs) == 0 {
			ix.netRanges[sn.NetworkID] = append(ix.netRanges[sn.NetworkID], parsePrefixes(sn.CIDRs)...)
		}
	}
	var all []netip.Prefix
	for _, ps := range ix.netRanges {
		all = append(all, ps...)
	}
	ix.described = newPrefixSet(all)
	for i := range s.RouteTables {
		rt := &s.RouteTables[i]
		ix.rawTables[rt.ID] = rt
		for _, sid := range rt.SubnetIDs {
			if cur, ok := ix.listTable[sid]; !ok || rt.ID < cur {
				ix.listTable[sid] = rt.ID
			}
		}
		if rt.Main {
			if cur, ok := ix.mainTable[rt.NetworkID]; !ok || rt.ID < cur {
				ix.mainTable[rt.NetworkID] = rt.ID
			}
		}
	}
	for i := range s.Peerings {
		ix.peerings[s.Peerings[i].ID] = &s.Peerings[i]
	}
	ix.indexHubs()
	ix.indexFirewalls()
	ix.indexEdge()
	ix.indexKong()
	for i := range s.LoadBalancers {
		lb := &s.LoadBalancers[i]
		ix.lbsByNet[lb.NetworkID] = append(ix.lbsByNet[lb.NetworkID], lb.ID)
		if ix.edge[lb.ID] {
			ix.edgeByNet[lb.NetworkID] = append(ix.edgeByNet[lb.NetworkID], lb.ID)
		}
	}
	for i := range s.ResourceGateways {
		rg := &s.ResourceGateways[i]
		ix.rgwsByNet[rg.NetworkID] = append(ix.rgwsByNet[rg.NetworkID], rg.ID)
	}
	for _, m := range []map[string][]string{ix.lbsByNet, ix.edgeByNet, ix.rgwsByNet} {
		for k := range m {
			slices.Sort(m[k])
			m[k] = slices.Compact(m[k])
		}
	}
	return ix
}

// indexHubs indexes the hub route tables' propagations (listed on the table,
// named by the attachment, or by a label the attachment propagates to, as
// dcgw.lib.topology propagations decides) and each attachment's associated table.
func (ix *index) indexHubs() {
	s := ix.snap
	props := map[string][]string{}
	byLabel := map[string][]string{}
	for i := range s.HubRouteTables {
		t := &s.HubRouteTables[i]
		props[t.ID] = append(props[t.ID], t.Propagations...)
		for _, aid := range t.Associations {
			if _, ok := ix.assocTable[aid]; !ok {
				ix.assocTable[aid] = t.ID
			}
		}
		if noneTable(t.ID) {
			continue
		}
		for _, l := range t.Labels {
			byLabel[strings.ToLower(l)] = append(byLabel[strings.ToLower(l)], t.ID)
		}
	}
	for i := range s.HubAttachments {
		h := &s.HubAttachments[i]
		ix.hubAtts[h.ID] = h
		if h.AssociatedRouteTableID != "" {
			ix.assocTable[h.ID] = h.AssociatedRouteTableID
		}
		for _, tid := range h.PropagatedRouteTableIDs {
			if !noneTable(tid) {
				props[tid] = append(props[tid], h.ID)
			}
		}
		labels := h.PropagationLabels
		if len(labels) == 0 && h.Provider == "azure" && h.Kind == "vnet" && len(h.PropagatedRouteTableIDs) == 0 {
			labels = []string{"default"} // Azure's default propagation label
		}
		for _, l := range labels {
			if strings.EqualFold(l, "none") {
				continue
			}
			for _, tid := range byLabel[strings.ToLower(l)] {
				props[tid] = append(props[tid], h.ID)
			}
		}
	}
	for tid, p := range props {
		slices.Sort(p)
		ix.hubProps[tid] = slices.Compact(p)
	}
}

// compileHubs compiles the hub route tables, once Kong's attachments are known (their
// propagations carry the Konnect CIDR).
func (ix *index) compileHubs() {
	for i := range ix.snap.HubRouteTables {
		t := &ix.snap.HubRouteTables[i]
		ix.hubTables[t.ID] = ix.hubTable(t, ix.hubProps[t.ID])
	}
}

// noneTable reports whether tid is an Azure vHub's None route table
// (…/hubRouteTables/noneRouteTable), which stands for "propagate nowhere".
func noneTable(tid string) bool {
	return strings.HasSuffix(strings.ToLower(tid), "/hubroutetables/noneroutetable")
}

// indexEdge finds the edge load balancers: the configured list, else every
// internet-facing load balancer with a data plane IP among its targets (as
// dcgw.lib.edge edge_load_balancers decides).
func (ix *index) indexEdge() {
	s := ix.snap
	for i := range s.LoadBalancers {
		lb := &s.LoadBalancers[i]
		ix.lbs[lb.ID] = lb
		ix.lbFirewalls[lb.ID] = append(ix.lbFirewalls[lb.ID], lb.FirewallIDs...)
	}
	for _, fw := range ix.firewalls {
		for _, a := range fw.fw.AttachedTo {
			if a.Kind == "load-balancer" && !slices.Contains(ix.lbFirewalls[a.ID], fw.fw.ID) {
				ix.lbFirewalls[a.ID] = append(ix.lbFirewalls[a.ID], fw.fw.ID)
			}
		}
	}
	for id := range ix.lbFirewalls {
		slices.Sort(ix.lbFirewalls[id])
		ix.lbFirewalls[id] = slices.Compact(ix.lbFirewalls[id])
	}
	if len(ix.opts.EdgeLoadBalancers) > 0 {
		for _, id := range ix.opts.EdgeLoadBalancers {
			ix.edge[id] = true
		}
		return
	}
	dps := map[string]bool{}
	for _, kn := range s.Konnect.Networks {
		for _, ip := range kn.DataPlaneIPs {
			dps[bareIP(ip)] = true
		}
	}
	dpTG := map[string]bool{}
	tgLBs := map[string][]string{}
	for i := range s.TargetGroups {
		tg := &s.TargetGroups[i]
		for _, t := range tg.Targets {
			if dps[bareIP(t.ID)] {
				dpTG[tg.ID] = true
			}
		}
		for _, lb := range tg.LoadBalancerIDs {
			tgLBs[lb] = append(tgLBs[lb], tg.ID)
		}
	}
	for i := range s.LoadBalancers {
		lb := &s.LoadBalancers[i]
		if lb.Scheme != "internet-facing" {
			continue
		}
		tgs := append(slices.Clone(lb.TargetGroupIDs), tgLBs[lb.ID]...)
		for _, l := range lb.Listeners {
			tgs = append(tgs, l.DefaultAction.TargetGroupIDs...)
		}
		if slices.ContainsFunc(tgs, func(id string) bool { return dpTG[id] }) {
			ix.edge[lb.ID] = true
		}
	}
}

func bareIP(s string) string { return strings.TrimSuffix(strings.TrimSuffix(s, "/32"), "/128") }

// indexKong finds, for each Konnect network, its hub attachments and their tables, and
// the customer networks connected to it: by peering (a Konnect peering attachment, or a
// peering whose remote or local side is Kong's own VPC/VNet, as dcgw.lib.topology
// peering_konnect decides), through a hub in either direction, and the resource gateways
// its resource endpoints reach.
func (ix *index) indexKong() {
	s := ix.snap
	kongProvNet := map[string]int{}
	for i := range s.Konnect.Networks {
		kn := &s.Konnect.Networks[i]
		k := &kongNet{kn: kn, hubAtts: map[string]bool{}}
		k.cidr, _ = parsePrefix(kn.CIDR)
		k.dps = parsePrefixes(kn.DataPlaneIPs)
		ki := len(ix.kong)
		if len(k.dps) > 0 {
			k.dpSrc = &src{class: ClassKongDP, id: kn.ID, prefixes: k.dps, kong: ki, out: Source{Class: ClassKongDP, ID: kn.ID}}
		}
		for _, ip := range k.dps {
			k.dpOne = append(k.dpOne, &src{class: ClassKongDP, id: kn.ID, prefixes: []netip.Prefix{ip}, exact: true, kong: ki,
				out: Source{Class: ClassKongDP, ID: kn.ID}})
			k.dpStrs = append(k.dpStrs, ip.Addr().String())
		}
		if k.cidr.IsValid() {
			k.netSrc = &src{class: ClassKongNetwork, id: kn.ID, prefixes: []netip.Prefix{k.cidr}, except: k.dps, kong: ki,
				out: Source{Class: ClassKongNetwork, ID: kn.ID, Addresses: []string{k.cidr.String()}}}
		}
		ix.kong = append(ix.kong, k)
		if kn.ProviderNetworkID != "" {
			kongProvNet[kn.ProviderNetworkID] = i
		}
	}
	// Kong's hub attachments.
	vhubKong := map[string][]int{}
	for ki, k := range ix.kong {
		for _, a := range k.kn.Attachments {
			switch a.Kind {
			case snapshot.AttachAWSTransitGateway, snapshot.AttachAzureVHub:
				if a.HubAttachmentID != "" {
					k.hubAtts[a.HubAttachmentID] = true
				}
				if a.Kind == snapshot.AttachAzureVHub && a.HubID != "" {
					vhubKong[a.HubID] = append(vhubKong[a.HubID], ki)
				}
			}
		}
	}
	for i := range s.HubAttachments {
		h := &s.HubAttachments[i]
		if ki, ok := kongProvNet[h.NetworkID]; ok && h.NetworkID != "" {
			ix.kong[ki].hubAtts[h.ID] = true
		}
		// Azure: Kong's VNet connection on a vHub Konnect names is the one whose VNet is
		// in the Konnect network's own subscription (dcgw.lib.topology).
		if h.Provider == "azure" {
			for _, ki := range vhubKong[h.HubID] {
				sub := azureSubscription(h.NetworkID)
				if sub != "" && strings.EqualFold(sub, ix.kong[ki].kn.ProviderAccountID) {
					ix.kong[ki].hubAtts[h.ID] = true
				}
			}
		}
	}
	kongAtt := ix.kongAtts
	for ki, k := range ix.kong {
		for aid := range k.hubAtts {
			kongAtt[aid] = ki
		}
	}
	ix.compileHubs()
	for _, k := range ix.kong {
		for aid := range k.hubAtts {
			if t := ix.hubTables[ix.assocTable[aid]]; t != nil && !slices.Contains(k.tables, t) {
				k.tables = append(k.tables, t)
			}
		}
		slices.SortFunc(k.tables, func(a, b *rtable) int { return strings.Compare(a.id, b.id) })
	}
	seen := map[[3]string]bool{}
	add := func(nid string, c *conn) {
		key := [3]string{nid, ix.kong[c.kong].kn.ID, c.via + "|" + c.peeringID + "|" + c.attachmentID}
		if nid == "" || seen[key] {
			return
		}
		seen[key] = true
		ix.conns[nid] = append(ix.conns[nid], c)
	}
	// Peerings with Kong.
	attPeering := map[string]int{}
	for ki, k := range ix.kong {
		for _, a := range k.kn.Attachments {
			switch a.Kind {
			case snapshot.AttachAWSVPCPeering, snapshot.AttachAzureVNetPeering, snapshot.AttachGCPVPCPeering:
				if a.PeeringID != "" {
					attPeering[a.PeeringID] = ki
				}
				nid := a.NetworkID
				if p := ix.peerings[a.PeeringID]; p != nil {
					continue // added from the peering entity below, with its state
				}
				add(nid, &conn{kong: ki, via: "peering", peeringID: a.PeeringID, attachmentID: a.ID, state: a.State, active: activeState(a.State)})
			case snapshot.AttachAWSResourceEP:
				for _, rc := range a.ResourceConfigs {
					ix.rgwAttach[rc.ID] = a.ID
				}
			}
		}
	}
	for i := range s.Peerings {
		p := &s.Peerings[i]
		ki, ok := attPeering[p.ID]
		if !ok {
			if k2, ok2 := kongProvNet[p.Remote.NetworkID]; ok2 {
				ki, ok = k2, true
			} else if k2, ok2 := kongProvNet[p.Local.NetworkID]; ok2 {
				ki, ok = k2, true
			}
		}
		if !ok {
			// A customer peering: network <-> network.
			if p.Local.NetworkID != "" && p.Remote.NetworkID != "" && activeState(p.State) {
				ix.custPeers[p.Local.NetworkID] = append(ix.custPeers[p.Local.NetworkID], p.Remote.NetworkID)
				ix.custPeers[p.Remote.NetworkID] = append(ix.custPeers[p.Remote.NetworkID], p.Local.NetworkID)
			}
			continue
		}
		side := p.Local
		if _, kongLocal := kongProvNet[p.Local.NetworkID]; kongLocal {
			side = p.Remote
		}
		add(side.NetworkID, &conn{kong: ki, via: "peering", peeringID: p.ID, state: p.State, active: activeState(p.State)})
	}
	for nid := range ix.custPeers {
		slices.Sort(ix.custPeers[nid])
		ix.custPeers[nid] = slices.Compact(ix.custPeers[nid])
	}
	// Hubs: a spoke attachment is connected when Kong's table reaches it or its own
	// associated table routes Kong's range to Kong's attachment (both directions count:
	// hubLinks).
	ix.links = ix.hubLinks()
	for _, l := range ix.links {
		h := ix.hubAtts[l.AttachmentID]
		if h == nil || h.NetworkID == "" {
			continue
		}
		ki := kongAtt[l.KongAttachmentID]
		add(h.NetworkID, &conn{kong: ki, via: "hub", attachmentID: h.ID, kongAtt: l.KongAttachmentID, hubID: h.HubID, state: h.State, active: activeState(h.State)})
	}
	// Resource gateways reached through Konnect resource endpoints.
	for i := range s.PrivateEndpoints {
		pe := &s.PrivateEndpoints[i]
		aid, ok := ix.rgwAttach[pe.ID]
		if !ok && pe.ParentID != "" {
			aid, ok = ix.rgwAttach[pe.ParentID]
		}
		if !ok || pe.ResourceGatewayID == "" {
			continue
		}
		for ki, k := range ix.kong {
			for _, a := range k.kn.Attachments {
				if a.ID == aid && !slices.Contains(ix.rgwKong[pe.ResourceGatewayID], ki) {
					ix.rgwKong[pe.ResourceGatewayID] = append(ix.rgwKong[pe.ResourceGatewayID], ki)
					ix.rgwAttach[pe.ResourceGatewayID] = aid
				}
			}
		}
	}
	for i := range s.ResourceGateways {
		ix.rgws[s.ResourceGateways[i].ID] = &s.ResourceGateways[i]
	}
}

// netAddrs are a network's ranges as text (the Addresses of its sources), shared.
func (ix *index) netAddrs(nid string) []string {
	a, ok := ix.addrs[nid]
	if !ok {
		a = prefixStrings(ix.netRanges[nid])
		ix.addrs[nid] = a
	}
	return a
}

// azureSubscription is the subscription of an Azure resource id, lower case.
func azureSubscription(id string) string {
	parts := strings.Split(id, "/")
	if len(parts) > 2 && strings.EqualFold(parts[1], "subscriptions") {
		return strings.ToLower(parts[2])
	}
	return ""
}
