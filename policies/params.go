package policies

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
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
	// Custom is free-form data for custom rules, at data.config.custom.
	Custom map[string]any `json:"custom,omitempty" yaml:"custom"`
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
		UpstreamSubnets:   []string{},
		EdgeLoadBalancers: []string{},
	}
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
	for i, d := range p.KongDomains {
		if strings.Trim(d, ". ") == "" {
			errs = append(errs, fmt.Errorf("kong_domains[%d]: empty domain", i))
		}
	}
	return errors.Join(errs...)
}
