package dcgw.firewall.wide_konnect_source_test

import data.dcgw.firewall.wide_konnect_source
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

_in(id, prio, sources) := {
	"id": id, "direction": "ingress", "action": "allow", "priority": prio,
	"protocol": "tcp", "ports": [{"from": 443, "to": 443}], "sources": sources,
}

_cidr(c) := [{"kind": "cidr", "value": c}]

_estate := {
	"konnect": _konnect,
	"prefix_lists": [
		{"id": "pl-kong", "provider": "aws", "cidrs": ["10.100.0.0/16", "10.100.1.10/32"]},
		{"id": "pl-dp", "provider": "aws", "cidrs": ["10.100.1.10/32", "10.100.2.10/32"]},
	],
	"firewalls": [
		{"id": "sg-app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "rules": [
			_in("sgr-kong16", 0, _cidr("10.100.0.0/16")), # the whole Kong network
			_in("sgr-ten8", 0, _cidr("10.0.0.0/8")), # wider still
			_in("sgr-dp", 0, _cidr("10.100.1.10/32")),
			_in("sgr-dp-bare", 0, _cidr("10.100.2.10")),
			_in("sgr-other", 0, _cidr("10.200.0.0/16")), # does not touch Kong
			_in("sgr-open", 0, _cidr("0.0.0.0/0")), # DCGW-FW-001's
			_in("sgr-v6", 0, _cidr("fd00::/8")),
			_in("sgr-allowed", 0, _cidr("10.100.64.0/24")),
			_in("sgr-allowed-wide", 0, _cidr("10.100.64.0/20")),
			_in("sgr-pl", 0, [{"kind": "prefix-list", "value": "pl-kong"}]),
			_in("sgr-pl-dp", 0, [{"kind": "prefix-list", "value": "pl-dp"}]),
			_in("sgr-group", 0, [{"kind": "group", "value": "sg-app"}]),
		]},
		{"id": "nsg-app", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "rules": [
			_in("AllowKongEarly", 50, _cidr("10.100.0.0/20")), # wins over the deny
			_in("AllowKongSubnet", 200, _cidr("10.100.0.0/24")), # shadowed by the deny at 100
			object.union(_in("DenyKongSubnet", 100, _cidr("10.100.0.0/16")), {"action": "deny"}),
			_in("AllowKongShadowed", 300, _cidr("10.100.8.0/24")), # shadowed by the deny at 100
		]},
		{"id": "projects/p/global/firewalls/gcp-net", "provider": "gcp", "kind": "gcp-firewall", "network_id": "gcp-net", "rules": [
			_in("allow-kong-half", 1000, _cidr("10.100.0.0/17")),
			object.union(_in("allow-kong-disabled", 1000, _cidr("10.100.0.0/16")), {"disabled": true}),
		]},
		{"id": "sg-other", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-other", "rules": [
			_in("sgr-x", 0, _cidr("10.100.0.0/16")),
		]},
	],
}

_cfg := object.union(fixtures.config, {"allowed_source_ranges": ["10.100.64.0/24"]})

_findings(inp) := {[f.resource, f.key] | some f in fs} if {
	fs := wide_konnect_source.deny with input as inp with data.config as _cfg
}

test_findings if {
	_findings(_estate) == {
		["sg-app", "sgr-kong16|10.100.0.0/16"],
		["sg-app", "sgr-ten8|10.0.0.0/8"],
		["sg-app", "sgr-allowed-wide|10.100.64.0/20"],
		["sg-app", "sgr-pl|10.100.0.0/16"],
		["nsg-app", "AllowKongEarly|10.100.0.0/20"],
		["projects/p/global/firewalls/gcp-net", "allow-kong-half|10.100.0.0/17"],
	}
}

# Without the allow-list, the /24 is reported too.
test_allowed_source_ranges_from_config if {
	fs := wide_konnect_source.deny with input as _estate with data.config as fixtures.config
	got := {f.key | some f in fs; f.resource == "sg-app"}
	"sgr-allowed|10.100.64.0/24" in got
}

test_compliant if {
	inp := {"konnect": _konnect, "firewalls": [
		{"id": "sg-app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "rules": [
			_in("sgr-dp1", 0, _cidr("10.100.1.10/32")),
			_in("sgr-dp2", 0, _cidr("10.100.2.10/32")),
		]},
		{"id": "nsg-app", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "rules": [
			_in("AllowKong", 200, [{"kind": "cidr", "value": "10.100.1.10"}, {"kind": "cidr", "value": "10.100.2.10"}]),
		]},
	]}
	_findings(inp) == set()
}

test_evidence if {
	fs := wide_konnect_source.deny with input as _estate with data.config as _cfg
	some f in fs
	f.key == "sgr-kong16|10.100.0.0/16"
	f.evidence.konnect_cidrs == ["10.100.0.0/16"]
	f.evidence.data_plane_ips == ["10.100.1.10", "10.100.2.10"]
	f.msg == "aws-security-group sg-app allows tcp 443 from 10.100.0.0/16, which covers more of the Konnect network 10.100.0.0/16 than the DCGW data plane IPs; allow the data plane IPs as /32s instead."
}
