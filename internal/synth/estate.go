package synth

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// peeringKind is the peering kind of a provider.
var peeringKind = map[string]string{"aws": snapshot.PeeringAWS, "azure": snapshot.PeeringAzure, "gcp": snapshot.PeeringGCP}

// emitPeerings writes the peerings: one entity per AWS peering, one per side for Azure
// and GCP (each side is its own resource there).
func (g *gen) emitPeerings() {
	for _, p := range g.peerings {
		a := p.a
		local := snapshot.PeeringSide{NetworkID: a.id, Account: a.account, Region: a.region, CIDRs: a.block4()}
		var remote snapshot.PeeringSide
		if p.kong != nil {
			remote = snapshot.PeeringSide{NetworkID: p.kong.vpc, Account: p.kong.account, Region: p.kong.region, CIDRs: []string{p.kong.cidr}}
		} else {
			remote = snapshot.PeeringSide{NetworkID: p.b.id, Account: p.b.account, Region: p.b.region, CIDRs: p.b.block4()}
		}
		g.addPeering(p.id, a, local, remote)
		if p.remoteID != "" {
			g.addPeering(p.remoteID, p.b, remote, local)
		}
	}
}

func (g *gen) addPeering(id string, n *netPlan, local, remote snapshot.PeeringSide) {
	pe := snapshot.Peering{
		Entity: snapshot.Entity{ID: id, Provider: n.provider, Account: n.account, Region: n.region, Name: id[strings.LastIndex(id, "/")+1:]},
		Kind:   peeringKind[n.provider],
		Local:  local,
		Remote: remote,
	}
	switch n.provider {
	case "aws":
		pe.State = "active"
	case "azure":
		pe.State, pe.SyncLevel = "Connected", "FullyInSync"
		pe.AllowForwardedTraffic = true
		pe.Remote.PeeredCIDRs = remote.CIDRs
		pe.UseRemoteGateways = false
	default:
		pe.State = "ACTIVE"
		pe.Region = ""
		pe.ExportCustomRoutes, pe.ImportCustomRoutes = true, true
	}
	g.s.Peerings = append(g.s.Peerings, pe)
}

// emitHubs writes the hubs, their attachments and their route tables: a default table
// every spoke associates with and propagates to, Kong's table (Kong's attachment
// associated, a share of the spokes propagating), and a shared-services table for VPNs.
func (g *gen) emitHubs() {
	for i, h := range g.hubs {
		ent := func(id, name string) snapshot.Entity {
			return snapshot.Entity{ID: id, Provider: h.provider, Account: h.account, Region: h.region, Name: name}
		}
		hub := snapshot.Hub{
			Entity:                         ent(h.id, fmt.Sprintf("hub-%s", h.region)),
			Kind:                           h.kind,
			State:                          "available",
			CIDRs:                          []string{fmt.Sprintf("198.18.%d.0/24", i)},
			DefaultRouteTablePropagation:   true,
			AssociationDefaultRouteTableID: h.defaultRT,
			PropagationDefaultRouteTableID: h.defaultRT,
		}
		if h.provider == "azure" {
			hub.State = "Succeeded"
		}
		g.s.Hubs = append(g.s.Hubs, hub)
		g.scope(h.provider, h.account, h.region, service(h.provider), "hubs", "hub_attachments", "hub_route_tables")

		spokeKind := map[string]string{"aws": "vpc", "azure": "vnet"}[h.provider]
		defRT := snapshot.HubRouteTable{Entity: ent(h.defaultRT, "default"), HubID: h.id, Default: true, Labels: []string{"default"}}
		kongRT := snapshot.HubRouteTable{Entity: ent(h.kongRT, "kong"), HubID: h.id, Labels: []string{"kong"}}
		sharedRT := snapshot.HubRouteTable{Entity: ent(h.sharedRT, "shared-services"), HubID: h.id, Labels: []string{"shared"}}
		propagate := func(rt *snapshot.HubRouteTable, attach string, cidrs []string) {
			rt.Propagations = append(rt.Propagations, attach)
			for _, c := range cidrs {
				rt.Routes = append(rt.Routes, snapshot.HubRoute{Destination: c, AttachmentIDs: []string{attach}, Type: "propagated", State: "active"})
			}
		}
		for _, n := range h.spokes {
			a := snapshot.HubAttachment{
				Entity: ent(n.hubAttach, "attach-"+n.name), HubID: h.id, Kind: spokeKind, NetworkID: n.id,
				OwnerAccount: n.account, State: "available", AssociatedRouteTableID: h.defaultRT,
				PropagatedRouteTableIDs: []string{h.defaultRT, h.sharedRT},
			}
			defRT.Associations = append(defRT.Associations, n.hubAttach)
			propagate(&defRT, n.hubAttach, n.cidrs)
			propagate(&sharedRT, n.hubAttach, n.cidrs)
			if n.kongViaHub {
				a.PropagatedRouteTableIDs = append(a.PropagatedRouteTableIDs, h.kongRT)
				propagate(&kongRT, n.hubAttach, n.block4())
			}
			if h.provider == "azure" {
				a.State = "Succeeded"
				a.PropagationLabels = []string{"default", "shared"}
				if n.kongViaHub {
					a.PropagationLabels = append(a.PropagationLabels, "kong")
				}
			}
			g.s.HubAttachments = append(g.s.HubAttachments, a)
		}
		for j, o := range h.others {
			kind := "vpn"
			if j == 1 {
				kind = "direct-connect"
			}
			g.s.HubAttachments = append(g.s.HubAttachments, snapshot.HubAttachment{
				Entity: ent(o, kind+"-onprem"), HubID: h.id, Kind: kind, OwnerAccount: h.account, State: "available",
				AssociatedRouteTableID: h.sharedRT, PropagatedRouteTableIDs: []string{h.defaultRT},
			})
			sharedRT.Associations = append(sharedRT.Associations, o)
			propagate(&defRT, o, []string{fmt.Sprintf("192.168.%d.0/20", 16*j)})
		}
		if k := h.kong; k != nil {
			g.s.HubAttachments = append(g.s.HubAttachments, snapshot.HubAttachment{
				Entity: ent(h.kongAttach, "kong-dcgw"), HubID: h.id, Kind: spokeKind, NetworkID: k.vpc,
				OwnerAccount: k.account, State: "available", AssociatedRouteTableID: h.kongRT,
				PropagatedRouteTableIDs: []string{h.defaultRT, h.sharedRT},
			})
			kongRT.Associations = append(kongRT.Associations, h.kongAttach)
			propagate(&defRT, h.kongAttach, []string{k.cidr})
			propagate(&sharedRT, h.kongAttach, []string{k.cidr})
		}
		if h.egress != nil {
			defRT.Routes = append(defRT.Routes, snapshot.HubRoute{Destination: "0.0.0.0/0", AttachmentIDs: []string{h.egress.hubAttach}, Type: "static", State: "active"})
		}
		defRT.Routes = append(defRT.Routes, snapshot.HubRoute{Destination: fmt.Sprintf("198.19.%d.0/24", i), Type: "static", State: "blackhole"})
		g.s.HubRouteTables = append(g.s.HubRouteTables, defRT, kongRT, sharedRT)
	}
}

// emitKonnect writes the Konnect networks with their hub, peering and resource
// endpoint attachments, the custom domains and the CIDR availability.
func (g *gen) emitKonnect() {
	konnectCollections := []string{"konnect.networks", "konnect.custom_domains", "konnect.availability"}
	g.scope("konnect", "", "", "konnect", konnectCollections...)
	for i, k := range g.kongs {
		kn := snapshot.KonnectNetwork{
			Entity:            snapshot.Entity{ID: k.id, Provider: k.provider, Region: k.region, Name: fmt.Sprintf("%s-%s-network", k.provider, k.region)},
			CIDR:              k.cidr,
			State:             "ready",
			ProviderAccountID: k.account,
			ProviderNetworkID: k.vpc,
			DataPlaneIPs:      k.dpIPs,
			EgressIPs:         k.egress,
			Hostnames:         k.hostnames,
			APIAccess:         "private+public",
		}
		for az := range 3 {
			kn.AvailabilityZones = append(kn.AvailabilityZones, fmt.Sprintf("%s-az%d", k.region, az+1))
		}
		if h := k.hub; h != nil {
			a := snapshot.KonnectAttachment{
				ID: k.hubAttachmentUUID, Name: "hub-" + h.region, State: "ready", Account: h.account, Region: h.region,
				HubID: h.id, HubAttachmentID: h.kongAttach,
				DNSConfig: []snapshot.KonnectDNSForward{{RemoteDNSServerIPs: []string{"10.0.0.2"}, Domains: []string{"internal.acme.corp"}}},
			}
			if h.provider == "aws" {
				a.Kind = snapshot.AttachAWSTransitGateway
				a.CIDRBlocks = []string{"10.0.0.0/8"}
				a.ShareID = g.share(h.account, h.region, k.account, h.id)
			} else {
				a.Kind = snapshot.AttachAzureVHub
			}
			kn.Attachments = append(kn.Attachments, a)
		}
		for j, n := range k.peers {
			a := snapshot.KonnectAttachment{
				ID: g.uuid(), Name: "peer-" + n.name, State: "ready", Account: n.account, Region: n.region,
				NetworkID: n.id, PeeringID: n.kongPeering,
			}
			switch k.provider {
			case "aws":
				a.Kind, a.CIDRBlocks = snapshot.AttachAWSVPCPeering, n.block4()
			case "azure":
				a.Kind = snapshot.AttachAzureVNetPeering
			default:
				a.Kind = snapshot.AttachGCPVPCPeering
			}
			if j == 2 {
				a.State, a.StateReason = "pending-acceptance", "waiting for the customer to accept the peering"
			}
			kn.Attachments = append(kn.Attachments, a)
		}
		if i == 0 {
			if zone := g.firstPrivateZone(); zone != "" {
				kn.PrivateDNS = []snapshot.KonnectPrivateDNS{{ID: g.uuid(), Name: "internal", Kind: "aws-private-hosted-zone-attachment", State: "ready", ZoneID: zone, DomainName: "internal.acme.corp"}}
			}
		}
		g.s.Konnect.Networks = append(g.s.Konnect.Networks, kn)
		g.s.Konnect.CustomDomains = append(g.s.Konnect.CustomDomains, snapshot.CustomDomain{ID: g.uuid(), Domain: fmt.Sprintf("api.acme%03d.com", i), State: "verified"})
		g.s.Konnect.Availability = append(g.s.Konnect.Availability, snapshot.AvailabilityRegion{
			Provider: k.provider, Region: k.region,
			AllowedCIDRs:  []string{"10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16", "198.18.0.0/15"},
			ReservedCIDRs: []string{"10.100.0.0/16", "172.17.0.0/16"},
		})
	}
}

// firstPrivateZone is the id of the estate's first private AWS zone, if any. DNS is
// emitted after Konnect, so it is computed the way emitDNS names it.
func (g *gen) firstPrivateZone() string {
	if g.perProv["aws"] == 0 {
		return ""
	}
	return privateZoneID("aws", g.accounts["aws"][0])
}

// share writes a RAM share of resource to Kong's account and returns its ARN.
func (g *gen) share(account, region, kongAccount string, resources ...string) string {
	arn := fmt.Sprintf("arn:aws:ram:%s:%s:resource-share/%s", region, account, g.uuid())
	g.s.Shares = append(g.s.Shares, snapshot.Share{
		Entity:                  snapshot.Entity{ID: arn, Provider: "aws", Account: account, Region: region, Name: "kong-dcgw"},
		Status:                  "ACTIVE",
		AllowExternalPrincipals: true,
		Principals:              []snapshot.SharePrincipal{{ID: kongAccount, External: true, Status: "ASSOCIATED"}},
		ResourceIDs:             resources,
	})
	g.scope("aws", account, region, "ram", "shares")
	return arn
}

// emitPrefixLists writes the customer prefix lists handed out to firewall rules and
// the AWS-managed lists used by routes.
func (g *gen) emitPrefixLists() {
	keys := slices.Sorted(maps.Keys(g.prefixLists))
	var dp []string
	for _, ip := range g.kongs[0].dpIPs {
		dp = append(dp, ip+"/32")
	}
	for _, key := range keys {
		account, region, _ := strings.Cut(key, "/")
		ids := g.prefixLists[key]
		ent := func(id, name string) snapshot.Entity {
			return snapshot.Entity{ID: id, Provider: "aws", Account: account, Region: region, Name: name}
		}
		g.s.PrefixLists = append(g.s.PrefixLists,
			snapshot.PrefixList{Entity: ent(ids[0], "corp-onprem"), CIDRs: []string{"192.168.0.0/16", "172.16.0.0/16"}},
			snapshot.PrefixList{Entity: ent(ids[1], "kong-dcgw"), CIDRs: dp},
		)
		g.scope("aws", account, region, "ec2", "prefix_lists")
	}
	regions := make([]string, 0, len(g.awsPLs))
	for r := range g.awsPLs {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	for _, r := range regions {
		ids := g.awsPLs[r]
		g.s.PrefixLists = append(g.s.PrefixLists,
			snapshot.PrefixList{Entity: snapshot.Entity{ID: ids[0], Provider: "aws", Region: r, Name: "com.amazonaws." + r + ".s3"}, CIDRs: []string{"52.216.0.0/15", "3.5.0.0/19"}, AWSManaged: true},
			snapshot.PrefixList{Entity: snapshot.Entity{ID: ids[1], Provider: "aws", Region: r, Name: "com.amazonaws.global.cloudfront.origin-facing"}, CIDRs: []string{"120.52.22.96/27", "205.251.249.0/24"}, AWSManaged: true},
		)
	}
}

// canonicalZone is the ALB hosted zone of an AWS region.
var canonicalZone = map[string]string{"us-east-1": "Z35SXDOTRQ7X7K", "us-west-2": "Z1H1FL5HABSF5", "eu-west-1": "Z32O12XQLNTSW2"}

// emitLoadBalancers writes the edge load balancers (internet-facing, targeting the data
// plane IPs of a Konnect network, in a network connected to it) and internal load
// balancers in a few per cent of AWS networks.
func (g *gen) emitLoadBalancers() {
	perKong := 1 + len(g.nets)/2000
	for ki, k := range g.kongs {
		var connected []*netPlan
		for _, n := range g.nets {
			if n.kong == k {
				connected = append(connected, n)
			}
		}
		for e := 0; e < perKong && len(connected) > 0; e++ {
			n := connected[e*len(connected)/perKong]
			g.edgeLB(k, n, ki*100+e)
		}
	}
	for _, n := range g.nets {
		if n.provider != "aws" || n.isEdge || !g.chance(0.05) {
			continue
		}
		name := fmt.Sprintf("int-%05d", n.idx)
		lbID := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/net/%s/%s", n.region, n.account, name, g.hex()[1:])
		tgID := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s", n.region, n.account, name, g.hex()[1:])
		var targets []snapshot.Target
		for t := range g.between(2, 4) {
			targets = append(targets, snapshot.Target{ID: host(split(n.block, 3, 0), 20+t), Port: 8080, Health: "healthy"})
		}
		g.s.LoadBalancers = append(g.s.LoadBalancers, snapshot.LoadBalancer{
			Entity: snapshot.Entity{ID: lbID, Provider: "aws", Account: n.account, Region: n.region, Name: name},
			Kind:   "aws-nlb", Scheme: "internal", NetworkID: n.id,
			DNSName:        fmt.Sprintf("%s-%s.elb.%s.amazonaws.com", name, g.hex()[9:], n.region),
			Listeners:      []snapshot.Listener{{Protocol: "TCP", Port: 8080, DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{tgID}}}},
			TargetGroupIDs: []string{tgID},
		})
		g.s.TargetGroups = append(g.s.TargetGroups, snapshot.TargetGroup{
			Entity:   snapshot.Entity{ID: tgID, Provider: "aws", Account: n.account, Region: n.region, Name: name},
			Protocol: "TCP", Port: 8080, TargetType: "ip", NetworkID: n.id, LoadBalancerIDs: []string{lbID}, Targets: targets,
		})
		g.scope("aws", n.account, n.region, "elbv2", "load_balancers", "target_groups")
	}
}

func (g *gen) edgeLB(k *kongPlan, n *netPlan, e int) {
	n.isEdge = true
	name := fmt.Sprintf("edge-%03d", e)
	var lb snapshot.LoadBalancer
	var tg snapshot.TargetGroup
	var targets []snapshot.Target
	for az, ip := range k.dpIPs {
		targets = append(targets, snapshot.Target{ID: ip, Port: 443, Zone: fmt.Sprintf("%s-az%d", k.region, az+1), Health: "healthy"})
	}
	ent := func(id, nm string) snapshot.Entity {
		return snapshot.Entity{ID: id, Provider: n.provider, Account: n.account, Region: n.region, Name: nm}
	}
	switch n.provider {
	case "aws":
		lbID := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", n.region, n.account, name, g.hex()[1:])
		tgID := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/dcgw-%s/%s", n.region, n.account, name, g.hex()[1:])
		lb = snapshot.LoadBalancer{
			Entity: ent(lbID, name), Kind: "aws-alb", Scheme: "internet-facing", NetworkID: n.id,
			DNSName:       fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", name, g.hex()[8:], n.region),
			CanonicalZone: canonicalZone[n.region], WAFID: fmt.Sprintf("arn:aws:wafv2:%s:%s:regional/webacl/edge/%s", n.region, n.account, g.uuid()),
			Listeners: []snapshot.Listener{
				{Protocol: "HTTPS", Port: 443, TLSPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{tgID}}},
				{Protocol: "HTTP", Port: 80, DefaultAction: snapshot.ListenerAction{Kind: "redirect", RedirectProtocol: "HTTPS"}},
			},
			TargetGroupIDs: []string{tgID},
		}
		tg = snapshot.TargetGroup{Entity: ent(tgID, "dcgw-"+name), Protocol: "HTTPS", Port: 443, TargetType: "ip", NetworkID: n.id, LoadBalancerIDs: []string{lbID}, Targets: targets}
		g.scope("aws", n.account, n.region, "elbv2", "load_balancers", "target_groups")
	case "azure":
		lbID := fmt.Sprintf("/subscriptions/%s/resourceGroups/rg-edge/providers/Microsoft.Network/applicationGateways/agw-%s", n.account, name)
		tgID := lbID + "/backendAddressPools/dcgw"
		lb = snapshot.LoadBalancer{
			Entity: ent(lbID, "agw-"+name), Kind: "azure-application-gateway", Scheme: "internet-facing", NetworkID: n.id,
			DNSName: fmt.Sprintf("agw-%s.%s.cloudapp.azure.com", name, n.region), WAFID: lbID + "/wafPolicy",
			Listeners: []snapshot.Listener{
				{Protocol: "Https", Port: 443, TLSPolicy: "AppGwSslPolicy20220101", DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{tgID}}},
			},
			TargetGroupIDs: []string{tgID},
		}
		tg = snapshot.TargetGroup{Entity: ent(tgID, "dcgw"), Protocol: "Https", Port: 443, TargetType: "ip", NetworkID: n.id, LoadBalancerIDs: []string{lbID}, Targets: targets}
	default:
		lbID := fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/global/forwardingRules/%s", n.account, name)
		tgID := fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/global/backendServices/dcgw-%s", n.account, name)
		lb = snapshot.LoadBalancer{
			Entity: ent(lbID, name), Kind: "gcp-load-balancer", Scheme: "internet-facing", NetworkID: n.id,
			Listeners: []snapshot.Listener{
				{Protocol: "HTTPS", Port: 443, TLSPolicy: "modern-tls12", DefaultAction: snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{tgID}}},
			},
			TargetGroupIDs: []string{tgID},
		}
		tg = snapshot.TargetGroup{Entity: ent(tgID, "dcgw-"+name), Protocol: "HTTPS", Port: 443, TargetType: "ip", NetworkID: n.id, LoadBalancerIDs: []string{lbID}, Targets: targets}
		lb.Region, tg.Region = "", ""
	}
	if n.provider != "gcp" {
		g.scope(n.provider, n.account, n.scopeRegion(), service(n.provider), "load_balancers", "target_groups")
		// The edge's own firewall: HTTPS from anywhere, out to the data plane on 443.
		fwIdx := g.firewallOf(n)
		if fwIdx >= 0 {
			fw := &g.s.Firewalls[fwIdx]
			fw.AttachedTo = append(fw.AttachedTo, snapshot.Attachment{Kind: "load-balancer", ID: lb.ID})
			lb.FirewallIDs = []string{fw.ID}
		}
	} else {
		g.scope("gcp", n.account, "global", "compute", "load_balancers", "target_groups")
	}
	g.s.LoadBalancers = append(g.s.LoadBalancers, lb)
	g.s.TargetGroups = append(g.s.TargetGroups, tg)
	k.lbs = append(k.lbs, lb.DNSName)
}

// firewallOf returns the index of the first security group or NSG of network n.
func (g *gen) firewallOf(n *netPlan) int {
	for i := range g.s.Firewalls {
		f := &g.s.Firewalls[i]
		if f.NetworkID == n.id && f.Kind != "aws-network-acl" {
			return i
		}
	}
	return -1
}

func privateZoneID(provider, account string) string {
	switch provider {
	case "aws":
		h := fnv.New64a()
		h.Write([]byte(account))
		return fmt.Sprintf("Z%013XP", h.Sum64()>>12)
	case "azure":
		return fmt.Sprintf("/subscriptions/%s/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/%s.internal.acme.corp", account, account[:8])
	}
	return fmt.Sprintf("projects/%s/managedZones/internal", account)
}

// emitDNS writes public zones (edge CNAMEs and aliases, weighted sets, a few names that
// point straight at Kong), one private zone per account with records for its networks,
// and the live resolutions of the public API names.
func (g *gen) emitDNS() {
	dnsAccount := g.accounts["aws"][0]
	var edges []string
	for _, k := range g.kongs {
		edges = append(edges, k.lbs...)
	}
	if len(edges) == 0 {
		edges = []string{"edge-none.elb.amazonaws.com"}
	}
	record := func(zoneID, provider, account string, r snapshot.DNSRecord) {
		r.ZoneID = zoneID
		r.Entity = snapshot.Entity{ID: zoneID + "/" + r.FQDN + "/" + r.Type, Provider: provider, Account: account, Name: r.FQDN}
		if r.SetIdentifier != "" {
			r.ID += "/" + r.SetIdentifier
		}
		if r.TTL == 0 && r.Alias == nil {
			r.TTL = 300
		}
		g.s.DNSRecords = append(g.s.DNSRecords, r)
	}
	resolve := func(name string, chain []string, i int) {
		g.s.DNSResolutions = append(g.s.DNSResolutions, snapshot.DNSResolution{
			ID: name, Hostname: name, Resolver: "1.1.1.1", Chain: chain, Rcode: "NOERROR",
			Addresses: []string{fmt.Sprintf("198.51.100.%d", i%250+1), fmt.Sprintf("198.51.100.%d", (i+1)%250+1)},
		})
	}
	zones := max(2, len(g.nets)/500)
	for z := range zones {
		apex := fmt.Sprintf("acme%03d.com", z)
		zoneID := fmt.Sprintf("Z%013X", uint64(z+1)*0x9e3779b97f4a7c15>>12)
		g.s.DNSZones = append(g.s.DNSZones, snapshot.DNSZone{Entity: snapshot.Entity{ID: zoneID, Provider: "aws", Account: dnsAccount, Name: apex}, DNSName: apex})
		edge := edges[z%len(edges)]
		other := edges[(z+1)%len(edges)]
		record(zoneID, "aws", dnsAccount, snapshot.DNSRecord{FQDN: apex, Type: "A", Alias: &snapshot.DNSAlias{DNSName: edge, HostedZoneID: "Z35SXDOTRQ7X7K"}})
		record(zoneID, "aws", dnsAccount, snapshot.DNSRecord{FQDN: "api." + apex, Type: "CNAME", Values: []string{edge}})
		resolve("api."+apex, []string{edge}, z)
		for s, set := range []string{"blue", "green"} {
			w := 50
			target := []string{edge, other}[s]
			record(zoneID, "aws", dnsAccount, snapshot.DNSRecord{FQDN: "shop." + apex, Type: "CNAME", Values: []string{target}, SetIdentifier: set, RoutingPolicy: "weighted", Weight: &w})
		}
		resolve("shop."+apex, []string{edge}, z+1)
		if z%4 == 1 {
			// Straight at Kong, skipping the edge.
			kh := g.kongs[z%len(g.kongs)].hostnames[0]
			record(zoneID, "aws", dnsAccount, snapshot.DNSRecord{FQDN: "gw." + apex, Type: "CNAME", Values: []string{kh}})
			resolve("gw."+apex, []string{kh}, z+2)
		}
		for f := range g.between(20, 40) {
			record(zoneID, "aws", dnsAccount, snapshot.DNSRecord{FQDN: fmt.Sprintf("www%02d.%s", f, apex), Type: "A", Values: []string{fmt.Sprintf("198.51.100.%d", f+1)}})
		}
		record(zoneID, "aws", dnsAccount, snapshot.DNSRecord{FQDN: apex, Type: "MX", Values: []string{"10 mx." + apex}})
	}
	g.scope("aws", dnsAccount, "", "route53", "dns_zones", "dns_records")
	g.scope("dns", "", "", "resolve", "dns_resolutions")

	// Private zones, one per account, associated with the account's networks.
	byAccount := map[string][]*netPlan{}
	var order []string
	for _, n := range g.nets {
		if _, ok := byAccount[n.account]; !ok {
			order = append(order, n.account)
		}
		byAccount[n.account] = append(byAccount[n.account], n)
	}
	for _, acct := range order {
		nets := byAccount[acct]
		prov := nets[0].provider
		zoneID := privateZoneID(prov, acct)
		zone := snapshot.DNSZone{Entity: snapshot.Entity{ID: zoneID, Provider: prov, Account: acct, Name: "internal"}, DNSName: "internal.acme.corp", Private: true}
		if prov == "azure" {
			zone.DNSName = acct[:8] + ".internal.acme.corp"
		}
		for _, n := range nets {
			zone.NetworkIDs = append(zone.NetworkIDs, n.id)
		}
		g.s.DNSZones = append(g.s.DNSZones, zone)
		for _, n := range nets {
			svc := fmt.Sprintf("svc-%05d.%s", n.idx, zone.DNSName)
			record(zoneID, prov, acct, snapshot.DNSRecord{FQDN: svc, Type: "A", Values: []string{host(split(n.block, 3, 0), 10)}})
			record(zoneID, prov, acct, snapshot.DNSRecord{FQDN: fmt.Sprintf("db-%05d.%s", n.idx, zone.DNSName), Type: "A", Values: []string{host(split(n.block, 3, 1), 11)}})
			record(zoneID, prov, acct, snapshot.DNSRecord{FQDN: fmt.Sprintf("api-%05d.%s", n.idx, zone.DNSName), Type: "CNAME", Values: []string{svc}})
		}
		switch prov {
		case "aws":
			g.scope("aws", acct, "", "route53", "dns_zones", "dns_records")
		case "azure":
			g.scope("azure", acct, "", "privatedns", "dns_zones", "dns_records")
		default:
			g.scope("gcp", acct, "", "dns", "dns_zones", "dns_records")
		}
	}
}

// emitPrivateEndpoints writes one resource endpoint attachment of the first Konnect
// network: a group resource configuration with two children behind a resource
// gateway, shared with Kong's account.
func (g *gen) emitPrivateEndpoints() {
	k := g.kongs[0]
	var n *netPlan
	for _, c := range g.nets {
		if c.provider == "aws" && c.region == k.region && len(c.sgs) > 0 {
			n = c
			break
		}
	}
	if n == nil {
		return
	}
	rgw := "rgw-" + g.hex()
	g.s.ResourceGateways = append(g.s.ResourceGateways, snapshot.ResourceGateway{
		Entity:    snapshot.Entity{ID: rgw, Provider: "aws", Account: n.account, Region: n.region, Name: "kong-endpoints"},
		NetworkID: n.id, SubnetIDs: n.subnets[:2], FirewallIDs: []string{n.sgs[0]}, IPAddressType: "IPV4", State: "ACTIVE",
	})
	arn := func(id string) string {
		return fmt.Sprintf("arn:aws:vpc-lattice:%s:%s:resourceconfiguration/%s", n.region, n.account, id)
	}
	group := arn("rcfg-" + g.hex())
	children := []string{arn("rcfg-" + g.hex()), arn("rcfg-" + g.hex())}
	shareID := g.share(n.account, n.region, k.account, group)
	ent := func(id, name string) snapshot.Entity {
		return snapshot.Entity{ID: id, Provider: "aws", Account: n.account, Region: n.region, Name: name}
	}
	g.s.PrivateEndpoints = append(g.s.PrivateEndpoints, snapshot.PrivateEndpoint{
		Entity: ent(group, "kong-upstreams"), Kind: "aws-lattice-resource-configuration", Type: "GROUP",
		ChildIDs: children, ResourceGatewayID: rgw, ShareIDs: []string{shareID}, State: "ACTIVE", Protocol: "TCP",
	})
	var configs []snapshot.KonnectResourceConfig
	for c, id := range children {
		pe := snapshot.PrivateEndpoint{
			Entity: ent(id, fmt.Sprintf("upstream-%d", c)), Kind: "aws-lattice-resource-configuration", Type: "CHILD",
			ParentID: group, ResourceGatewayID: rgw, PortRanges: []string{"443"}, Protocol: "TCP", State: "ACTIVE",
			Definition: &snapshot.EndpointDefinition{Kind: "ip", Value: host(split(n.block, 3, 0), 30+c)},
		}
		if c == 1 {
			pe.Definition = &snapshot.EndpointDefinition{Kind: "dns", Value: fmt.Sprintf("svc-%05d.internal.acme.corp", n.idx)}
			pe.PortRanges = []string{"8000-8100"}
		}
		g.s.PrivateEndpoints = append(g.s.PrivateEndpoints, pe)
		configs = append(configs, snapshot.KonnectResourceConfig{ID: id, DomainName: fmt.Sprintf("upstream-%d.internal.acme.corp", c), State: "ready"})
	}
	kn := &g.s.Konnect.Networks[0]
	kn.Attachments = append(kn.Attachments, snapshot.KonnectAttachment{
		ID: g.uuid(), Name: "resource-endpoints", Kind: snapshot.AttachAWSResourceEP, State: "ready",
		Account: n.account, Region: n.region, ShareID: shareID, ResourceConfigs: configs,
	})
	g.scope("aws", n.account, n.region, "vpc-lattice", "private_endpoints", "resource_gateways")
}

// emitScopes writes every scope the estate's collection would have asked, all ok: each
// (account, region) of a provider for its network, load balancer and endpoint
// services, plus the scopes that produced entities.
func (g *gen) emitScopes() {
	for _, p := range providers {
		for _, acct := range g.accounts[p.name] {
			regions := p.regions
			if p.name == "gcp" {
				regions = []string{"global"}
			}
			for _, r := range regions {
				g.scope(p.name, acct, r, service(p.name), "networks", "subnets", "route_tables", "peerings", "firewalls")
				if p.name == "aws" {
					g.scope("aws", acct, r, "ec2", "prefix_lists", "hubs", "hub_attachments", "hub_route_tables")
					g.scope("aws", acct, r, "elbv2", "load_balancers", "target_groups")
					g.scope("aws", acct, r, "vpc-lattice", "private_endpoints", "resource_gateways")
					g.scope("aws", acct, r, "ram", "shares")
				} else {
					g.scope(p.name, acct, r, service(p.name), "load_balancers", "target_groups")
				}
			}
		}
	}
	keys := make([]scopeKey, 0, len(g.scopes))
	for k := range g.scopes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b scopeKey) int {
		return strings.Compare(a.provider+"/"+a.account+"/"+a.region+"/"+a.service, b.provider+"/"+b.account+"/"+b.region+"/"+b.service)
	})
	for _, k := range keys {
		g.s.Scopes = append(g.s.Scopes, snapshot.Scope{
			Provider: k.provider, Account: k.account, Region: k.region, Service: k.service,
			Status: snapshot.ScopeOK, Collections: sorted(g.scopes[k]),
		})
	}
}
