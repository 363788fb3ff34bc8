package konnect

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Scope services this collector records, all under provider "konnect", region "global".
const (
	// ServiceCloudGateways covers provider accounts, networks and configurations.
	ServiceCloudGateways = "cloud-gateways"
	// ServiceCustomDomains covers the custom domains.
	ServiceCustomDomains = "custom-domains"
	// ServiceAvailability covers availability.json.
	ServiceAvailability = "availability"
)

// networkService is the scope service of one network's attachments and private DNS.
func networkService(id string) string { return ServiceCloudGateways + "/networks/" + id }

// networkFanOut bounds the networks whose attachments are read at once.
const networkFanOut = 4

// Collector reads the Konnect side of a snapshot.
type Collector struct {
	Client *Client
	// Org is the organization id put in the scopes' account, when known.
	Org string
}

// Collect reads everything and never fails: what could not be read is a failed or
// partial scope. The result is sorted.
//
// Scopes: "cloud-gateways" (provider accounts, networks, configurations) and one
// "cloud-gateways/networks/<network id>" per network (its attachments and private DNS)
// fill konnect.networks; "custom-domains" fills konnect.custom_domains; "availability"
// fills konnect.availability.
func (c *Collector) Collect(ctx context.Context) (snapshot.Konnect, []snapshot.Scope) {
	var k snapshot.Konnect
	var scopes []snapshot.Scope
	if c.Client == nil {
		for _, s := range []snapshot.Scope{
			c.scope(ServiceAvailability, "konnect.availability"),
			c.scope(ServiceCloudGateways, "konnect.networks"),
			c.scope(ServiceCustomDomains, "konnect.custom_domains"),
		} {
			s.Status = snapshot.ScopeFailed
			s.Errors = []snapshot.ScopeError{{Class: snapshot.ClassOther, Message: "no Konnect client configured"}}
			scopes = append(scopes, s)
		}
		return k, scopes
	}

	// The custom domains and availability do not depend on the networks: read them
	// meanwhile, so an unreachable API costs one request's tries, not one per list.
	var (
		domains, avail snapshot.Scope
		side           sync.WaitGroup
	)
	side.Go(func() { k.CustomDomains, domains = c.customDomains(ctx) })
	side.Go(func() { k.Availability, avail = c.availability(ctx) })

	nets, s := c.networks(ctx)
	scopes = append(scopes, s)

	// Attachments and private DNS, per network, a few networks at a time.
	perNet := make([]snapshot.Scope, len(nets))
	var g errgroup.Group
	g.SetLimit(networkFanOut)
	for i := range nets {
		g.Go(func() error {
			perNet[i] = c.attachments(ctx, &nets[i])
			return nil // a network that could not be read is its scope
		})
	}
	_ = g.Wait()
	scopes = append(scopes, perNet...)
	k.Networks = nets

	side.Wait()
	scopes = append(scopes, domains, avail)

	// Messages quote names and values from responses; none may carry the token.
	for i := range scopes {
		for j := range scopes[i].Errors {
			scopes[i].Errors[j].Message = c.Client.redact(scopes[i].Errors[j].Message)
		}
	}
	slices.SortFunc(k.Networks, func(a, b snapshot.KonnectNetwork) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(scopes, func(a, b snapshot.Scope) int { return cmp.Compare(a.Key(), b.Key()) })
	return k, scopes
}

// scope starts a scope of this collector.
func (c *Collector) scope(service, collection string) snapshot.Scope {
	return snapshot.Scope{
		Provider: "konnect", Account: c.Org, Region: "global", Service: service,
		Status: snapshot.ScopeOK, Collections: []string{collection},
	}
}

// record adds err to s: a truncated list makes s partial (unless it already failed),
// anything else makes it failed.
func record(s *snapshot.Scope, operation string, err error) {
	class := classify(err)
	msg := err.Error()
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized:
		msg = "the token was rejected (expired, revoked or mistyped) to " + operation + ": " + msg
	case class == snapshot.ClassDenied:
		msg = roleHint(operation) + ": " + msg
	}
	s.Fail(class, operation, msg)
}

// classify maps an error to a snapshot.ScopeError class.
func classify(err error) string {
	var apiErr *APIError
	var netErr net.Error
	switch {
	case errors.Is(err, ErrTruncated):
		return snapshot.ClassTruncated
	case errors.As(err, &apiErr):
		switch apiErr.Status {
		case http.StatusUnauthorized, http.StatusForbidden:
			return snapshot.ClassDenied
		case http.StatusNotFound:
			return snapshot.ClassNotFound
		case http.StatusTooManyRequests:
			return snapshot.ClassThrottled
		case http.StatusRequestTimeout, http.StatusGatewayTimeout:
			return snapshot.ClassTimeout
		}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return snapshot.ClassTimeout
	}
	return snapshot.ClassOther
}

// roleHint says which predefined Konnect role a denied list needs
// (konnect-api.md §1.2).
func roleHint(operation string) string {
	switch operation {
	case "list provider accounts", "list networks", "list transit gateways":
		return "the token needs the Network Viewer role (or Organization Admin) to " + operation
	case "list private DNS":
		return "the token needs the Network Viewer role (Network Admin if Viewer does not cover private DNS; or Organization Admin) to " + operation
	case "list configurations", "list custom domains":
		return "the token needs the Cloud Gateway Cluster Viewer role on the control planes (or Organization Admin) to " + operation
	}
	return "the token is not allowed to " + operation
}

// networks reads provider accounts, networks and configurations into networks with
// their provider, Kong's account, data plane IPs, egress IPs, hostnames and api access.
func (c *Collector) networks(ctx context.Context) ([]snapshot.KonnectNetwork, snapshot.Scope) {
	s := c.scope(ServiceCloudGateways, "konnect.networks")
	// The three lists are independent: read them at once, and record their errors in
	// this order.
	var (
		accounts                        []ProviderAccount
		raw                             []Network
		configs                         []Configuration
		accountsErr, netsErr, configErr error
		wg                              sync.WaitGroup
	)
	wg.Go(func() { accounts, accountsErr = c.Client.ListProviderAccounts(ctx) })
	wg.Go(func() { raw, netsErr = c.Client.ListNetworks(ctx) })
	wg.Go(func() { configs, configErr = c.Client.ListConfigurations(ctx) })
	wg.Wait()
	if accountsErr != nil {
		record(&s, "list provider accounts", accountsErr)
	}
	if netsErr != nil {
		record(&s, "list networks", netsErr)
	}
	if configErr != nil {
		record(&s, "list configurations", configErr)
	}

	byAccount := make(map[string]ProviderAccount, len(accounts))
	for _, a := range accounts {
		byAccount[a.ID] = a
	}
	// Data plane groups by network; serverless.v1 configurations have no network.
	type group struct {
		DataPlaneGroup
		apiAccess string
	}
	groups := map[string][]group{}
	for _, cfg := range configs {
		if cfg.Kind == "serverless.v1" {
			continue
		}
		access := cfg.APIAccess
		if access == "" {
			access = "private+public" // the spec's default (konnect-api.md §3.3)
		}
		for _, g := range cfg.DataPlaneGroups {
			if g.NetworkID != "" {
				groups[g.NetworkID] = append(groups[g.NetworkID], group{g, access})
			}
		}
	}

	var out []snapshot.KonnectNetwork
	for _, n := range raw {
		acct, ok := byAccount[n.ProviderAccountID]
		provider := acct.Provider
		if !ok || provider == "" {
			// Fall back on the provider of a data plane group on the network.
			for _, g := range groups[n.ID] {
				provider = cmp.Or(provider, g.Provider)
			}
		}
		if provider == "" {
			s.Note(snapshot.ClassNotFound, "list networks", fmt.Sprintf(
				"network %s (%s): provider account %s not found, so its provider is unknown; network left out", n.Name, n.ID, n.ProviderAccountID))
			continue
		}
		if _, err := netip.ParsePrefix(n.CIDRBlock); err != nil {
			s.Note(snapshot.ClassOther, "list networks", fmt.Sprintf("network %s (%s): cidr_block %q does not parse; network left out", n.Name, n.ID, n.CIDRBlock))
			continue
		}
		kn := snapshot.KonnectNetwork{
			Entity: snapshot.Entity{
				ID: n.ID, Provider: provider, Account: acct.ProviderAccountID, Region: n.Region, Name: n.Name,
			},
			CIDR:              n.CIDRBlock,
			State:             n.State,
			ProviderAccountID: acct.ProviderAccountID,
			ProviderNetworkID: providerNetworkID(provider, acct.ProviderAccountID, n.ProviderMetadata.VPCID),
			AvailabilityZones: snapshot.SortedSet(n.AvailabilityZones),
		}
		var private, egress, hostnames []string
		var access []string
		for _, g := range groups[n.ID] {
			private = append(private, g.PrivateIPs...)
			egress = append(egress, g.EgressIPs...)
			hostnames = append(hostnames, g.Hostnames...)
			access = append(access, g.apiAccess)
		}
		where := fmt.Sprintf("network %s (%s)", n.Name, n.ID)
		kn.DataPlaneIPs = ips(&s, "list configurations", where+" data plane private IP", private)
		kn.EgressIPs = ips(&s, "list configurations", where+" egress IP", egress)
		kn.Hostnames = snapshot.SortedSet(lower(hostnames))
		kn.APIAccess = mostExposed(access)
		out = append(out, kn)
	}
	return out, s
}

// ips returns the addresses of vals deduplicated and sorted; one that does not parse
// is left out and noted on s (a malformed IP would make the snapshot invalid).
func ips(s *snapshot.Scope, operation, what string, vals []string) []string {
	var addrs []netip.Addr
	for _, v := range vals {
		a, err := netip.ParseAddr(strings.TrimSpace(v))
		if err != nil {
			s.Note(snapshot.ClassOther, operation, fmt.Sprintf("%s %q does not parse; left out", what, v))
			continue
		}
		addrs = append(addrs, a.Unmap())
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	addrs = slices.Compact(addrs)
	var out []string
	for _, a := range addrs {
		out = append(out, a.String())
	}
	return out
}

// cidrs returns the prefixes of vals deduplicated and sorted, noting those that do
// not parse.
func cidrs(s *snapshot.Scope, operation, what string, vals []string) []string {
	var out []string
	for _, v := range vals {
		if _, err := netip.ParsePrefix(strings.TrimSpace(v)); err != nil {
			s.Note(snapshot.ClassOther, operation, fmt.Sprintf("%s %q does not parse; left out", what, v))
			continue
		}
		out = append(out, strings.TrimSpace(v))
	}
	return snapshot.SortedSet(out)
}

// mostExposed is the widest api_access among the configurations on one network:
// public, then private+public, then private.
func mostExposed(access []string) string {
	rank := map[string]int{"private": 1, "private+public": 2, "public": 3}
	best := ""
	for _, a := range access {
		if best == "" || rank[a] > rank[best] || (rank[a] == rank[best] && a < best) {
			best = a
		}
	}
	return best
}

// providerNetworkID is Kong's own network as the cloud collectors name it: the VPC id
// on AWS; on GCP the network in Kong's project (provider_account_id is a project id,
// provider_metadata.vpc_id the network name); Azure's value is kept as given, its
// meaning is undocumented.
func providerNetworkID(provider, account, vpcID string) string {
	if provider == "gcp" && vpcID != "" && account != "" && !strings.Contains(vpcID, "/") {
		return "projects/" + account + "/global/networks/" + vpcID
	}
	return vpcID
}

// attachments reads a network's transit gateways and private DNS into it, and returns
// the network's scope.
//
// Remote ids are normalized to the ids the cloud collectors give the same entities:
//
//	aws-vpc-peering-attachment        network_id = peer_vpc_id, peering_id = peering_connection_id,
//	                                  account = peer_account_id, region = peer_vpc_region
//	aws-transit-gateway-attachment    hub_id = transit_gateway_id, hub_attachment_id = attachment_id,
//	                                  share_id = ram_share_arn (account and region from the ARN)
//	aws-resource-endpoint-attachment  share_id = ram_share_arn (account and region from the ARN)
//	azure-vnet-peering-attachment     network_id = /subscriptions/{subscription_id}/resourceGroups/
//	                                  {resource_group_name}/providers/Microsoft.Network/virtualNetworks/{vnet_name}
//	azure-vhub-peering-attachment     hub_id = …/providers/Microsoft.Network/virtualHubs/{vhub_name}
//	gcp-vpc-peering-attachment        network_id = projects/{peer_project_id}/global/networks/{peer_vpc_name}
//
// The API has no Azure or GCP peering id, no Azure hub connection id and no Azure
// region: those stay empty.
func (c *Collector) attachments(ctx context.Context, n *snapshot.KonnectNetwork) snapshot.Scope {
	s := c.scope(networkService(n.ID), "konnect.networks")
	tgws, err := c.Client.ListTransitGateways(ctx, n.ID)
	if err != nil {
		record(&s, "list transit gateways", err)
	}
	for _, t := range tgws {
		a, ok := attachment(&s, t)
		if ok {
			n.Attachments = append(n.Attachments, a)
		}
	}
	dns, err := c.Client.ListPrivateDNS(ctx, n.ID)
	if err != nil {
		record(&s, "list private DNS", err)
	}
	for _, d := range dns {
		if p, ok := privateDNS(&s, d); ok {
			n.PrivateDNS = append(n.PrivateDNS, p)
		}
	}
	slices.SortFunc(n.Attachments, func(a, b snapshot.KonnectAttachment) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(n.PrivateDNS, func(a, b snapshot.KonnectPrivateDNS) int { return cmp.Compare(a.ID, b.ID) })
	return s
}

// attachment normalizes one transit gateway; ok is false (and s notes why) for a kind
// this build does not know.
func attachment(s *snapshot.Scope, t TransitGateway) (snapshot.KonnectAttachment, bool) {
	const op = "list transit gateways"
	var cfg attachmentConfig
	if err := json.Unmarshal(t.Config, &cfg); err != nil || cfg.Kind == "" {
		s.Note(snapshot.ClassOther, op, fmt.Sprintf("attachment %s (%s): no readable transit_gateway_attachment_config.kind; left out", t.Name, t.ID))
		return snapshot.KonnectAttachment{}, false
	}
	where := fmt.Sprintf("attachment %s (%s)", t.Name, t.ID)
	a := snapshot.KonnectAttachment{
		ID: t.ID, Name: t.Name, Kind: cfg.Kind, State: t.State, StateReason: stateReason(t.StateMetadata),
	}
	for _, d := range t.DNSConfig {
		a.DNSConfig = append(a.DNSConfig, snapshot.KonnectDNSForward{
			RemoteDNSServerIPs: dnsServers(s, op, where, d.Servers),
			Domains:            snapshot.SortedSet(lower(d.Domains)),
		})
	}
	sortForwards(a.DNSConfig)
	switch cfg.Kind {
	case snapshot.AttachAWSTransitGateway:
		a.CIDRBlocks = cidrs(s, op, where+" cidr_block", t.CIDRBlocks)
		a.HubID, a.HubAttachmentID, a.ShareID = cfg.TransitGatewayID, cfg.AttachmentID, cfg.RAMShareARN
		a.Region, a.Account = arnRegionAccount(cfg.RAMShareARN)
	case snapshot.AttachAWSVPCPeering:
		a.CIDRBlocks = cidrs(s, op, where+" cidr_block", t.CIDRBlocks)
		a.NetworkID, a.PeeringID = cfg.PeerVPCID, cfg.PeeringConnectionID
		a.Account, a.Region = cfg.PeerAccountID, cfg.PeerVPCRegion
	case snapshot.AttachAWSResourceEP:
		a.ShareID = cfg.RAMShareARN
		a.Region, a.Account = arnRegionAccount(cfg.RAMShareARN)
		for _, r := range cfg.ResourceConfig {
			a.ResourceConfigs = append(a.ResourceConfigs, snapshot.KonnectResourceConfig{
				ID: r.ID, DomainName: strings.ToLower(r.DomainName), State: r.State,
			})
		}
		slices.SortFunc(a.ResourceConfigs, func(x, y snapshot.KonnectResourceConfig) int { return cmp.Compare(x.ID, y.ID) })
	case snapshot.AttachAzureVNetPeering:
		a.Account = cfg.SubscriptionID
		a.NetworkID = azureID(cfg.SubscriptionID, cfg.ResourceGroupName, "virtualNetworks", cfg.VNetName)
	case snapshot.AttachAzureVHub:
		a.Account = cfg.SubscriptionID
		a.HubID = azureID(cfg.SubscriptionID, cfg.ResourceGroupName, "virtualHubs", cfg.VHubName)
	case snapshot.AttachGCPVPCPeering:
		a.Account = cfg.PeerProjectID
		if cfg.PeerProjectID != "" && cfg.PeerVPCName != "" {
			a.NetworkID = "projects/" + cfg.PeerProjectID + "/global/networks/" + cfg.PeerVPCName
		}
	default:
		s.Note(snapshot.ClassOther, op, fmt.Sprintf("%s: unknown kind %q; left out", where, cfg.Kind))
		return snapshot.KonnectAttachment{}, false
	}
	return a, true
}

// privateDNS normalizes one private DNS attachment. An unknown kind is kept with its
// kind, id and state only.
//
// aws-private-hosted-zone-attachment gives zone_id = the hosted zone id (Z…); the
// azure hosted-zone kind gives zone_id = /subscriptions/{peer_subscription_id}/
// resourceGroups/{peer_resource_group_id}/providers/Microsoft.Network/privateDnsZones/
// {domain_name} (an Azure private zone is named by its domain; inferred); the GCP kind
// names no zone, only its domain.
func privateDNS(s *snapshot.Scope, d PrivateDNS) (snapshot.KonnectPrivateDNS, bool) {
	const op = "list private DNS"
	var cfg privateDNSConfig
	if err := json.Unmarshal(d.Config, &cfg); err != nil || cfg.Kind == "" {
		s.Note(snapshot.ClassOther, op, fmt.Sprintf("private DNS %s (%s): no readable private_dns_attachment_config.kind; left out", d.Name, d.ID))
		return snapshot.KonnectPrivateDNS{}, false
	}
	where := fmt.Sprintf("private DNS %s (%s)", d.Name, d.ID)
	p := snapshot.KonnectPrivateDNS{
		ID: d.ID, Name: d.Name, Kind: cfg.Kind, State: d.State, StateReason: stateReason(d.StateMetadata),
		DomainName: strings.TrimSuffix(strings.ToLower(cfg.DomainName), "."),
	}
	switch cfg.Kind {
	case "aws-private-hosted-zone-attachment":
		p.ZoneID = strings.TrimPrefix(cfg.HostedZoneID, "/hostedzone/")
	case "azure-private-hosted-zone-attachment":
		if cfg.PeerSubscriptionID != "" && cfg.PeerResourceGroupID != "" && p.DomainName != "" {
			p.ZoneID = azureID(cfg.PeerSubscriptionID, cfg.PeerResourceGroupID, "privateDnsZones", p.DomainName)
		}
	}
	// Resolver kinds: one forward per domain, in domain order.
	domains := make([]string, 0, len(cfg.DNSConfig))
	for dom := range cfg.DNSConfig {
		domains = append(domains, dom)
	}
	slices.Sort(domains)
	for _, dom := range domains {
		p.DNSConfig = append(p.DNSConfig, snapshot.KonnectDNSForward{
			RemoteDNSServerIPs: dnsServers(s, op, where, cfg.DNSConfig[dom].Servers),
			Domains:            []string{strings.TrimSuffix(strings.ToLower(dom), ".")},
		})
	}
	sortForwards(p.DNSConfig)
	return p, true
}

func dnsServers(s *snapshot.Scope, op, where string, vals []string) []string {
	return ips(s, op, where+" DNS server", vals)
}

func sortForwards(f []snapshot.KonnectDNSForward) {
	slices.SortFunc(f, func(a, b snapshot.KonnectDNSForward) int {
		return cmp.Or(slices.Compare(a.Domains, b.Domains), slices.Compare(a.RemoteDNSServerIPs, b.RemoteDNSServerIPs))
	})
}

// azureID is the resource id of a Microsoft.Network resource.
func azureID(subscription, group, kind, name string) string {
	if subscription == "" || group == "" || name == "" {
		return ""
	}
	return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.Network/" + kind + "/" + name
}

// arnRegionAccount returns the region and account of arn:partition:service:region:account:….
func arnRegionAccount(arn string) (region, account string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "", ""
	}
	return parts[3], parts[4]
}

func stateReason(m StateMetadata) string {
	switch {
	case m.ReportedStatus != "" && m.Reason != "":
		return m.ReportedStatus + ": " + m.Reason
	default:
		return cmp.Or(m.Reason, m.ReportedStatus)
	}
}

// customDomains reads the custom domains.
func (c *Collector) customDomains(ctx context.Context) ([]snapshot.CustomDomain, snapshot.Scope) {
	s := c.scope(ServiceCustomDomains, "konnect.custom_domains")
	raw, err := c.Client.ListCustomDomains(ctx)
	if err != nil {
		record(&s, "list custom domains", err)
	}
	var out []snapshot.CustomDomain
	for _, d := range raw {
		out = append(out, snapshot.CustomDomain{
			ID: d.ID, Domain: strings.TrimSuffix(strings.ToLower(d.Domain), "."), State: d.State,
		})
	}
	slices.SortFunc(out, func(a, b snapshot.CustomDomain) int { return cmp.Compare(a.ID, b.ID) })
	return out, s
}

// availability reads the allowed and reserved ranges per provider region.
func (c *Collector) availability(ctx context.Context) ([]snapshot.AvailabilityRegion, snapshot.Scope) {
	const op = "get availability.json"
	s := c.scope(ServiceAvailability, "konnect.availability")
	doc, err := c.Client.GetAvailability(ctx)
	if err != nil {
		record(&s, op, err)
		return nil, s
	}
	var out []snapshot.AvailabilityRegion
	for _, p := range doc.Providers {
		for _, r := range p.Regions {
			where := p.Provider + " " + r.Region
			out = append(out, snapshot.AvailabilityRegion{
				Provider:      p.Provider,
				Region:        r.Region,
				AllowedCIDRs:  cidrs(&s, op, where+" cidr_block", r.CIDRBlocks),
				ReservedCIDRs: cidrs(&s, op, where+" reserved_cidr_block", r.ReservedCIDRBlocks),
			})
		}
	}
	slices.SortFunc(out, func(a, b snapshot.AvailabilityRegion) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Region, b.Region))
	})
	return out, s
}

func lower(vals []string) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), "."))
	}
	return out
}
