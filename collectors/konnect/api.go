package konnect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// The wire types below hold only the fields the collector reads (konnect-api.md §3).
// Lists that the spec marks required may still be absent or null; numbers the spec
// types as "number" are decoded as float64.

// ProviderAccount links the organization to Kong's own account on a cloud.
type ProviderAccount struct {
	ID                string `json:"id"`
	Provider          string `json:"provider"`
	ProviderAccountID string `json:"provider_account_id"`
}

// StateMetadata explains a state.
type StateMetadata struct {
	ReportedStatus string `json:"reported_status"`
	Reason         string `json:"reason"`
}

// Network is a Dedicated Cloud Gateway network.
type Network struct {
	ID                string        `json:"id"`
	Name              string        `json:"name"`
	ProviderAccountID string        `json:"cloud_gateway_provider_account_id"`
	Region            string        `json:"region"`
	AvailabilityZones []string      `json:"availability_zones"`
	CIDRBlock         string        `json:"cidr_block"`
	State             string        `json:"state"`
	StateMetadata     StateMetadata `json:"state_metadata"`
	ProviderMetadata  struct {
		VPCID     string   `json:"vpc_id"`
		SubnetIDs []string `json:"subnet_ids"`
	} `json:"provider_metadata"`
}

// DNSProxy forwards the queries for Domains over an attachment to Servers.
type DNSProxy struct {
	Servers []string `json:"remote_dns_server_ip_addresses"`
	Domains []string `json:"domain_proxy_list"`
}

// TransitGateway is one attachment of a network: a peering, a hub attachment or a
// resource endpoint. Config is decoded by its kind (see attachmentConfig).
type TransitGateway struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	State         string          `json:"state"`
	StateMetadata StateMetadata   `json:"state_metadata"`
	CIDRBlocks    []string        `json:"cidr_blocks"`
	DNSConfig     []DNSProxy      `json:"dns_config"`
	Config        json.RawMessage `json:"transit_gateway_attachment_config"`
}

// attachmentConfig is the union of every transit_gateway_attachment_config kind; the
// kind says which fields are meaningful.
type attachmentConfig struct {
	Kind string `json:"kind"`
	// aws-transit-gateway-attachment
	TransitGatewayID string `json:"transit_gateway_id"`
	AttachmentID     string `json:"attachment_id"`
	// aws-transit-gateway-attachment, aws-resource-endpoint-attachment
	RAMShareARN string `json:"ram_share_arn"`
	// aws-vpc-peering-attachment
	PeerAccountID       string `json:"peer_account_id"`
	PeerVPCID           string `json:"peer_vpc_id"`
	PeerVPCRegion       string `json:"peer_vpc_region"`
	PeeringConnectionID string `json:"peering_connection_id"`
	// aws-resource-endpoint-attachment
	ResourceConfig []struct {
		ID         string `json:"resource_config_id"`
		DomainName string `json:"domain_name"`
		State      string `json:"state"`
	} `json:"resource_config"`
	// azure-vnet-peering-attachment, azure-vhub-peering-attachment
	TenantID          string `json:"tenant_id"`
	SubscriptionID    string `json:"subscription_id"`
	ResourceGroupName string `json:"resource_group_name"`
	VNetName          string `json:"vnet_name"`
	VHubName          string `json:"vhub_name"`
	// gcp-vpc-peering-attachment
	PeerProjectID string `json:"peer_project_id"`
	PeerVPCName   string `json:"peer_vpc_name"`
}

// PrivateDNS is a private hosted zone or outbound resolver attachment of a network.
type PrivateDNS struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	State         string          `json:"state"`
	StateMetadata StateMetadata   `json:"state_metadata"`
	Config        json.RawMessage `json:"private_dns_attachment_config"`
}

// privateDNSConfig is the union of every private_dns_attachment_config kind.
type privateDNSConfig struct {
	Kind string `json:"kind"`
	// aws-private-hosted-zone-attachment
	HostedZoneID string `json:"hosted_zone_id"`
	// aws-outbound-resolver, azure-outbound-resolver: domain → servers
	DNSConfig map[string]struct {
		Servers []string `json:"remote_dns_server_ip_addresses"`
	} `json:"dns_config"`
	// gcp- and azure-private-hosted-zone-attachment
	DomainName string `json:"domain_name"`
	// gcp-private-hosted-zone-attachment
	PeerProjectID string `json:"peer_project_id"`
	PeerVPCName   string `json:"peer_vpc_name"`
	// azure-private-hosted-zone-attachment
	PeerTenantID        string `json:"peer_tenant_id"`
	PeerSubscriptionID  string `json:"peer_subscription_id"`
	PeerResourceGroupID string `json:"peer_resource_group_id"` // a resource group name, despite the key
	PeerVNetLinkName    string `json:"peer_vnet_link_name"`
}

// Configuration is the data plane setup of one control plane in one geo.
type Configuration struct {
	ID              string           `json:"id"`
	ControlPlaneID  string           `json:"control_plane_id"`
	ControlPlaneGeo string           `json:"control_plane_geo"`
	Kind            string           `json:"kind"` // absent means dedicated.v0
	APIAccess       string           `json:"api_access"`
	DataPlaneGroups []DataPlaneGroup `json:"dataplane_groups"`
}

// DataPlaneGroup is one group of data plane nodes on one network.
type DataPlaneGroup struct {
	ID         string   `json:"id"`
	Provider   string   `json:"provider"`
	Region     string   `json:"region"`
	NetworkID  string   `json:"cloud_gateway_network_id"`
	State      string   `json:"state"`
	PrivateIPs []string `json:"private_ip_addresses"`
	EgressIPs  []string `json:"egress_ip_addresses"`
	Hostnames  []string `json:"hostnames"`
}

// CustomDomain is a customer hostname the gateway serves.
type CustomDomain struct {
	ID              string `json:"id"`
	ControlPlaneID  string `json:"control_plane_id"`
	ControlPlaneGeo string `json:"control_plane_geo"`
	Domain          string `json:"domain"`
	State           string `json:"state"`
}

// Availability is availability.json: what each provider region offers.
type Availability struct {
	Providers []AvailabilityProvider `json:"providers"`
}

// AvailabilityProvider is one provider of availability.json.
type AvailabilityProvider struct {
	Provider string                       `json:"provider"`
	Regions  []AvailabilityProviderRegion `json:"regions"`
}

// AvailabilityProviderRegion is one region of a provider: its zones, the ranges a
// network CIDR must sit in (cidr_blocks) and those it must avoid.
type AvailabilityProviderRegion struct {
	Region             string   `json:"region"`
	Name               string   `json:"name"`
	AvailabilityZones  []string `json:"availability_zones"`
	CIDRBlocks         []string `json:"cidr_blocks"`
	ReservedCIDRBlocks []string `json:"reserved_cidr_blocks"`
}

const apiPrefix = "/v2/cloud-gateways"

// ListProviderAccounts lists the organization's provider accounts.
func (c *Client) ListProviderAccounts(ctx context.Context) ([]ProviderAccount, error) {
	return list[ProviderAccount](ctx, c, apiPrefix+"/provider-accounts")
}

// ListNetworks lists the organization's networks.
func (c *Client) ListNetworks(ctx context.Context) ([]Network, error) {
	return list[Network](ctx, c, apiPrefix+"/networks")
}

// ListTransitGateways lists every attachment of a network, of every kind.
func (c *Client) ListTransitGateways(ctx context.Context, networkID string) ([]TransitGateway, error) {
	return list[TransitGateway](ctx, c, apiPrefix+"/networks/"+url.PathEscape(networkID)+"/transit-gateways")
}

// ListPrivateDNS lists every private DNS attachment of a network.
func (c *Client) ListPrivateDNS(ctx context.Context, networkID string) ([]PrivateDNS, error) {
	return list[PrivateDNS](ctx, c, apiPrefix+"/networks/"+url.PathEscape(networkID)+"/private-dns")
}

// ListConfigurations lists the configurations (data plane groups) the token can read.
func (c *Client) ListConfigurations(ctx context.Context) ([]Configuration, error) {
	return list[Configuration](ctx, c, apiPrefix+"/configurations")
}

// ListCustomDomains lists the custom domains the token can read.
func (c *Client) ListCustomDomains(ctx context.Context) ([]CustomDomain, error) {
	return list[CustomDomain](ctx, c, apiPrefix+"/custom-domains")
}

// GetAvailability reads availability.json. It needs no token, so none is sent.
func (c *Client) GetAvailability(ctx context.Context) (Availability, error) {
	var a Availability
	err := c.get(ctx, apiPrefix+"/availability.json", nil, false, &a)
	return a, err
}

// ErrTruncated marks a list that was cut short: the page cap was hit, or the server
// repeated items (it ignores page[number]). The items returned with it are valid.
var ErrTruncated = errors.New("list truncated")

// page is one page of a list.
type page struct {
	Meta struct {
		Page struct {
			Number float64 `json:"number"`
			Size   float64 `json:"size"`
			Total  float64 `json:"total"`
		} `json:"page"`
	} `json:"meta"`
	Data []json.RawMessage `json:"data"`
}

// list reads every page of path and decodes the items, each once (by id).
//
// The spec describes meta.page.total as the number of objects, but the SDK's
// pagination hint treats it as the number of pages (konnect-api.md §1.3), so the loop
// trusts neither alone. It stops on an empty page; on a page shorter than the size
// the server says it used (the size asked for when it says none); or when both readings of total are reached (items received
// ≥ total and page number ≥ total), which costs at most one extra, empty request when
// total counts items. It returns ErrTruncated, with the items read so far, when a page
// repeats an item already seen (a server that ignores page[number]) or after maxPages.
func list[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	out, err := listPages[T](ctx, c, path)
	return out, c.redactErr(err) // item ids in the messages come from the server
}

func listPages[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var out []T
	seen := map[string]bool{}
	for number := 1; ; number++ {
		if number > c.maxPages {
			return out, fmt.Errorf("GET %s: %w: stopped after %d pages of %d", path, ErrTruncated, c.maxPages, c.pageSize)
		}
		q := url.Values{}
		q.Set("page[size]", strconv.Itoa(c.pageSize))
		q.Set("page[number]", strconv.Itoa(number))
		var p page
		if err := c.get(ctx, path, q, true, &p); err != nil {
			return out, err
		}
		if len(p.Data) == 0 {
			return out, nil
		}
		for i, raw := range p.Data {
			var key struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(raw, &key); err != nil {
				return out, fmt.Errorf("GET %s: decode item %d of page %d: %w", path, i, number, err)
			}
			if key.ID != "" && seen[key.ID] {
				return out, fmt.Errorf("GET %s: %w: page %d repeats item %s (the server seems to ignore page[number])", path, ErrTruncated, number, key.ID)
			}
			seen[key.ID] = true
			var item T
			if err := json.Unmarshal(raw, &item); err != nil {
				return out, fmt.Errorf("GET %s: decode item %s: %w", path, key.ID, err)
			}
			out = append(out, item)
		}
		size, total := int(p.Meta.Page.Size), int(p.Meta.Page.Total)
		if size <= 0 {
			// No page meta (an endpoint that does not page?): the size asked for is
			// the only measure of a short, last page.
			size = c.pageSize
		}
		if len(p.Data) < size {
			return out, nil
		}
		if total > 0 && len(out) >= total && number >= total {
			return out, nil
		}
	}
}
