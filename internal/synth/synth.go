// Package synth generates synthetic estates: snapshots shaped like a real multi-account
// DCGW deployment (a few Konnect networks, thousands of customer networks on AWS, Azure
// and GCP with their subnets, route tables, firewalls, hubs, peerings, load balancers and
// DNS). The estates feed the benchmarks of the loader and of the policy engine, so they
// must be big, valid, deterministic for a seed, and produce a number of findings that
// grows with the estate, not with its square.
package synth

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"slices"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Options size and seed an estate.
type Options struct {
	// Networks is the number of customer networks (VPCs, VNets, GCP networks).
	Networks int
	// Seed makes the estate: the same seed gives the same snapshot.
	Seed int64
}

// Shape of the estate. The fractions are of customer networks.
const (
	networksPerAccount = 50
	// overlapFraction of networks reuse the block of an earlier network.
	overlapFraction = 0.01
	// konnectOverlapEvery: one network in this many sits inside a Konnect CIDR.
	konnectOverlapEvery = 2500
	// hubAttachFraction of AWS and Azure networks attach to their region's hub.
	hubAttachFraction = 0.85
	// kongReachFraction of hub spokes propagate into Kong's hub route table.
	kongReachFraction = 0.4
	// peerFraction of networks peer with an earlier network of the same provider.
	peerFraction = 0.04
	// kongPeeringsPerNetwork is the number of peering attachments of a Konnect network.
	kongPeeringsPerNetwork = 3
)

// Generate builds an estate of opts.Networks customer networks. It is deterministic
// for opts.Seed. Beyond about 14,000 networks the private blocks run out and later
// networks reuse earlier blocks, so overlaps grow.
func Generate(opts Options) *snapshot.Snapshot {
	g := newGen(opts)
	g.planKonnect()
	g.planHubs()
	g.planNetworks(opts.Networks)
	g.planPeerings()
	for _, n := range g.nets {
		g.emitNetwork(n)
	}
	g.emitPeerings()
	g.emitHubs()
	g.emitKonnect()
	g.emitPrefixLists()
	g.emitLoadBalancers()
	g.emitDNS()
	g.emitPrivateEndpoints()
	g.emitScopes()
	return g.s
}

// provider describes one cloud's share of the estate.
type provider struct {
	name     string
	weight   float64
	regions  []string
	rweights []float64
}

var providers = []provider{
	{name: "aws", weight: 0.7, regions: []string{"us-east-1", "us-west-2", "eu-west-1"}, rweights: []float64{0.5, 0.3, 0.2}},
	{name: "azure", weight: 0.2, regions: []string{"eastus", "westeurope"}, rweights: []float64{0.6, 0.4}},
	{name: "gcp", weight: 0.1, regions: []string{"us-central1", "europe-west1"}, rweights: []float64{0.6, 0.4}},
}

// gen holds the estate under construction.
type gen struct {
	r    *rand.Rand
	salt uint64
	ctr  uint64
	s    *snapshot.Snapshot

	kongs []*kongPlan
	hubs  []*hubPlan
	nets  []*netPlan
	// accounts per provider, in order of creation.
	accounts map[string][]string
	perProv  map[string]int
	// pools of primary blocks, walked in order.
	pools   []netip.Prefix
	pool    int
	cursor  uint32
	v4extra uint32 // next /24 in 100.64.0.0/10 for secondary blocks
	v6      uint32
	// peerings between customer networks and with Konnect.
	peerings []*peerPlan
	// scopes: key -> collections.
	scopes map[scopeKey]map[string]bool
	// sgByNet are the security group ids of each network, for group references.
	prefixLists map[string][]string // account -> customer prefix list ids
	awsPLs      map[string][]string // region -> AWS-managed prefix list ids
	privateIPs  []string            // sample of instance IPs for DNS records
}

type scopeKey struct{ provider, account, region, service string }

type kongPlan struct {
	id, provider, region, cidr string
	account, vpc               string
	dpIPs, egress, hostnames   []string
	hub                        *hubPlan
	hubAttach                  string
	hubAttachmentUUID          string
	peers                      []*netPlan
	lbs                        []string // edge load balancer DNS names
}

type hubPlan struct {
	id, kind, provider, account, region string
	kong                                *kongPlan
	kongAttach                          string
	spokes                              []*netPlan
	others                              []string // vpn / direct-connect attachment ids
	egress                              *netPlan
	defaultRT, kongRT, sharedRT         string
}

type netPlan struct {
	idx                           int
	provider, account, region, id string
	name                          string
	block                         netip.Prefix
	cidrs                         []string // network-level ranges (empty for GCP)
	v6                            string
	hub                           *hubPlan
	hubAttach                     string
	kongViaHub                    bool // propagates into Kong's hub route table
	kong                          *kongPlan
	kongPeering                   string
	peers                         []*peerPlan
	subnets                       []string
	subnetCIDRs                   []string
	sgs                           []string
	isEdge                        bool
}

type peerPlan struct {
	id, remoteID string // remoteID: the other side's peering id (Azure, GCP)
	a, b         *netPlan
	kong         *kongPlan
}

func newGen(opts Options) *gen {
	seed := uint64(opts.Seed)
	return &gen{
		r:    rand.New(rand.NewPCG(seed, 0x5eed_dc9e)),
		salt: seed*0x9e3779b97f4a7c15 + 1,
		s: &snapshot.Snapshot{
			SchemaVersion: snapshot.SchemaVersion,
			Name:          fmt.Sprintf("synthetic estate of %d networks (seed %d)", opts.Networks, opts.Seed),
			CollectedAt:   "2026-01-01T00:00:00Z",
		},
		accounts:    map[string][]string{},
		perProv:     map[string]int{},
		pools:       []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.24.0.0/13")},
		scopes:      map[scopeKey]map[string]bool{},
		prefixLists: map[string][]string{},
		awsPLs:      map[string][]string{},
	}
}

// hex returns 17 hex digits unique within the estate (an odd multiplier is a bijection
// on uint64), in the style of AWS resource ids.
func (g *gen) hex() string {
	g.ctr++
	return fmt.Sprintf("%017x", (g.ctr+g.salt)*0xd6e8feb86659fd93)
}

// uuid returns a version-4-shaped UUID unique within the estate.
func (g *gen) uuid() string {
	g.ctr++
	a := (g.ctr + g.salt) * 0xd6e8feb86659fd93
	b := (g.ctr ^ g.salt) * 0x9e3779b97f4a7c15
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, b>>52, b&0xffffffffffff)
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// skewed returns lo..hi with a long tail: most values near lo, as rule and route
// counts are in real estates (mean about lo + (hi-lo)/4).
func (g *gen) skewed(lo, hi int) int {
	u := g.r.Float64()
	return lo + int(float64(hi-lo+1)*u*u*u)
}

func (g *gen) pick(weights []float64) int {
	x := g.r.Float64()
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// scope records that (provider, account, region, service) filled collections.
func (g *gen) scope(provider, account, region, service string, collections ...string) {
	k := scopeKey{provider, account, region, service}
	m := g.scopes[k]
	if m == nil {
		m = map[string]bool{}
		g.scopes[k] = m
	}
	for _, c := range collections {
		m[c] = true
	}
}

// account returns the account of the next network of provider p: about
// networksPerAccount networks share one.
func (g *gen) account(p string) string {
	i := g.perProv[p] / networksPerAccount
	g.perProv[p]++
	for len(g.accounts[p]) <= i {
		g.accounts[p] = append(g.accounts[p], g.newAccount(p, len(g.accounts[p])))
	}
	return g.accounts[p][i]
}

func (g *gen) newAccount(p string, i int) string {
	switch p {
	case "aws":
		return fmt.Sprintf("%012d", 210000000000+uint64(i)*7919+(g.salt%1000))
	case "azure":
		return g.uuid()
	default:
		return fmt.Sprintf("acme-%s-%04d", []string{"prod", "stage", "dev"}[i%3], i)
	}
}

// block allocates the next aligned block of the given prefix length from the pools.
func (g *gen) block(bits int) netip.Prefix {
	size := uint32(1) << (32 - bits)
	for {
		p := g.pools[g.pool]
		base := v4u(p.Addr())
		end := base + uint32(1)<<(32-p.Bits())
		start := (base + g.cursor + size - 1) &^ (size - 1)
		if start+size <= end && start >= base {
			g.cursor = start + size - base
			return netip.PrefixFrom(u4v(start), bits)
		}
		g.pool = (g.pool + 1) % len(g.pools)
		g.cursor = 0
	}
}

// extraBlock allocates a /24 secondary block in 100.64.0.0/10 (wrapping when full).
func (g *gen) extraBlock() string {
	base := v4u(netip.MustParseAddr("100.64.0.0"))
	a := base + (g.v4extra%(1<<14))<<8
	g.v4extra++
	return netip.PrefixFrom(u4v(a), 24).String()
}

// v6Block allocates a unique /56 in the AWS range.
func (g *gen) v6Block() string {
	g.v6++
	var b [16]byte
	copy(b[:], netip.MustParseAddr("2600:1f18::").AsSlice())
	binary.BigEndian.PutUint32(b[4:], g.v6<<8)
	return netip.PrefixFrom(netip.AddrFrom16(b), 56).String()
}

func v4u(a netip.Addr) uint32 { b := a.As4(); return binary.BigEndian.Uint32(b[:]) }

func u4v(u uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], u)
	return netip.AddrFrom4(b)
}

// split returns the i-th of the 2^k equal parts of p.
func split(p netip.Prefix, k, i int) netip.Prefix {
	bits := p.Bits() + k
	return netip.PrefixFrom(u4v(v4u(p.Addr())+uint32(i)<<(32-bits)), bits)
}

// host returns the n-th address of p.
func host(p netip.Prefix, n int) string { return u4v(v4u(p.Addr()) + uint32(n)).String() }

// planKonnect lays out the Konnect networks: two on AWS, one on Azure, one on GCP.
func (g *gen) planKonnect() {
	layout := []struct{ provider, region, cidr, account string }{
		{"aws", "us-east-1", "172.20.0.0/16", "999900001111"},
		{"aws", "eu-west-1", "172.21.0.0/16", "999900001111"},
		{"azure", "eastus", "172.22.0.0/16", "5b1e3c2a-7f00-4d4e-9a9a-00000000c0de"},
		{"gcp", "us-central1", "172.23.0.0/16", "kong-dcgw-prod"},
	}
	for i, l := range layout {
		p := netip.MustParsePrefix(l.cidr)
		k := &kongPlan{id: g.uuid(), provider: l.provider, region: l.region, cidr: l.cidr, account: l.account}
		switch l.provider {
		case "aws":
			k.vpc = "vpc-" + g.hex()
		case "azure":
			k.vpc = fmt.Sprintf("/subscriptions/%s/resourceGroups/kong-dcgw/providers/Microsoft.Network/virtualNetworks/dcgw-%s", l.account, k.id[:8])
		default:
			k.vpc = fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/global/networks/dcgw-%s", l.account, k.id[:8])
		}
		for az := range 3 {
			k.dpIPs = append(k.dpIPs, host(p, (az+1)*4096+10+g.r.IntN(200)))
			k.egress = append(k.egress, fmt.Sprintf("203.0.%d.%d", 100+i, 10+az))
		}
		prefix := g.hex()[7:17]
		k.hostnames = []string{
			prefix + ".gateways.konggateway.com",
			fmt.Sprintf("%s.%s-%s.edge.gateways.konggateway.com", prefix, l.provider, l.region),
		}
		g.kongs = append(g.kongs, k)
	}
}

// planHubs lays out one Transit Gateway per AWS region and one Virtual WAN hub per Azure
// region, owned by the first account of the provider (the network account). Kong
// attaches to the hubs in its own regions.
func (g *gen) planHubs() {
	for _, p := range providers[:2] {
		owner := g.account(p.name)
		g.perProv[p.name]-- // the network account also holds networks
		for _, region := range p.regions {
			h := &hubPlan{provider: p.name, account: owner, region: region}
			if p.name == "aws" {
				h.kind = "aws-transit-gateway"
				h.id = "tgw-" + g.hex()
				h.defaultRT, h.kongRT, h.sharedRT = "tgw-rtb-"+g.hex(), "tgw-rtb-"+g.hex(), "tgw-rtb-"+g.hex()
				for range 2 {
					h.others = append(h.others, "tgw-attach-"+g.hex())
				}
			} else {
				h.kind = "azure-virtual-hub"
				h.id = fmt.Sprintf("/subscriptions/%s/resourceGroups/rg-vwan/providers/Microsoft.Network/virtualHubs/hub-%s", owner, region)
				h.defaultRT, h.kongRT, h.sharedRT = h.id+"/hubRouteTables/defaultRouteTable", h.id+"/hubRouteTables/kong", h.id+"/hubRouteTables/shared"
				h.others = append(h.others, h.id+"/vpnGateways/vpngw-"+region)
			}
			for _, k := range g.kongs {
				if k.provider == p.name && k.region == region {
					h.kong, k.hub = k, h
					k.hubAttachmentUUID = g.uuid()
					if p.name == "aws" {
						h.kongAttach = "tgw-attach-" + g.hex()
					} else {
						h.kongAttach = h.id + "/hubVirtualNetworkConnections/kong-dcgw"
					}
					k.hubAttach = h.kongAttach
				}
			}
			g.hubs = append(g.hubs, h)
		}
	}
}

func (g *gen) hubIn(provider, region string) *hubPlan {
	for _, h := range g.hubs {
		if h.provider == provider && h.region == region {
			return h
		}
	}
	return nil
}

// planNetworks decides every network's place, blocks and hub attachment.
func (g *gen) planNetworks(count int) {
	pw := make([]float64, len(providers))
	for i, p := range providers {
		pw[i] = p.weight
	}
	var reused = map[int]bool{}
	for i := range count {
		p := providers[g.pick(pw)]
		n := &netPlan{idx: i, provider: p.name, region: p.regions[g.pick(p.rweights)]}
		n.account = g.account(p.name)
		bits := []int{23, 22, 22, 21}[g.r.IntN(4)]
		if p.name == "gcp" {
			bits = 21
		}
		switch j := g.r.IntN(max(i, 1)); {
		case i > 10 && g.chance(overlapFraction) && !reused[j]:
			// A copy of an earlier network's block (the classic duplicate VPC); each
			// block is copied at most once, so overlaps come in pairs.
			reused[j], reused[i] = true, true
			n.block = g.nets[j].block
		case i%konnectOverlapEvery == konnectOverlapEvery-1:
			// Inside a Konnect CIDR (upper half, away from the data plane IPs).
			k := g.kongs[(i/konnectOverlapEvery)%len(g.kongs)]
			n.block = split(netip.MustParsePrefix(k.cidr), 6, 32+(i/konnectOverlapEvery)%32)
		default:
			n.block = g.block(bits)
		}
		switch p.name {
		case "aws":
			n.id = "vpc-" + g.hex()
			n.name = fmt.Sprintf("vpc-%s-%05d", []string{"app", "data", "shared", "web"}[i%4], i)
			n.cidrs = []string{n.block.String()}
			if g.chance(0.1) {
				n.cidrs = append(n.cidrs, g.extraBlock())
			}
			if g.chance(0.15) {
				n.v6 = g.v6Block()
				n.cidrs = append(n.cidrs, n.v6)
			}
		case "azure":
			n.name = fmt.Sprintf("vnet-%s-%05d", n.region, i)
			n.id = fmt.Sprintf("/subscriptions/%s/resourceGroups/rg-net-%05d/providers/Microsoft.Network/virtualNetworks/%s", n.account, i, n.name)
			n.cidrs = []string{n.block.String()}
			if g.chance(0.1) {
				n.cidrs = append(n.cidrs, g.extraBlock())
			}
		default:
			n.name = fmt.Sprintf("vpc-%05d", i)
			n.id = fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/global/networks/%s", n.account, n.name)
		}
		if h := g.hubIn(n.provider, n.region); h != nil && g.chance(hubAttachFraction) {
			n.hub = h
			if h.kind == "aws-transit-gateway" {
				n.hubAttach = "tgw-attach-" + g.hex()
			} else {
				n.hubAttach = h.id + "/hubVirtualNetworkConnections/conn-" + n.name
			}
			h.spokes = append(h.spokes, n)
			if h.egress == nil {
				h.egress = n
			}
			if h.kong != nil && g.chance(kongReachFraction) {
				n.kongViaHub = true
				n.kong = h.kong
			}
		}
		g.nets = append(g.nets, n)
	}
}

// planPeerings peers a few networks with Konnect (the peering attachments) and a few
// per cent with an earlier network of the same provider.
func (g *gen) planPeerings() {
	for _, k := range g.kongs {
		for _, n := range g.nets {
			if len(k.peers) == kongPeeringsPerNetwork {
				break
			}
			if n.provider == k.provider && n.region == k.region && n.kong == nil && n.block.Addr().Is4() && !overlaps(n.block, k.cidr) {
				n.kong = k
				k.peers = append(k.peers, n)
				pp := g.newPeering(n, nil, k)
				n.kongPeering = pp.id
			}
		}
	}
	for i, n := range g.nets {
		if i == 0 || !g.chance(peerFraction) {
			continue
		}
		j := g.r.IntN(i)
		m := g.nets[j]
		if m.provider != n.provider || m.block.Overlaps(n.block) {
			continue
		}
		g.newPeering(n, m, nil)
	}
}

func overlaps(p netip.Prefix, cidr string) bool { return p.Overlaps(netip.MustParsePrefix(cidr)) }

func (g *gen) newPeering(a, b *netPlan, k *kongPlan) *peerPlan {
	pp := &peerPlan{a: a, b: b, kong: k}
	switch a.provider {
	case "aws":
		pp.id = "pcx-" + g.hex()
	case "azure":
		remote := "kong"
		if b != nil {
			remote = b.name
			pp.remoteID = b.id + "/virtualNetworkPeerings/peer-" + a.name
		}
		pp.id = a.id + "/virtualNetworkPeerings/peer-" + remote
	default:
		remote := "kong-dcgw"
		if b != nil {
			remote = b.name
			pp.remoteID = fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/global/networks/%s/peerings/peer-%s", b.account, b.name, a.name)
		}
		pp.id = fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/global/networks/%s/peerings/peer-%s", a.account, a.name, remote)
	}
	g.peerings = append(g.peerings, pp)
	a.peers = append(a.peers, pp)
	if b != nil {
		b.peers = append(b.peers, pp)
	}
	return pp
}

// sorted returns the keys of a set in order.
func sorted(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
