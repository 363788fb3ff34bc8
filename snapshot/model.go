// Package snapshot holds the normalized model of a DCGW estate: the Konnect side
// (networks, attachments, data plane IPs) and the customer's cloud networks on AWS,
// Azure and GCP, in one shape. A snapshot is the contract between collectors and
// policies: collectors write it, policies read it as their input document.
package snapshot

import "strings"

// SchemaVersion is the version of the snapshot format this build reads and writes.
// It changes when a field is removed or changes meaning; adding an optional field
// does not change it.
const SchemaVersion = "1"

// Snapshot is one collected (or hand-written) estate.
type Snapshot struct {
	// SchemaVersion must equal SchemaVersion.
	SchemaVersion string `json:"schema_version" jsonschema:"required,enum=1"`
	// Name names the estate, for people.
	Name string `json:"name,omitempty"`
	// CollectedAt is when collection ended (RFC 3339); empty for hand-written snapshots.
	CollectedAt string `json:"collected_at,omitempty" jsonschema:"format=date-time"`

	Konnect Konnect `json:"konnect"`

	Networks         []Network         `json:"networks,omitempty"`
	Subnets          []Subnet          `json:"subnets,omitempty"`
	RouteTables      []RouteTable      `json:"route_tables,omitempty"`
	Peerings         []Peering         `json:"peerings,omitempty"`
	Hubs             []Hub             `json:"hubs,omitempty"`
	HubAttachments   []HubAttachment   `json:"hub_attachments,omitempty"`
	HubRouteTables   []HubRouteTable   `json:"hub_route_tables,omitempty"`
	Firewalls        []Firewall        `json:"firewalls,omitempty"`
	PrefixLists      []PrefixList      `json:"prefix_lists,omitempty"`
	LoadBalancers    []LoadBalancer    `json:"load_balancers,omitempty"`
	TargetGroups     []TargetGroup     `json:"target_groups,omitempty"`
	DNSZones         []DNSZone         `json:"dns_zones,omitempty"`
	DNSRecords       []DNSRecord       `json:"dns_records,omitempty"`
	DNSResolutions   []DNSResolution   `json:"dns_resolutions,omitempty"`
	PrivateEndpoints []PrivateEndpoint `json:"private_endpoints,omitempty"`
	ResourceGateways []ResourceGateway `json:"resource_gateways,omitempty"`
	Shares           []Share           `json:"shares,omitempty"`

	// Scopes lists every (provider, account, region, service) that was asked, and how
	// it went. Rules whose inputs come from a failed scope are "not evaluated" there.
	Scopes []Scope `json:"scopes,omitempty"`
}

// ReleaseEntities drops the entity collections (cloud resources and the Konnect
// side), keeping the name, schema version and scopes. A caller that has converted a
// large snapshot for evaluation and needs only its scopes (and the Document's spans)
// afterwards calls it to give the memory back before evaluating.
func (s *Snapshot) ReleaseEntities() {
	*s = Snapshot{SchemaVersion: s.SchemaVersion, Name: s.Name, CollectedAt: s.CollectedAt, Scopes: s.Scopes}
}

// Entity is the identity every resource carries.
type Entity struct {
	// ID is the provider's own stable id: an ARN, an Azure resource id, a GCP self
	// link, or the id the provider shows (vpc-…, sg-…). Entities refer to each other by it.
	ID string `json:"id" jsonschema:"required,minLength=1"`
	// Provider is aws, azure, gcp or konnect.
	Provider string `json:"provider" jsonschema:"required,enum=aws,enum=azure,enum=gcp,enum=konnect"`
	// Account is the AWS account, Azure subscription or GCP project.
	Account string            `json:"account,omitempty"`
	Region  string            `json:"region,omitempty"`
	Name    string            `json:"name,omitempty"`
	Tags    map[string]string `json:"tags,omitempty"`
}

// Konnect is the Kong side: the DCGW networks with their attachments, custom domains and
// the ranges Konnect allows for a network CIDR.
type Konnect struct {
	Networks      []KonnectNetwork `json:"networks,omitempty"`
	CustomDomains []CustomDomain   `json:"custom_domains,omitempty"`
	// Availability holds, per provider and region, the CIDR ranges a network may use and
	// must avoid (availability.json).
	Availability []AvailabilityRegion `json:"availability,omitempty"`
}

// KonnectNetwork is one Dedicated Cloud Gateway network.
type KonnectNetwork struct {
	Entity
	// CIDR is the network's immutable IPv4 block (cidr_block).
	CIDR string `json:"cidr" jsonschema:"required"`
	// State is the Konnect network state (ready, initializing, offline, …).
	State string `json:"state,omitempty"`
	// ProviderAccountID is Kong's own cloud account on the network's provider: the
	// principal of RAM shares and the requester of peerings.
	ProviderAccountID string `json:"provider_account_id,omitempty"`
	// ProviderNetworkID is Kong's VPC/VNet id on the provider side (provider_metadata.vpc_id).
	ProviderNetworkID string   `json:"provider_network_id,omitempty"`
	AvailabilityZones []string `json:"availability_zones,omitempty"`
	// DataPlaneIPs are the static private IPs of the data plane groups on this network.
	DataPlaneIPs []string `json:"data_plane_ips,omitempty"`
	// EgressIPs are the static public egress IPs of the network.
	EgressIPs []string `json:"egress_ips,omitempty"`
	// Hostnames are the gateway's own public hostnames (…gateways.konggateway.com).
	Hostnames []string `json:"hostnames,omitempty"`
	// APIAccess is private, public or private+public.
	APIAccess   string              `json:"api_access,omitempty"`
	Attachments []KonnectAttachment `json:"attachments,omitempty"`
	PrivateDNS  []KonnectPrivateDNS `json:"private_dns,omitempty"`
}

// Attachment kinds, as the Konnect API names them.
const (
	AttachAWSTransitGateway = "aws-transit-gateway-attachment"
	AttachAWSVPCPeering     = "aws-vpc-peering-attachment"
	AttachAWSResourceEP     = "aws-resource-endpoint-attachment"
	AttachAzureVNetPeering  = "azure-vnet-peering-attachment"
	AttachAzureVHub         = "azure-vhub-peering-attachment"
	AttachGCPVPCPeering     = "gcp-vpc-peering-attachment"
)

// KonnectAttachment is a private connection of a DCGW network: a peering, a hub
// attachment or a resource endpoint. The remote side's ids are normalized to the ids of
// the snapshot's own entities so rules can join on them.
type KonnectAttachment struct {
	ID   string `json:"id" jsonschema:"required,minLength=1"`
	Name string `json:"name,omitempty"`
	Kind string `json:"kind" jsonschema:"required,enum=aws-transit-gateway-attachment,enum=aws-vpc-peering-attachment,enum=aws-resource-endpoint-attachment,enum=azure-vnet-peering-attachment,enum=azure-vhub-peering-attachment,enum=gcp-vpc-peering-attachment"`
	// State is the Konnect attachment state (ready, pending-acceptance, …).
	State       string `json:"state,omitempty"`
	StateReason string `json:"state_reason,omitempty"`
	// CIDRBlocks are the customer ranges declared to Konnect (TGW and AWS peering only).
	CIDRBlocks []string `json:"cidr_blocks,omitempty"`
	// Account is the customer's account, subscription or project on the remote side.
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// NetworkID is the customer network (peerings) this attachment connects.
	NetworkID string `json:"network_id,omitempty"`
	// PeeringID is the peering entity (pcx-…, VNet peering id, GCP peering) once it exists.
	PeeringID string `json:"peering_id,omitempty"`
	// HubID is the hub (TGW id, vHub id) for hub-and-spoke attachments.
	HubID string `json:"hub_id,omitempty"`
	// HubAttachmentID is Kong's attachment on that hub (tgw-attach-…, the vHub connection).
	HubAttachmentID string `json:"hub_attachment_id,omitempty"`
	// ShareID is the RAM share the customer made for this attachment.
	ShareID         string                  `json:"share_id,omitempty"`
	ResourceConfigs []KonnectResourceConfig `json:"resource_configs,omitempty"`
	DNSConfig       []KonnectDNSForward     `json:"dns_config,omitempty"`
}

// KonnectResourceConfig maps a VPC Lattice resource configuration to the domain Kong
// uses for it.
type KonnectResourceConfig struct {
	ID         string `json:"id" jsonschema:"required"`
	DomainName string `json:"domain_name,omitempty"`
	State      string `json:"state,omitempty"`
}

// KonnectDNSForward forwards queries for Domains over the attachment to the resolvers.
type KonnectDNSForward struct {
	RemoteDNSServerIPs []string `json:"remote_dns_server_ips,omitempty"`
	Domains            []string `json:"domains,omitempty"`
}

// KonnectPrivateDNS is a private DNS attachment (hosted zone or outbound resolver).
type KonnectPrivateDNS struct {
	ID          string `json:"id" jsonschema:"required"`
	Name        string `json:"name,omitempty"`
	Kind        string `json:"kind" jsonschema:"required"`
	State       string `json:"state,omitempty"`
	StateReason string `json:"state_reason,omitempty"`
	// ZoneID is the attached private zone (hosted-zone kinds).
	ZoneID     string              `json:"zone_id,omitempty"`
	DomainName string              `json:"domain_name,omitempty"`
	DNSConfig  []KonnectDNSForward `json:"dns_config,omitempty"`
}

// CustomDomain is a Konnect custom domain served by the gateway.
type CustomDomain struct {
	ID     string `json:"id" jsonschema:"required"`
	Domain string `json:"domain" jsonschema:"required"`
	State  string `json:"state,omitempty"`
}

// AvailabilityRegion is the allowed and reserved CIDR ranges for one provider region.
type AvailabilityRegion struct {
	Provider      string   `json:"provider" jsonschema:"required"`
	Region        string   `json:"region" jsonschema:"required"`
	AllowedCIDRs  []string `json:"allowed_cidrs,omitempty"`
	ReservedCIDRs []string `json:"reserved_cidrs,omitempty"`
}

// Network is a VPC (AWS), VNet (Azure) or VPC network (GCP).
type Network struct {
	Entity
	// Kind is aws-vpc, azure-vnet or gcp-vpc.
	Kind string `json:"kind" jsonschema:"required,enum=aws-vpc,enum=azure-vnet,enum=gcp-vpc"`
	// CIDRs are every associated address range, IPv4 and IPv6 (primary and secondary
	// blocks, the whole VNet address space). GCP networks have none: their ranges are
	// on their subnets. Disassociated or failed blocks are left out by collectors.
	CIDRs []string `json:"cidrs,omitempty"`
	// DNSServers are custom resolvers (VNet DHCP options, VPC DHCP option sets).
	DNSServers []string `json:"dns_servers,omitempty"`
}

// Subnet is a subnet with every range it holds (GCP secondary ranges included).
type Subnet struct {
	Entity
	NetworkID string   `json:"network_id" jsonschema:"required"`
	CIDRs     []string `json:"cidrs,omitempty"`
	Zone      string   `json:"zone,omitempty"`
	// RouteTableID is the table the subnet uses: its explicit association, or the
	// network's main table when it has none.
	RouteTableID string `json:"route_table_id,omitempty"`
	// FirewallIDs are firewalls attached at subnet level (Azure subnet NSG, network ACL).
	FirewallIDs []string `json:"firewall_ids,omitempty"`
}

// RouteTable is a VPC route table, an Azure route table (with the system routes that
// apply to its subnets) or the routes of a GCP network.
type RouteTable struct {
	Entity
	NetworkID string   `json:"network_id" jsonschema:"required"`
	Main      bool     `json:"main,omitempty"`
	SubnetIDs []string `json:"subnet_ids,omitempty"`
	Routes    []Route  `json:"routes,omitempty"`
}

// Route target kinds.
const (
	TargetLocal     = "local"
	TargetPeering   = "peering"
	TargetHub       = "hub"
	TargetInternet  = "internet-gateway"
	TargetNAT       = "nat-gateway"
	TargetVPN       = "vpn-gateway"
	TargetInterface = "interface"
	TargetAppliance = "virtual-appliance"
	TargetEndpoint  = "endpoint"
	TargetNone      = "none"
	TargetOther     = "other"
)

// Route is one entry of a route table.
type Route struct {
	// Destination is a CIDR (IPv4 or IPv6). Empty when PrefixListID is set.
	Destination  string `json:"destination,omitempty"`
	PrefixListID string `json:"prefix_list_id,omitempty"`
	// TargetKind is one of local, peering, hub, internet-gateway, nat-gateway,
	// vpn-gateway, interface, virtual-appliance, endpoint, none (drop), other.
	TargetKind string `json:"target_kind" jsonschema:"required"`
	TargetID   string `json:"target_id,omitempty"`
	// State is active or blackhole (the target is gone).
	State string `json:"state,omitempty" jsonschema:"enum=active,enum=blackhole,enum="`
	// Origin is static, propagated or system.
	Origin string `json:"origin,omitempty"`
	// Priority orders routes of equal prefix length where the provider has one (GCP).
	Priority int `json:"priority,omitempty"`
}

// Peering kinds.
const (
	PeeringAWS   = "aws-vpc-peering"
	PeeringAzure = "azure-vnet-peering"
	PeeringGCP   = "gcp-vpc-peering"
)

// Peering is a network peering as seen from its local side.
type Peering struct {
	Entity
	Kind string `json:"kind" jsonschema:"required,enum=aws-vpc-peering,enum=azure-vnet-peering,enum=gcp-vpc-peering"`
	// State is the provider's state (active, pending-acceptance, Connected, ACTIVE, …).
	State  string      `json:"state,omitempty"`
	Local  PeeringSide `json:"local"`
	Remote PeeringSide `json:"remote"`
	// SyncLevel is Azure's peering sync level (FullyInSync, LocalNotInSync, …).
	SyncLevel             string `json:"sync_level,omitempty"`
	AllowForwardedTraffic bool   `json:"allow_forwarded_traffic,omitempty"`
	AllowGatewayTransit   bool   `json:"allow_gateway_transit,omitempty"`
	UseRemoteGateways     bool   `json:"use_remote_gateways,omitempty"`
	ExportCustomRoutes    bool   `json:"export_custom_routes,omitempty"`
	ImportCustomRoutes    bool   `json:"import_custom_routes,omitempty"`
}

// PeeringSide is one end of a peering.
type PeeringSide struct {
	NetworkID string `json:"network_id,omitempty"`
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	// CIDRs are the ranges this side exposes over the peering (for Azure the remote
	// side's current address space). Missing for pending cross-account peerings.
	CIDRs []string `json:"cidrs,omitempty"`
	// PeeredCIDRs is Azure's remoteAddressSpace: what was peered, which lags CIDRs
	// when the peering is out of sync.
	PeeredCIDRs []string `json:"peered_cidrs,omitempty"`
}

// Hub is an AWS Transit Gateway or an Azure Virtual WAN hub.
type Hub struct {
	Entity
	Kind  string `json:"kind" jsonschema:"required,enum=aws-transit-gateway,enum=azure-virtual-hub"`
	State string `json:"state,omitempty"`
	// CIDRs are the hub's own ranges (TGW CIDR blocks, the vHub address prefix).
	CIDRs                          []string `json:"cidrs,omitempty"`
	DefaultRouteTableAssociation   bool     `json:"default_route_table_association,omitempty"`
	DefaultRouteTablePropagation   bool     `json:"default_route_table_propagation,omitempty"`
	AutoAcceptSharedAttachments    bool     `json:"auto_accept_shared_attachments,omitempty"`
	AssociationDefaultRouteTableID string   `json:"association_default_route_table_id,omitempty"`
	PropagationDefaultRouteTableID string   `json:"propagation_default_route_table_id,omitempty"`
}

// HubAttachment is one attachment/connection on a hub: a VPC/VNet, a VPN, a peering, or
// Kong's own network.
type HubAttachment struct {
	Entity
	HubID string `json:"hub_id" jsonschema:"required"`
	// Kind is vpc, vnet, vpn, direct-connect, express-route, peering, connect or other.
	Kind string `json:"kind" jsonschema:"required"`
	// NetworkID is the attached VPC/VNet (vpc and vnet kinds).
	NetworkID string `json:"network_id,omitempty"`
	// OwnerAccount owns the attached resource (Kong's account for the DCGW attachment).
	OwnerAccount string `json:"owner_account,omitempty"`
	State        string `json:"state,omitempty"`
	// AssociatedRouteTableID is the hub route table that looks up traffic from it.
	AssociatedRouteTableID string `json:"associated_route_table_id,omitempty"`
	// PropagatedRouteTableIDs are the hub route tables that learn its ranges.
	PropagatedRouteTableIDs []string `json:"propagated_route_table_ids,omitempty"`
	// PropagationLabels are Azure route table labels it propagates to.
	PropagationLabels []string `json:"propagation_labels,omitempty"`
}

// HubRouteTable is a TGW route table or a vHub route table.
type HubRouteTable struct {
	Entity
	HubID string `json:"hub_id" jsonschema:"required"`
	// Default marks the hub's default table (TGW default association table, vHub defaultRouteTable).
	Default bool     `json:"default,omitempty"`
	Labels  []string `json:"labels,omitempty"`
	// Associations are the attachment ids associated with this table.
	Associations []string `json:"associations,omitempty"`
	// Propagations are the attachment ids propagating into this table.
	Propagations []string   `json:"propagations,omitempty"`
	Routes       []HubRoute `json:"routes,omitempty"`
	// Truncated is true when the provider returned only part of the routes.
	Truncated bool `json:"truncated,omitempty"`
}

// HubRoute is one route in a hub route table.
type HubRoute struct {
	Destination  string `json:"destination,omitempty"`
	PrefixListID string `json:"prefix_list_id,omitempty"`
	// AttachmentIDs are the next hops (empty for a blackhole).
	AttachmentIDs []string `json:"attachment_ids,omitempty"`
	// Type is static or propagated.
	Type string `json:"type,omitempty" jsonschema:"enum=static,enum=propagated,enum="`
	// State is active or blackhole.
	State string `json:"state,omitempty" jsonschema:"enum=active,enum=blackhole,enum="`
}

// Firewall is a security group, an Azure NSG, a set of GCP firewall rules of one
// network, or a network ACL: one shape for rules on every cloud.
type Firewall struct {
	Entity
	// Kind is aws-security-group, aws-network-acl, azure-nsg or gcp-firewall.
	Kind      string `json:"kind" jsonschema:"required,enum=aws-security-group,enum=aws-network-acl,enum=azure-nsg,enum=gcp-firewall"`
	NetworkID string `json:"network_id,omitempty"`
	// Stateful is false for network ACLs.
	Stateful   bool           `json:"stateful,omitempty"`
	AttachedTo []Attachment   `json:"attached_to,omitempty"`
	Rules      []FirewallRule `json:"rules,omitempty"`
}

// Attachment is a resource a firewall applies to.
type Attachment struct {
	// Kind is interface, subnet, load-balancer, instance, resource-gateway, endpoint or network.
	Kind string `json:"kind" jsonschema:"required"`
	ID   string `json:"id" jsonschema:"required"`
}

// FirewallRule is one rule. Ports are inclusive; a rule for all ports has 0-65535.
type FirewallRule struct {
	ID        string `json:"id,omitempty"`
	Direction string `json:"direction" jsonschema:"required,enum=ingress,enum=egress"`
	Action    string `json:"action" jsonschema:"required,enum=allow,enum=deny"`
	// Priority orders rules where the provider does (NSG, GCP, NACL); lower wins.
	Priority int `json:"priority,omitempty"`
	// Protocol is tcp, udp, icmp, icmpv6, all, or an IANA protocol number.
	Protocol string      `json:"protocol" jsonschema:"required"`
	Ports    []PortRange `json:"ports,omitempty"`
	// Sources and Destinations are the peers; an empty list means the attached
	// resources themselves (the SG's own members, the NSG's subnets).
	Sources      []Address `json:"sources,omitempty"`
	Destinations []Address `json:"destinations,omitempty"`
	// Targets select the instances a GCP rule applies to (tags, service accounts).
	Targets     []Address `json:"targets,omitempty"`
	Description string    `json:"description,omitempty"`
	Disabled    bool      `json:"disabled,omitempty"`
}

// NormalizeProtocol spells a firewall rule's protocol as the model does: every
// protocol ("all", "-1", "*", "any", or none given) is all; the IANA numbers of TCP, UDP,
// ICMP and ICMPv6 (6, 17, 1, 58) are their names; other numbers and names stay as they
// are, lower case.
func NormalizeProtocol(p string) string {
	switch p = strings.ToLower(strings.TrimSpace(p)); p {
	case "all", "-1", "*", "any", "":
		return "all"
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58":
		return "icmpv6"
	}
	return p
}

// PortRange is an inclusive port range.
type PortRange struct {
	From int `json:"from" jsonschema:"minimum=0,maximum=65535"`
	To   int `json:"to" jsonschema:"minimum=0,maximum=65535"`
}

// Address kinds.
const (
	AddrCIDR           = "cidr"
	AddrGroup          = "group"
	AddrPrefixList     = "prefix-list"
	AddrServiceTag     = "service-tag"
	AddrTag            = "tag"
	AddrServiceAccount = "service-account"
	AddrAny            = "any"
)

// Address is a peer of a firewall rule: a CIDR, a security group, a prefix list, an
// Azure service tag or application security group, a GCP tag or service account, or any.
type Address struct {
	Kind  string `json:"kind" jsonschema:"required,enum=cidr,enum=group,enum=prefix-list,enum=service-tag,enum=tag,enum=service-account,enum=any"`
	Value string `json:"value,omitempty"`
}

// PrefixList is a managed prefix list with its entries.
type PrefixList struct {
	Entity
	CIDRs []string `json:"cidrs,omitempty"`
	// AWSManaged marks AWS-owned lists (S3, CloudFront origin-facing …).
	AWSManaged bool `json:"aws_managed,omitempty"`
}

// LoadBalancer is an edge or internal load balancer (ALB/NLB, Application Gateway,
// Front Door, GCP load balancer).
type LoadBalancer struct {
	Entity
	// Kind is aws-alb, aws-nlb, azure-application-gateway, azure-front-door or gcp-load-balancer.
	Kind string `json:"kind" jsonschema:"required"`
	// Scheme is internet-facing or internal.
	Scheme         string     `json:"scheme,omitempty" jsonschema:"enum=internet-facing,enum=internal,enum="`
	NetworkID      string     `json:"network_id,omitempty"`
	DNSName        string     `json:"dns_name,omitempty"`
	CanonicalZone  string     `json:"canonical_zone_id,omitempty"`
	FirewallIDs    []string   `json:"firewall_ids,omitempty"`
	WAFID          string     `json:"waf_id,omitempty"`
	Listeners      []Listener `json:"listeners,omitempty"`
	TargetGroupIDs []string   `json:"target_group_ids,omitempty"`
}

// Listener is a load balancer listener.
type Listener struct {
	ID       string `json:"id,omitempty"`
	Protocol string `json:"protocol" jsonschema:"required"`
	Port     int    `json:"port"`
	// TLSPolicy is the listener's SSL/TLS policy name.
	TLSPolicy     string         `json:"tls_policy,omitempty"`
	DefaultAction ListenerAction `json:"default_action,omitempty"`
}

// ListenerAction is what a listener does with a request by default.
type ListenerAction struct {
	// Kind is forward, redirect or fixed-response.
	Kind           string   `json:"kind,omitempty"`
	TargetGroupIDs []string `json:"target_group_ids,omitempty"`
	// RedirectProtocol is the protocol a redirect goes to (HTTPS).
	RedirectProtocol string `json:"redirect_protocol,omitempty"`
}

// TargetGroup is a set of targets behind a load balancer (an ALB target group, an
// Application Gateway backend pool with its HTTP settings, a Front Door origin group).
type TargetGroup struct {
	Entity
	Protocol        string   `json:"protocol,omitempty"`
	Port            int      `json:"port,omitempty"`
	TargetType      string   `json:"target_type,omitempty"`
	NetworkID       string   `json:"network_id,omitempty"`
	LoadBalancerIDs []string `json:"load_balancer_ids,omitempty"`
	Targets         []Target `json:"targets,omitempty"`
}

// Target is one registered target: an IP, an instance or a hostname.
type Target struct {
	ID     string `json:"id" jsonschema:"required"`
	Port   int    `json:"port,omitempty"`
	Zone   string `json:"zone,omitempty"`
	Health string `json:"health,omitempty"`
}

// DNSZone is a public or private DNS zone.
type DNSZone struct {
	Entity
	// DNSName is the zone apex, lower case, without the trailing dot.
	DNSName string `json:"dns_name" jsonschema:"required"`
	Private bool   `json:"private,omitempty"`
	// NetworkIDs are the networks a private zone is associated with.
	NetworkIDs []string `json:"network_ids,omitempty"`
}

// DNSRecord is one record set (one per set identifier in weighted/latency/failover sets).
type DNSRecord struct {
	Entity
	ZoneID string `json:"zone_id" jsonschema:"required"`
	// FQDN is the record name, lower case, without the trailing dot.
	FQDN string `json:"fqdn" jsonschema:"required"`
	Type string `json:"type" jsonschema:"required"`
	TTL  int    `json:"ttl,omitempty"`
	// Values are the record data (CNAME target, A/AAAA addresses).
	Values []string  `json:"values,omitempty"`
	Alias  *DNSAlias `json:"alias,omitempty"`
	// SetIdentifier and RoutingPolicy distinguish the members of weighted, latency,
	// failover and other routing sets that share a name.
	SetIdentifier string `json:"set_identifier,omitempty"`
	RoutingPolicy string `json:"routing_policy,omitempty"`
	Weight        *int   `json:"weight,omitempty"`
}

// DNSAlias is a Route 53 alias target or an Azure alias record's target resource.
type DNSAlias struct {
	DNSName        string `json:"dns_name,omitempty"`
	HostedZoneID   string `json:"hosted_zone_id,omitempty"`
	TargetResource string `json:"target_resource,omitempty"`
}

// DNSResolution is a live resolution of a public hostname.
type DNSResolution struct {
	// ID is the hostname, lower case, without the trailing dot.
	ID       string `json:"id" jsonschema:"required"`
	Hostname string `json:"hostname" jsonschema:"required"`
	Resolver string `json:"resolver,omitempty"`
	// Chain is every CNAME hop after the hostname, in order.
	Chain []string `json:"chain,omitempty"`
	// Addresses are the final A/AAAA answers.
	Addresses []string `json:"addresses,omitempty"`
	// Rcode is the final DNS response code (NOERROR, NXDOMAIN, SERVFAIL).
	Rcode string `json:"rcode,omitempty"`
	Error string `json:"error,omitempty"`
}

// PrivateEndpoint is a VPC Lattice resource configuration (SINGLE, GROUP, CHILD, ARN).
// Its ID is the resource configuration id (rcfg-…), the id Konnect's resource endpoint
// attachments name in resource_configs; ParentID and ChildIDs are such ids too, and
// ShareIDs are RAM share ARNs.
type PrivateEndpoint struct {
	Entity
	Kind string `json:"kind" jsonschema:"required,enum=aws-lattice-resource-configuration"`
	// Type is SINGLE, GROUP, CHILD or ARN.
	Type              string   `json:"type" jsonschema:"required"`
	ParentID          string   `json:"parent_id,omitempty"`
	ChildIDs          []string `json:"child_ids,omitempty"`
	ResourceGatewayID string   `json:"resource_gateway_id,omitempty"`
	// Definition is what the configuration exposes.
	Definition *EndpointDefinition `json:"definition,omitempty"`
	// PortRanges are the exposed ports ("443", "8000-8100", "1-65535").
	PortRanges []string `json:"port_ranges,omitempty"`
	Protocol   string   `json:"protocol,omitempty"`
	// AllowOnwardSharing is AllowAssociationToShareableServiceNetwork.
	AllowOnwardSharing bool     `json:"allow_onward_sharing,omitempty"`
	ShareIDs           []string `json:"share_ids,omitempty"`
	State              string   `json:"state,omitempty"`
}

// EndpointDefinition is an IP, DNS or ARN resource definition.
type EndpointDefinition struct {
	// Kind is ip, dns or arn.
	Kind  string `json:"kind" jsonschema:"required,enum=ip,enum=dns,enum=arn"`
	Value string `json:"value" jsonschema:"required"`
}

// ResourceGateway is the VPC Lattice resource gateway that private endpoints go through.
// Its ID is the resource gateway id (rgw-…).
type ResourceGateway struct {
	Entity
	NetworkID     string   `json:"network_id,omitempty"`
	SubnetIDs     []string `json:"subnet_ids,omitempty"`
	FirewallIDs   []string `json:"firewall_ids,omitempty"`
	IPAddressType string   `json:"ip_address_type,omitempty"`
	State         string   `json:"state,omitempty"`
}

// Share is an AWS RAM resource share. Its ID is the share ARN (Konnect's ram_share_arn).
type Share struct {
	Entity
	Status                  string           `json:"status,omitempty"`
	AllowExternalPrincipals bool             `json:"allow_external_principals,omitempty"`
	Principals              []SharePrincipal `json:"principals,omitempty"`
	// ResourceIDs are the shared resources: a resource configuration by its id (rcfg-…),
	// anything else by its ARN.
	ResourceIDs []string `json:"resource_ids,omitempty"`
}

// SharePrincipal is an account, organization, OU or role a share is given to.
type SharePrincipal struct {
	ID       string `json:"id" jsonschema:"required"`
	External bool   `json:"external,omitempty"`
	Status   string `json:"status,omitempty"`
}

// Scope statuses.
const (
	ScopeOK      = "ok"
	ScopePartial = "partial"
	ScopeFailed  = "failed"
)

// Scope is one unit of collection: (provider, account, region, service), the snapshot
// collections it fills, and how it went.
type Scope struct {
	Provider string `json:"provider" jsonschema:"required"`
	Account  string `json:"account,omitempty"`
	Region   string `json:"region,omitempty"`
	Service  string `json:"service" jsonschema:"required"`
	// Status is ok, partial (some data missing, e.g. a truncated answer) or failed.
	Status string `json:"status" jsonschema:"required,enum=ok,enum=partial,enum=failed"`
	// Collections are the snapshot collections this scope fills (networks, peerings,
	// konnect.networks, …); a rule that reads one of them is not evaluated where the
	// scope did not succeed.
	Collections []string     `json:"collections" jsonschema:"required"`
	Errors      []ScopeError `json:"errors,omitempty"`
}

// Scope error classes (ScopeError.Class).
const (
	ClassDenied    = "denied"    // the credential may not read it
	ClassThrottled = "throttled" // the API rate-limited the calls
	ClassNotFound  = "not-found" // the account, subscription or resource does not exist
	ClassDisabled  = "disabled"  // the service is not enabled there (no opt-in, provider not registered)
	ClassTimeout   = "timeout"   // no answer in time
	ClassTruncated = "truncated" // the answer is incomplete
	ClassOther     = "other"
)

// ScopeError is why a scope is partial or failed.
type ScopeError struct {
	// Class is denied, throttled, not-found, disabled, timeout, truncated or other.
	Class     string `json:"class" jsonschema:"required,enum=denied,enum=throttled,enum=not-found,enum=disabled,enum=timeout,enum=truncated,enum=other"`
	Operation string `json:"operation,omitempty"`
	Message   string `json:"message" jsonschema:"required"`
}

// Fail records an error of operation on s: a truncated answer (class truncated) makes
// an ok scope partial, anything else fails it.
func (s *Scope) Fail(class, operation, msg string) {
	s.Errors = append(s.Errors, ScopeError{Class: class, Operation: operation, Message: msg})
	switch {
	case class == ClassTruncated && s.Status == ScopeOK:
		s.Status = ScopePartial
	case class != ClassTruncated:
		s.Status = ScopeFailed
	}
}

// Note records a gap in an answer that otherwise worked (a value that does not parse,
// an unknown kind, left out): an ok scope becomes partial.
func (s *Scope) Note(class, operation, msg string) {
	s.Errors = append(s.Errors, ScopeError{Class: class, Operation: operation, Message: msg})
	if s.Status == ScopeOK {
		s.Status = ScopePartial
	}
}

// Incomplete reports whether the scope did not fully succeed (failed, partial, or a
// status this build does not know: anything but ok fails closed).
func (s Scope) Incomplete() bool { return s.Status != ScopeOK }

// Problem says how the scope went and why: "failed (denied): DescribeVpcs: not
// authorized; (throttled): …", or just the status when it has no errors.
func (s Scope) Problem() string {
	if len(s.Errors) == 0 {
		return s.Status
	}
	parts := make([]string, len(s.Errors))
	for i, e := range s.Errors {
		msg := strings.TrimSpace(e.Message)
		if e.Operation != "" {
			msg = e.Operation + ": " + msg
		}
		class := e.Class
		if class == "" {
			class = ClassOther
		}
		parts[i] = "(" + class + "): " + msg
	}
	return s.Status + " " + strings.Join(parts, "; ")
}

// Key is the scope's stable name: provider/account/region/service.
func (s Scope) Key() string {
	return s.Provider + "/" + s.Account + "/" + s.Region + "/" + s.Service
}
