package policies

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/reach"
)

// Params are the thresholds and allow-lists rules read as data.config. They come from
// the YAML config; DefaultParams fills what the config leaves out.
type Params struct {
	// GatewayPort is the port the edge uses to reach the DCGW private IPs.
	GatewayPort int `json:"gateway_port" yaml:"gateway_port"`
	// AllowedSpokes are the hub attachment or network ids Kong may reach through a hub.
	AllowedSpokes []string `json:"allowed_spokes" yaml:"allowed_spokes"`
	// AllowedSourceRanges are CIDRs accepted as ingress sources on upstream resources
	// besides the DCGW data plane IPs.
	AllowedSourceRanges []string `json:"allowed_source_ranges" yaml:"allowed_source_ranges"`
	// KongDomains are the DNS suffixes of Kong Gateway's own hostnames.
	KongDomains []string `json:"kong_domains" yaml:"kong_domains"`
	// UpstreamSubnets are the subnets that host upstream services. Empty means every
	// subnet of a network connected to Kong.
	UpstreamSubnets []string `json:"upstream_subnets" yaml:"upstream_subnets"`
	// EdgeLoadBalancers are the load balancers that front the gateway. Empty means every
	// internet-facing load balancer with a DCGW private IP among its targets.
	EdgeLoadBalancers []string `json:"edge_load_balancers" yaml:"edge_load_balancers"`
	// AllowedSharePrincipals are RAM principals (account ids, organization or OU ARNs)
	// accepted on a share that serves Konnect's resource endpoints besides Konnect's own
	// account.
	AllowedSharePrincipals []string `json:"allowed_share_principals" yaml:"allowed_share_principals"`
	// EndpointAllowedPorts maps a resource configuration (its id or ARN, its name, or the
	// domain name Konnect maps to it) to the ports or port ranges ("443", "8000-8100") it
	// may expose. A configuration without an entry may expose single ports only.
	EndpointAllowedPorts map[string][]string `json:"endpoint_allowed_ports" yaml:"endpoint_allowed_ports"`
	// WeakTLSPolicies are the TLS policy names an edge listener must not use (compared
	// case-insensitively).
	WeakTLSPolicies []string `json:"weak_tls_policies" yaml:"weak_tls_policies"`
	// ExternalEdges are the DNS names (a name also matches the names under it) or IP
	// addresses of the customer's edges the snapshot does not describe, such as a CDN
	// distribution: a public name that reaches one is at an edge. The default lists CDN
	// services' domains; a config that sets it replaces the list.
	ExternalEdges []string `json:"external_edges" yaml:"external_edges"`
	// AzureDefaultKonnectCIDR is the range planned for a Konnect network on Azure;
	// DCGW-CIDR-008 checks VNets against it when the snapshot has no Azure Konnect
	// network yet (planning a peering). Empty by default: Konnect's UI proposes
	// 10.0.0.0/16, which is also Azure's default VNet space, so a default here would
	// flag every default VNet of a customer who plans no DCGW on Azure.
	AzureDefaultKonnectCIDR string `json:"azure_default_konnect_cidr" yaml:"azure_default_konnect_cidr"`
	// Custom is free-form data for custom rules, at data.config.custom.
	Custom map[string]any `json:"custom,omitempty" yaml:"custom"`
}

// ReachOptions are the reachability model's options from the parameters, so the model
// and the rules agree on which load balancers are the edge.
func (p Params) ReachOptions() reach.Options {
	return reach.Options{
		EdgeLoadBalancers:   slices.Clone(p.EdgeLoadBalancers),
		AllowedSourceRanges: slices.Clone(p.AllowedSourceRanges),
	}
}

// DefaultParams are the values used where the config is silent.
func DefaultParams() Params {
	return Params{
		GatewayPort:         443,
		AllowedSpokes:       []string{},
		AllowedSourceRanges: []string{},
		KongDomains: []string{
			"gateways.konggateway.com",
			"gateways.konghq.com",
			"gateways.konghq.tech",
			"kongcloud.dev",
		},
		UpstreamSubnets:        []string{},
		EdgeLoadBalancers:      []string{},
		AllowedSharePrincipals: []string{},
		EndpointAllowedPorts:   map[string][]string{},
		WeakTLSPolicies:        slices.Clone(defaultWeakTLSPolicies),
		ExternalEdges:          slices.Clone(defaultExternalEdges),
	}
}

// defaultExternalEdges are the domains of CDN services whose distributions front a
// customer's origin: a public name that resolves through one of them ends at a CDN the
// customer configured, which the snapshot does not describe.
var defaultExternalEdges = []string{
	"cloudfront.net", // Amazon CloudFront distributions (dxxxx.cloudfront.net)
	"azurefd.net",    // Azure Front Door endpoints (name-hash.z01.azurefd.net)
	"azureedge.net",  // Azure CDN and classic Front Door endpoints
	"akamaiedge.net", // Akamai
	"edgekey.net",    // Akamai (enhanced TLS)
	"edgesuite.net",  // Akamai
	"fastly.net",     // Fastly
	"fastlylb.net",   // Fastly
}

// defaultWeakTLSPolicies are the edge TLS policies that still accept TLS 1.0 or 1.1.
var defaultWeakTLSPolicies = []string{
	// AWS Elastic Load Balancing security policies with TLS 1.0 or TLS 1.1 in their
	// "Protocols by policy" tables: docs.aws.amazon.com/elasticloadbalancing/latest/
	// application/describe-ssl-policies.html (TLS, FIPS and FS tables) and
	// .../network/describe-ssl-policies.html.
	"ELBSecurityPolicy-2016-08",
	"ELBSecurityPolicy-2015-05",
	"ELBSecurityPolicy-TLS-1-0-2015-04",
	"ELBSecurityPolicy-TLS-1-1-2017-01",
	"ELBSecurityPolicy-FS-2018-06",
	"ELBSecurityPolicy-FS-1-1-2019-08",
	"ELBSecurityPolicy-TLS13-1-0-2021-06",
	"ELBSecurityPolicy-TLS13-1-1-2021-06",
	"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
	// Azure Application Gateway predefined policies: AppGwSslPolicy20150501 has TLS 1.0
	// and AppGwSslPolicy20170401 TLS 1.1 as their minimum protocol version
	// (learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview;
	// names from armnetwork/v7 ApplicationGatewaySSLPolicyName).
	"AppGwSslPolicy20150501",
	"AppGwSslPolicy20170401",
	// Azure Front Door minimum TLS version 1.0 (armcdn AfdMinimumTLSVersion TLS10).
	"TLS10",
}

// Validate checks the values a config may set wrongly.
func (p Params) Validate() error {
	var errs []error
	if p.GatewayPort < 1 || p.GatewayPort > 65535 {
		errs = append(errs, fmt.Errorf("gateway_port: %d is not a port (1-65535)", p.GatewayPort))
	}
	for i, c := range p.AllowedSourceRanges {
		if _, err := netip.ParsePrefix(c); err != nil {
			errs = append(errs, fmt.Errorf("allowed_source_ranges[%d]: %q is not a CIDR", i, c))
		}
	}
	if p.AzureDefaultKonnectCIDR != "" {
		if pf, err := netip.ParsePrefix(p.AzureDefaultKonnectCIDR); err != nil || !pf.Addr().Is4() {
			errs = append(errs, fmt.Errorf("azure_default_konnect_cidr: %q is not an IPv4 CIDR", p.AzureDefaultKonnectCIDR))
		}
	}
	for i, d := range p.KongDomains {
		if strings.Trim(d, ". ") == "" {
			errs = append(errs, fmt.Errorf("kong_domains[%d]: empty domain", i))
		}
	}
	for i, pr := range p.AllowedSharePrincipals {
		if strings.TrimSpace(pr) == "" {
			errs = append(errs, fmt.Errorf("allowed_share_principals[%d]: empty principal", i))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(p.EndpointAllowedPorts)) {
		if strings.TrimSpace(key) == "" {
			errs = append(errs, errors.New("endpoint_allowed_ports: empty resource configuration key"))
		}
		for i, r := range p.EndpointAllowedPorts[key] {
			if !validPortRange(r) {
				errs = append(errs, fmt.Errorf("endpoint_allowed_ports[%q][%d]: %q is not a port or a port range like 8000-8100 (1-65535)", key, i, r))
			}
		}
	}
	for i, name := range p.WeakTLSPolicies {
		if strings.TrimSpace(name) == "" {
			errs = append(errs, fmt.Errorf("weak_tls_policies[%d]: empty policy name", i))
		}
	}
	for i, e := range p.ExternalEdges {
		if strings.Trim(e, ". ") == "" {
			errs = append(errs, fmt.Errorf("external_edges[%d]: empty name", i))
		}
	}
	return errors.Join(errs...)
}

// validPortRange reports whether s is a port ("443") or an inclusive port range
// ("8000-8100") within 1-65535, written as the rules parse it.
func validPortRange(s string) bool {
	from, to, isRange := strings.Cut(s, "-")
	if !isRange {
		to = from
	}
	lo, ok1 := parsePort(from)
	hi, ok2 := parsePort(to)
	return ok1 && ok2 && lo <= hi
}

// parsePort parses 1-5 decimal digits as a port in 1-65535.
func parsePort(s string) (int, bool) {
	if len(s) == 0 || len(s) > 5 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= 1 && n <= 65535
}
