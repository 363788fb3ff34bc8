package dcgw.firewall.all_traffic_test

import data.dcgw.firewall.all_traffic
import data.dcgw.lib.fixtures

_konnect := {"networks": [{
	"id": "kn-1",
	"provider": "aws",
	"cidr": "10.100.0.0/16",
	"data_plane_ips": ["10.100.1.10", "10.100.2.10"],
	"attachments": [
		{"id": "att-aws", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-app"},
		{"id": "att-azure", "kind": "azure-vnet-peering-attachment", "network_id": "vnet-app"},
		{"id": "att-gcp", "kind": "gcp-vpc-peering-attachment", "network_id": "gcp-net"},
	],
}]}

_in(id, prio, proto, ports, sources) := {
	"id": id, "direction": "ingress", "action": "allow", "priority": prio,
	"protocol": proto, "ports": ports, "sources": sources,
}

_p(from, to) := [{"from": from, "to": to}]

_cidr(c) := [{"kind": "cidr", "value": c}]

_estate := {
	"konnect": _konnect,
	"firewalls": [
		{"id": "sg-app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "rules": [
			_in("sgr-all-dp", 0, "all", [], _cidr("10.100.1.10/32")), # every protocol, even from a DP IP
			_in("sgr-tcp-all", 0, "tcp", _p(0, 65535), _cidr("10.0.0.0/8")),
			_in("sgr-self", 0, "all", [], [{"kind": "group", "value": "sg-app"}]), # members of the group
			_in("sgr-443", 0, "tcp", _p(443, 443), _cidr("10.100.1.10/32")),
		]},
		{"id": "acl-app", "provider": "aws", "kind": "aws-network-acl", "network_id": "vpc-app", "rules": [
			_in("acl-100", 100, "all", [], _cidr("0.0.0.0/0")),
		]},
		{"id": "nsg-app", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "rules": [
			_in("AllowVnetInBound", 65000, "*", _p(0, 65535), [{"kind": "service-tag", "value": "VirtualNetwork"}]),
			_in("AllowKong443", 200, "tcp", _p(443, 443), _cidr("10.100.1.10")),
		]},
		{"id": "projects/p/global/firewalls/gcp-net", "provider": "gcp", "kind": "gcp-firewall", "network_id": "gcp-net", "rules": [
			_in("allow-internal", 65534, "tcp", _p(1, 65535), _cidr("10.0.0.0/8")),
			object.union(_in("deny-kong", 900, "all", [], _cidr("10.100.0.0/16")), {"action": "deny"}),
			_in("allow-kong-all", 1000, "all", [], _cidr("10.100.0.0/16")), # shadowed by deny-kong
			_in("allow-tagged", 1000, "all", [], [{"kind": "tag", "value": "web"}]), # tag source
		]},
		{"id": "sg-other", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-other", "rules": [
			_in("sgr-x", 0, "all", [], _cidr("10.100.0.0/16")),
		]},
	],
}

_findings(inp) := {[f.resource, f.key] | some f in fs} if {
	fs := all_traffic.deny with input as inp with data.config as fixtures.config
}

test_findings if {
	_findings(_estate) == {
		["sg-app", "sgr-all-dp"],
		["sg-app", "sgr-tcp-all"],
		["acl-app", "acl-100"],
		["nsg-app", "AllowVnetInBound"],
		["projects/p/global/firewalls/gcp-net", "allow-internal"],
	}
}

test_compliant if {
	inp := {"konnect": _konnect, "firewalls": [
		{"id": "sg-app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "rules": [
			_in("sgr-443", 0, "tcp", _p(443, 443), _cidr("10.100.1.10/32")),
			_in("sgr-8000", 0, "tcp", _p(8000, 8100), _cidr("10.100.2.10/32")),
		]},
		{"id": "nsg-app", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "rules": [
			_in("AllowKong443", 200, "tcp", _p(443, 443), _cidr("10.100.1.10")),
		]},
		{"id": "projects/p/global/firewalls/gcp-net", "provider": "gcp", "kind": "gcp-firewall", "network_id": "gcp-net", "rules": [
			_in("allow-kong", 1000, "tcp", _p(443, 443), _cidr("10.100.1.10/32")),
		]},
	]}
	_findings(inp) == set()
}

test_message if {
	fs := all_traffic.deny with input as _estate with data.config as fixtures.config
	some f in fs
	f.key == "sgr-all-dp"
	f.msg == "aws-security-group sg-app allows all traffic from 10.100.1.10/32; allow only the protocol and ports your upstream services use."
}

# Azure's default rules: AllowVnetInBound admits every protocol from VirtualNetwork
# (which includes Kong's peered or hub-connected network); the AzureLoadBalancer health
# probe source is not reported.
test_azure_default_rules if {
	snap := {"konnect": _konnect, "firewalls": [{"id": "nsg-defaults", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "rules": [
		_in("AllowVnetInBound", 65000, "all", _p(0, 65535), [{"kind": "service-tag", "value": "VirtualNetwork"}]),
		_in("AllowAzureLoadBalancerInBound", 65001, "all", _p(0, 65535), [{"kind": "service-tag", "value": "AzureLoadBalancer"}]),
	]}]}
	got := {[f.resource, f.key] | some f in all_traffic.deny} with input as snap with data.config as fixtures.config
	got == {["nsg-defaults", "AllowVnetInBound"]}
}
