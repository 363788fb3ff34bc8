package azure

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/dns/armdns"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
)

// The test estate: subscription subMain holds a VNet peered with Kong, a Virtual WAN
// hub whose Kong route table also learns an HR spoke, NSGs, DNS and the edge; subOther
// denies every read; subKong is Kong's (never read).
const (
	subMain  = "11111111-1111-4111-8111-111111111111"
	subOther = "22222222-2222-4222-8222-222222222222"
	subKong  = "2e7a9c4b-1f3d-4e8a-9b6c-5d0f2a7e3c19"
	loc      = "eastus2"
)

func rid(sub, rg, typ, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Network/" + typ + "/" + name
}

var (
	kongVNet      = rid(subKong, "rg-dcgw-d04f7b3e61", "virtualNetworks", "vnet-dcgw-d04f7b3e61")
	vnetApp       = rid(subMain, "rg-network", "virtualNetworks", "vnet-app")
	vnetHR        = rid(subMain, "rg-hr", "virtualNetworks", "vnet-hr")
	vnetPayments  = rid(subMain, "rg-payments", "virtualNetworks", "vnet-payments")
	vnetSandbox   = rid(subMain, "rg-sandbox", "virtualNetworks", "vnet-sandbox")
	peerKong      = vnetApp + "/virtualNetworkPeerings/peer-konnect"
	snetAPI       = vnetApp + "/subnets/snet-api"
	snetHR        = vnetHR + "/subnets/snet-hr"
	snetPayments  = vnetPayments + "/subnets/snet-payments"
	snetSandbox   = vnetSandbox + "/subnets/snet-sandbox"
	rtApp         = rid(subMain, "rg-network", "routeTables", "rt-app")
	nsgApp        = rid(subMain, "rg-network", "networkSecurityGroups", "nsg-app")
	nsgHR         = rid(subMain, "rg-hr", "networkSecurityGroups", "nsg-hr")
	nsgPayments   = rid(subMain, "rg-payments", "networkSecurityGroups", "nsg-payments")
	asgAPI        = rid(subMain, "rg-network", "applicationSecurityGroups", "asg-api")
	hubID         = rid(subMain, "rg-vwan", "virtualHubs", "vhub-eastus2")
	rtDefault     = hubID + "/hubRouteTables/defaultRouteTable"
	rtNone        = hubID + "/hubRouteTables/noneRouteTable"
	rtKonnect     = hubID + "/hubRouteTables/rt-konnect"
	rtSpokes      = hubID + "/hubRouteTables/rt-spokes"
	connKong      = hubID + "/hubVirtualNetworkConnections/conn-konnect"
	connHR        = hubID + "/hubVirtualNetworkConnections/conn-hr"
	connPayments  = hubID + "/hubVirtualNetworkConnections/conn-payments"
	connSandbox   = hubID + "/hubVirtualNetworkConnections/conn-legacy"
	vpnConn       = rid(subMain, "rg-vwan", "vpnGateways", "vpngw-eastus2") + "/vpnConnections/conn-onprem"
	appGW         = rid(subMain, "rg-edge", "applicationGateways", "appgw-edge")
	appGWPool     = appGW + "/backendAddressPools/pool-kong"
	wafPolicy     = rid(subMain, "rg-edge", "ApplicationGatewayWebApplicationFirewallPolicies", "waf-edge")
	fdProfile     = "/subscriptions/" + subMain + "/resourceGroups/rg-edge/providers/Microsoft.Cdn/profiles/fd-contoso"
	fdEndpoint    = fdProfile + "/afdEndpoints/api-contoso"
	fdOriginGroup = fdProfile + "/originGroups/og-appgw"
	fdWAF         = rid(subMain, "rg-edge", "FrontDoorWebApplicationFirewallPolicies", "fdwaf")
	zoneID        = rid(subMain, "rg-dns", "dnszones", "contoso.com")
	pzoneID       = rid(subMain, "rg-dns", "privateDnsZones", "internal.contoso.com")
	dpIPs         = []string{"10.0.24.4", "10.0.88.4", "10.0.152.4"}
)

// upper spells the resource group of id in upper case, as Azure does in some references.
func upper(id string) string {
	rg := resourceGroupOf(id)
	return strings.Replace(id, "/resourceGroups/"+rg+"/", "/resourceGroups/"+strings.ToUpper(rg)+"/", 1)
}

func ptrs(vals ...string) []*string {
	out := make([]*string, len(vals))
	for i := range vals {
		out[i] = to.Ptr(vals[i])
	}
	return out
}

func space(prefixes ...string) *armnetwork.AddressSpace {
	return &armnetwork.AddressSpace{AddressPrefixes: ptrs(prefixes...)}
}

func subnet(id, prefix, nsg, rt string) *armnetwork.Subnet {
	s := &armnetwork.Subnet{ID: to.Ptr(id), Name: to.Ptr(lastName(id)), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr(prefix)}}
	if nsg != "" {
		s.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr(nsg)}
	}
	if rt != "" {
		s.Properties.RouteTable = &armnetwork.RouteTable{ID: to.Ptr(rt)}
	}
	return s
}

func vnet(id string, prefixes []string, subnets []*armnetwork.Subnet, peerings ...*armnetwork.VirtualNetworkPeering) *armnetwork.VirtualNetwork {
	return &armnetwork.VirtualNetwork{
		ID: to.Ptr(id), Name: to.Ptr(lastName(id)), Location: to.Ptr(loc), Tags: map[string]*string{"env": to.Ptr("prod")},
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: space(prefixes...), Subnets: subnets, VirtualNetworkPeerings: peerings,
		},
	}
}

type rule struct {
	name, dir, access, proto string
	prio                     int32
	src, srcs, ports         []string
	port                     string
	srcASG                   string
}

func nsg(id string, attached []string, rules []rule, defaults bool) *armnetwork.SecurityGroup {
	g := &armnetwork.SecurityGroup{ID: to.Ptr(id), Name: to.Ptr(lastName(id)), Location: to.Ptr(loc), Properties: &armnetwork.SecurityGroupPropertiesFormat{}}
	for _, a := range attached {
		if strings.Contains(a, "/networkInterfaces/") {
			g.Properties.NetworkInterfaces = append(g.Properties.NetworkInterfaces, &armnetwork.Interface{ID: to.Ptr(a)})
		} else {
			g.Properties.Subnets = append(g.Properties.Subnets, &armnetwork.Subnet{ID: to.Ptr(a)})
		}
	}
	mk := func(r rule, kind string) *armnetwork.SecurityRule {
		p := &armnetwork.SecurityRulePropertiesFormat{
			Access: to.Ptr(armnetwork.SecurityRuleAccess(r.access)), Direction: to.Ptr(armnetwork.SecurityRuleDirection(r.dir)),
			Priority: to.Ptr(r.prio), Protocol: to.Ptr(armnetwork.SecurityRuleProtocol(r.proto)),
			SourcePortRange: to.Ptr("*"), DestinationAddressPrefix: to.Ptr("*"),
		}
		if len(r.src) > 0 {
			p.SourceAddressPrefix = to.Ptr(r.src[0])
		}
		p.SourceAddressPrefixes = ptrs(r.srcs...)
		if r.port != "" {
			p.DestinationPortRange = to.Ptr(r.port)
		}
		p.DestinationPortRanges = ptrs(r.ports...)
		if r.srcASG != "" {
			p.SourceApplicationSecurityGroups = []*armnetwork.ApplicationSecurityGroup{{ID: to.Ptr(r.srcASG)}}
		}
		return &armnetwork.SecurityRule{ID: to.Ptr(id + "/" + kind + "/" + r.name), Name: to.Ptr(r.name), Properties: p}
	}
	for _, r := range rules {
		g.Properties.SecurityRules = append(g.Properties.SecurityRules, mk(r, "securityRules"))
	}
	if defaults {
		for _, r := range []rule{
			{name: "AllowVnetInBound", dir: "Inbound", access: "Allow", proto: "*", prio: 65000, src: []string{"VirtualNetwork"}, port: "*"},
			{name: "AllowAzureLoadBalancerInBound", dir: "Inbound", access: "Allow", proto: "*", prio: 65001, src: []string{"AzureLoadBalancer"}, port: "*"},
			{name: "DenyAllInBound", dir: "Inbound", access: "Deny", proto: "*", prio: 65500, src: []string{"*"}, port: "*"},
			{name: "AllowInternetOutBound", dir: "Outbound", access: "Allow", proto: "*", prio: 65001, src: []string{"*"}, port: "*"},
		} {
			g.Properties.DefaultSecurityRules = append(g.Properties.DefaultSecurityRules, mk(r, "defaultSecurityRules"))
		}
	}
	return g
}

func hubTable(id string, labels, assoc, prop []string) *armnetwork.HubRouteTable {
	return &armnetwork.HubRouteTable{ID: to.Ptr(id), Name: to.Ptr(lastName(id)), Properties: &armnetwork.HubRouteTableProperties{
		Labels: ptrs(labels...), AssociatedConnections: ptrs(assoc...), PropagatingConnections: ptrs(prop...),
	}}
}

func hubConn(id, remote, assoc string, propIDs, labels []string) *armnetwork.HubVirtualNetworkConnection {
	c := &armnetwork.HubVirtualNetworkConnection{ID: to.Ptr(id), Name: to.Ptr(lastName(id)), Properties: &armnetwork.HubVirtualNetworkConnectionProperties{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: to.Ptr(remote)}, ProvisioningState: to.Ptr(armnetwork.ProvisioningStateSucceeded),
	}}
	if assoc == "" && propIDs == nil && labels == nil {
		return c // no routing configuration at all: Azure's defaults
	}
	rc := &armnetwork.RoutingConfiguration{PropagatedRouteTables: &armnetwork.PropagatedRouteTable{Labels: ptrs(labels...)}}
	if assoc != "" {
		rc.AssociatedRouteTable = &armnetwork.SubResource{ID: to.Ptr(assoc)}
	}
	for _, p := range propIDs {
		rc.PropagatedRouteTables.IDs = append(rc.PropagatedRouteTables.IDs, &armnetwork.SubResource{ID: to.Ptr(p)})
	}
	c.Properties.RoutingConfiguration = rc
	return c
}

func dnsSet(zone, typ, name string, fill func(*armdns.RecordSetProperties)) *armdns.RecordSet {
	p := &armdns.RecordSetProperties{TTL: to.Ptr[int64](300), Fqdn: to.Ptr(strings.TrimPrefix(name+".", "@.") + zone + ".")}
	fill(p)
	return &armdns.RecordSet{
		ID: to.Ptr(rid(subMain, "rg-dns", "dnszones", zone) + "/" + typ + "/" + name), Name: to.Ptr(name),
		Type: to.Ptr("Microsoft.Network/dnszones/" + typ), Properties: p,
	}
}

// mainEstate is subMain's estate.
func mainEstate(t *testing.T) *estate {
	peering := &armnetwork.VirtualNetworkPeering{
		ID: to.Ptr(peerKong), Name: to.Ptr("peer-konnect"),
		Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
			PeeringState:     to.Ptr(armnetwork.VirtualNetworkPeeringStateConnected),
			PeeringSyncLevel: to.Ptr(armnetwork.VirtualNetworkPeeringLevelLocalNotInSync),
			// Kong's side still knows vnet-app as 10.10.0.0/16; vnet-app grew 10.0.200.0/24.
			LocalAddressSpace:                space("10.10.0.0/16"),
			LocalVirtualNetworkAddressSpace:  space("10.10.0.0/16", "10.0.200.0/24"),
			RemoteVirtualNetwork:             &armnetwork.SubResource{ID: to.Ptr(upper(kongVNet))},
			RemoteAddressSpace:               space("10.0.0.0/16"),
			RemoteVirtualNetworkAddressSpace: space("10.0.0.0/16"),
			AllowVirtualNetworkAccess:        to.Ptr(true),
			AllowForwardedTraffic:            to.Ptr(true),
			UseRemoteGateways:                to.Ptr(false),
		},
	}
	app := vnet(vnetApp, []string{"10.10.0.0/16", "10.0.200.0/24", "fd00:10::/48"}, []*armnetwork.Subnet{subnet(snetAPI, "10.10.1.0/24", upper(nsgApp), upper(rtApp))}, peering)
	app.Properties.DhcpOptions = &armnetwork.DhcpOptions{DNSServers: ptrs("10.10.0.4")}

	e := &estate{
		vnets: []*armnetwork.VirtualNetwork{
			app,
			vnet(vnetHR, []string{"10.60.0.0/16"}, []*armnetwork.Subnet{subnet(snetHR, "10.60.1.0/24", nsgHR, "")}),
			vnet(vnetPayments, []string{"10.20.0.0/16"}, []*armnetwork.Subnet{subnet(snetPayments, "10.20.1.0/24", nsgPayments, "")}),
			vnet(vnetSandbox, []string{"10.0.0.0/16"}, []*armnetwork.Subnet{subnet(snetSandbox, "10.0.1.0/24", "", "")}),
		},
		routeTables: []*armnetwork.RouteTable{{
			ID: to.Ptr(rtApp), Name: to.Ptr("rt-app"), Location: to.Ptr(loc),
			Properties: &armnetwork.RouteTablePropertiesFormat{
				Subnets: []*armnetwork.Subnet{{ID: to.Ptr(upper(snetAPI))}},
				Routes: []*armnetwork.Route{{Name: to.Ptr("default-to-nva"), Properties: &armnetwork.RoutePropertiesFormat{
					AddressPrefix: to.Ptr("0.0.0.0/0"), NextHopType: to.Ptr(armnetwork.RouteNextHopTypeVirtualAppliance), NextHopIPAddress: to.Ptr("10.10.0.4"),
				}}},
			},
		}},
		nsgs: []*armnetwork.SecurityGroup{
			nsg(nsgApp, []string{snetAPI}, []rule{
				{name: "AllowKongHttps", dir: "Inbound", access: "Allow", proto: "Tcp", prio: 100, srcs: dpIPs, port: "443"},
				{name: "AllowPartnerHttps", dir: "Inbound", access: "Allow", proto: "Tcp", prio: 200, src: []string{"Internet"}, ports: []string{"443", "8443-8444"}},
				{name: "AllowAppTier", dir: "Inbound", access: "Allow", proto: "Tcp", prio: 300, srcASG: asgAPI, port: "8080"},
				{name: "DenyAllInbound", dir: "Inbound", access: "Deny", proto: "*", prio: 4096, src: []string{"*"}, port: "*"},
			}, true),
			// vnet-hr only has Azure's defaults: AllowVnetInBound lets everything in from
			// VirtualNetwork, which includes Kong once the hub leaks vnet-hr to it.
			nsg(nsgHR, []string{snetHR, rid(subMain, "rg-hr", "networkInterfaces", "nic-hr-1")}, nil, true),
			nsg(nsgPayments, []string{snetPayments}, []rule{
				{name: "AllowKongHttps", dir: "Inbound", access: "Allow", proto: "Tcp", prio: 100, srcs: dpIPs, port: "443"},
				{name: "DenyAllInbound", dir: "Inbound", access: "Deny", proto: "*", prio: 4096, src: []string{"Any"}, port: "*"},
			}, true),
		},
		hubs: []*armnetwork.VirtualHub{{
			ID: to.Ptr(hubID), Name: to.Ptr("vhub-eastus2"), Location: to.Ptr(loc),
			Properties: &armnetwork.VirtualHubProperties{AddressPrefix: to.Ptr("10.250.0.0/23"), ProvisioningState: to.Ptr(armnetwork.ProvisioningStateSucceeded)},
		}},
		hubTables: map[string][]*armnetwork.HubRouteTable{"vhub-eastus2": {
			hubTable(rtDefault, []string{"default"}, []string{connHR, connSandbox, vpnConn}, []string{connHR, connSandbox, vpnConn}),
			hubTable(rtNone, []string{"none"}, nil, nil),
			// The leak: conn-hr carries the "konnect" label, so Kong's table learns vnet-hr.
			hubTable(rtKonnect, []string{"konnect"}, []string{upper(connKong)}, []string{connPayments, connHR}),
			hubTable(rtSpokes, []string{"spokes"}, []string{connPayments}, []string{connKong}),
		}},
		hubConns: map[string][]*armnetwork.HubVirtualNetworkConnection{"vhub-eastus2": {
			hubConn(connKong, kongVNet, rtKonnect, []string{rtSpokes}, nil),
			hubConn(connHR, vnetHR, rtDefault, []string{rtDefault}, []string{"default", "konnect"}),
			hubConn(connPayments, vnetPayments, rtSpokes, []string{rtKonnect}, nil),
			hubConn(connSandbox, vnetSandbox, "", nil, nil),
		}},
		zones: []*armdns.Zone{{ID: to.Ptr(zoneID), Name: to.Ptr("contoso.com"), Location: to.Ptr("global"), Properties: &armdns.ZoneProperties{ZoneType: to.Ptr(armdns.ZoneTypePublic)}}},
		records: map[string][]*armdns.RecordSet{"contoso.com": {
			dnsSet("contoso.com", "CNAME", "api", func(p *armdns.RecordSetProperties) {
				p.CnameRecord = &armdns.CnameRecord{Cname: to.Ptr("API-Contoso.z01.azurefd.net.")}
			}),
			dnsSet("contoso.com", "CNAME", "gw", func(p *armdns.RecordSetProperties) {
				p.CnameRecord = &armdns.CnameRecord{Cname: to.Ptr("d04f7b3e61.gateways.konggateway.com")}
			}),
			dnsSet("contoso.com", "A", "@", func(p *armdns.RecordSetProperties) {
				p.TargetResource = &armdns.SubResource{ID: to.Ptr(strings.ToLower(fdEndpoint))}
			}),
			dnsSet("contoso.com", "A", "www", func(p *armdns.RecordSetProperties) {
				p.ARecords = []*armdns.ARecord{{IPv4Address: to.Ptr("20.1.2.3")}}
			}),
			dnsSet("contoso.com", "TXT", "verify", func(p *armdns.RecordSetProperties) {
				p.TxtRecords = []*armdns.TxtRecord{{Value: ptrs("x")}}
			}),
		}},
		pzones: []*armprivatedns.PrivateZone{{ID: to.Ptr(pzoneID), Name: to.Ptr("internal.contoso.com"), Location: to.Ptr("global")}},
		links: map[string][]*armprivatedns.VirtualNetworkLink{"internal.contoso.com": {
			{Properties: &armprivatedns.VirtualNetworkLinkProperties{VirtualNetwork: &armprivatedns.SubResource{ID: to.Ptr(upper(vnetApp))}, VirtualNetworkLinkState: to.Ptr(armprivatedns.VirtualNetworkLinkStateCompleted)}},
			{Properties: &armprivatedns.VirtualNetworkLinkProperties{VirtualNetwork: &armprivatedns.SubResource{ID: to.Ptr(vnetHR)}, VirtualNetworkLinkState: to.Ptr(armprivatedns.VirtualNetworkLinkStateInProgress)}},
		}},
		precords: map[string][]*armprivatedns.RecordSet{"internal.contoso.com": {{
			ID: to.Ptr(pzoneID + "/A/orders"), Name: to.Ptr("orders"), Type: to.Ptr("Microsoft.Network/privateDnsZones/A"),
			Properties: &armprivatedns.RecordSetProperties{TTL: to.Ptr[int64](10), Fqdn: to.Ptr("orders.internal.contoso.com."), ARecords: []*armprivatedns.ARecord{{IPv4Address: to.Ptr("10.10.1.5")}}},
		}}},
		appGWs: []*armnetwork.ApplicationGateway{appGateway()},
	}
	e.cdn = frontDoorBodies(t)
	return e
}

func appGateway() *armnetwork.ApplicationGateway {
	sub := func(kind, name string) *armnetwork.SubResource {
		return &armnetwork.SubResource{ID: to.Ptr(appGW + "/" + kind + "/" + name)}
	}
	var addrs []*armnetwork.ApplicationGatewayBackendAddress
	for _, ip := range dpIPs {
		addrs = append(addrs, &armnetwork.ApplicationGatewayBackendAddress{IPAddress: to.Ptr(ip)})
	}
	return &armnetwork.ApplicationGateway{
		ID: to.Ptr(appGW), Name: to.Ptr("appgw-edge"), Location: to.Ptr(loc),
		Properties: &armnetwork.ApplicationGatewayPropertiesFormat{
			GatewayIPConfigurations: []*armnetwork.ApplicationGatewayIPConfiguration{{Properties: &armnetwork.ApplicationGatewayIPConfigurationPropertiesFormat{Subnet: &armnetwork.SubResource{ID: to.Ptr(vnetApp + "/subnets/snet-appgw")}}}},
			FrontendIPConfigurations: []*armnetwork.ApplicationGatewayFrontendIPConfiguration{{ID: to.Ptr(appGW + "/frontendIPConfigurations/public"), Properties: &armnetwork.ApplicationGatewayFrontendIPConfigurationPropertiesFormat{
				PublicIPAddress: &armnetwork.SubResource{ID: to.Ptr(rid(subMain, "rg-edge", "publicIPAddresses", "pip-appgw"))},
			}}},
			FrontendPorts: []*armnetwork.ApplicationGatewayFrontendPort{
				{ID: to.Ptr(appGW + "/frontendPorts/p443"), Properties: &armnetwork.ApplicationGatewayFrontendPortPropertiesFormat{Port: to.Ptr[int32](443)}},
				{ID: to.Ptr(appGW + "/frontendPorts/p80"), Properties: &armnetwork.ApplicationGatewayFrontendPortPropertiesFormat{Port: to.Ptr[int32](80)}},
			},
			HTTPListeners: []*armnetwork.ApplicationGatewayHTTPListener{
				{ID: to.Ptr(appGW + "/httpListeners/https"), Properties: &armnetwork.ApplicationGatewayHTTPListenerPropertiesFormat{Protocol: to.Ptr(armnetwork.ApplicationGatewayProtocolHTTPS), FrontendPort: sub("frontendPorts", "p443")}},
				{ID: to.Ptr(appGW + "/httpListeners/http"), Properties: &armnetwork.ApplicationGatewayHTTPListenerPropertiesFormat{Protocol: to.Ptr(armnetwork.ApplicationGatewayProtocolHTTP), FrontendPort: sub("frontendPorts", "p80")}},
			},
			BackendAddressPools: []*armnetwork.ApplicationGatewayBackendAddressPool{{ID: to.Ptr(appGWPool), Name: to.Ptr("pool-kong"), Properties: &armnetwork.ApplicationGatewayBackendAddressPoolPropertiesFormat{BackendAddresses: addrs}}},
			BackendHTTPSettingsCollection: []*armnetwork.ApplicationGatewayBackendHTTPSettings{{ID: to.Ptr(appGW + "/backendHttpSettingsCollection/https443"), Properties: &armnetwork.ApplicationGatewayBackendHTTPSettingsPropertiesFormat{
				Protocol: to.Ptr(armnetwork.ApplicationGatewayProtocolHTTPS), Port: to.Ptr[int32](443),
			}}},
			RedirectConfigurations: []*armnetwork.ApplicationGatewayRedirectConfiguration{{ID: to.Ptr(appGW + "/redirectConfigurations/to-https"), Properties: &armnetwork.ApplicationGatewayRedirectConfigurationPropertiesFormat{
				TargetListener: sub("httpListeners", "https"),
			}}},
			RequestRoutingRules: []*armnetwork.ApplicationGatewayRequestRoutingRule{
				{Properties: &armnetwork.ApplicationGatewayRequestRoutingRulePropertiesFormat{HTTPListener: sub("httpListeners", "https"), BackendAddressPool: &armnetwork.SubResource{ID: to.Ptr(appGWPool)}, BackendHTTPSettings: sub("backendHttpSettingsCollection", "https443")}},
				{Properties: &armnetwork.ApplicationGatewayRequestRoutingRulePropertiesFormat{HTTPListener: sub("httpListeners", "http"), RedirectConfiguration: sub("redirectConfigurations", "to-https")}},
			},
			SSLPolicy:      &armnetwork.ApplicationGatewaySSLPolicy{PolicyType: to.Ptr(armnetwork.ApplicationGatewaySSLPolicyTypePredefined), PolicyName: to.Ptr(armnetwork.ApplicationGatewaySSLPolicyNameAppGwSSLPolicy20220101)},
			FirewallPolicy: &armnetwork.SubResource{ID: to.Ptr(wafPolicy)},
		},
	}
}

// frontDoorBodies are the armcdn list answers (wire format: {"value": [...]}).
func frontDoorBodies(t *testing.T) map[string]string {
	lc := strings.ToLower
	return map[string]string{
		lc("/subscriptions/" + subMain + "/providers/Microsoft.Cdn/profiles"): mustJSON(t, []any{
			map[string]any{"id": fdProfile, "name": "fd-contoso", "location": "Global", "sku": map[string]any{"name": "Premium_AzureFrontDoor"}},
			map[string]any{"id": strings.Replace(fdProfile, "fd-contoso", "cdn-classic", 1), "name": "cdn-classic", "location": "Global", "sku": map[string]any{"name": "Standard_Microsoft"}},
		}),
		lc(fdProfile + "/securityPolicies"): mustJSON(t, []any{map[string]any{
			"id": fdProfile + "/securityPolicies/waf", "name": "waf",
			"properties": map[string]any{"parameters": map[string]any{
				"type": "WebApplicationFirewall", "wafPolicy": map[string]any{"id": fdWAF},
				"associations": []any{map[string]any{"domains": []any{map[string]any{"id": fdEndpoint}}, "patternsToMatch": []any{"/*"}}},
			}},
		}}),
		lc(fdProfile + "/originGroups"): mustJSON(t, []any{map[string]any{"id": fdOriginGroup, "name": "og-appgw", "properties": map[string]any{}}}),
		lc(fdOriginGroup + "/origins"): mustJSON(t, []any{
			map[string]any{"id": fdOriginGroup + "/origins/appgw", "name": "appgw", "properties": map[string]any{"hostName": "AppGW.contoso.com", "httpPort": 80, "httpsPort": 443, "enabledState": "Enabled"}},
			map[string]any{"id": fdOriginGroup + "/origins/old", "name": "old", "properties": map[string]any{"hostName": "old.contoso.com", "enabledState": "Disabled"}},
		}),
		lc(fdProfile + "/afdEndpoints"): mustJSON(t, []any{map[string]any{
			"id": fdEndpoint, "name": "api-contoso", "location": "Global", "properties": map[string]any{"hostName": "api-contoso.z01.azurefd.net"},
		}}),
		lc(fdEndpoint + "/routes"): mustJSON(t, []any{map[string]any{
			"id": fdEndpoint + "/routes/default", "name": "default",
			"properties": map[string]any{
				"originGroup": map[string]any{"id": fdOriginGroup}, "supportedProtocols": []any{"Http", "Https"},
				"httpsRedirect": "Enabled", "forwardingProtocol": "HttpsOnly", "enabledState": "Enabled",
			},
		}}),
	}
}

// subscriptionList is what the credential can list: two active, one disabled.
func subscriptionList() []*armsubscriptions.Subscription {
	return []*armsubscriptions.Subscription{
		{SubscriptionID: to.Ptr(subMain), State: to.Ptr(armsubscriptions.SubscriptionStateEnabled)},
		{SubscriptionID: to.Ptr(strings.ToUpper(subOther)), State: to.Ptr(armsubscriptions.SubscriptionStateEnabled)},
		{SubscriptionID: to.Ptr("33333333-3333-4333-8333-333333333333"), State: to.Ptr(armsubscriptions.SubscriptionStateDisabled)},
	}
}
