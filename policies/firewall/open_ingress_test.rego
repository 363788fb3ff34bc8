package dcgw.firewall.open_ingress_test

import data.dcgw.firewall.open_ingress
import data.dcgw.lib.fixtures

# Kong is peered with an AWS VPC, an Azure VNet and a GCP network.
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

_deny_in(id, prio, proto, ports, sources) := object.union(_in(id, prio, proto, ports, sources), {"action": "deny"})

_p(from, to) := [{"from": from, "to": to}]

_v4 := [{"kind": "cidr", "value": "0.0.0.0/0"}]

_estate := {
	"konnect": _konnect,
	"prefix_lists": [
		{"id": "pl-open", "provider": "aws", "cidrs": ["10.0.0.0/8", "0.0.0.0/0"]},
		{"id": "pl-corp", "provider": "aws", "cidrs": ["192.0.2.0/24"]},
	],
	"load_balancers": [{"id": "alb-edge", "provider": "aws", "kind": "aws-alb", "scheme": "internet-facing", "target_group_ids": ["tg-dp"], "firewall_ids": ["sg-alb"]}],
	"target_groups": [{"id": "tg-dp", "provider": "aws", "port": 443, "targets": [{"id": "10.100.1.10"}, {"id": "10.100.2.10"}]}],
	"firewalls": [
		{"id": "sg-app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "stateful": true, "rules": [
			_in("sgr-open4", 0, "tcp", _p(443, 443), _v4),
			_in("sgr-open6", 0, "tcp", _p(443, 443), [{"kind": "cidr", "value": "::/0"}]),
			_in("sgr-pl", 0, "tcp", _p(5432, 5432), [{"kind": "prefix-list", "value": "pl-open"}]),
			_in("sgr-corp", 0, "tcp", _p(5432, 5432), [{"kind": "prefix-list", "value": "pl-corp"}]),
			_in("sgr-dp", 0, "tcp", _p(8080, 8080), [{"kind": "cidr", "value": "10.100.1.10/32"}]),
			object.union(_in("sgr-egress", 0, "all", [], _v4), {"direction": "egress", "sources": [], "destinations": _v4}),
		]},
		{"id": "acl-app", "provider": "aws", "kind": "aws-network-acl", "network_id": "vpc-app", "rules": [
			_in("acl-100", 100, "tcp", _p(1024, 65535), _v4), # return traffic
			_in("acl-110", 110, "tcp", _p(22, 22), _v4),
			_deny_in("acl-90", 90, "tcp", _p(3389, 3389), _v4),
			_in("acl-120", 120, "tcp", _p(3389, 3389), _v4), # shadowed by acl-90
		]},
		{"id": "nsg-app", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "stateful": true, "rules": [
			_in("AllowInternet443", 200, "tcp", _p(443, 443), [{"kind": "service-tag", "value": "Internet"}]),
			_deny_in("DenySSH", 100, "tcp", _p(22, 22), [{"kind": "service-tag", "value": "Internet"}]),
			_in("AllowSSH", 150, "tcp", _p(22, 22), [{"kind": "service-tag", "value": "Internet"}]), # shadowed
			object.union(_in("AllowOld", 160, "tcp", _p(8443, 8443), [{"kind": "service-tag", "value": "*"}]), {"disabled": true}),
			# no id: keyed by what it matches
			{"direction": "ingress", "action": "allow", "priority": 300, "protocol": "tcp", "ports": _p(80, 80), "sources": [{"kind": "any"}]},
			_in("AllowVnet", 65000, "all", [], [{"kind": "service-tag", "value": "VirtualNetwork"}]),
		]},
		{"id": "projects/p/global/firewalls/gcp-net", "provider": "gcp", "kind": "gcp-firewall", "network_id": "gcp-net", "stateful": true, "rules": [
			_in("allow-https", 1000, "tcp", _p(443, 443), _v4),
			_deny_in("deny-ssh", 1000, "tcp", _p(22, 22), _v4),
			_in("allow-ssh", 1000, "tcp", _p(22, 22), _v4), # equal priority: deny wins
			object.union(_in("allow-egress", 1000, "tcp", _p(443, 443), []), {"direction": "egress", "destinations": _v4}),
		]},
		# only on the edge ALB: accepting the internet is its job
		{"id": "sg-alb", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "rules": [_in("sgr-alb", 0, "tcp", _p(443, 443), _v4)]},
		# a network not connected to Kong
		{"id": "sg-other", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-other", "rules": [_in("sgr-other", 0, "tcp", _p(443, 443), _v4)]},
	],
}

_findings(inp) := {[f.resource, f.key] | some f in fs} if {
	fs := open_ingress.deny with input as inp with data.config as fixtures.config
}

test_findings if {
	_findings(_estate) == {
		["sg-app", "sgr-open4"],
		["sg-app", "sgr-open6"],
		["sg-app", "sgr-pl"],
		["acl-app", "acl-110"],
		["nsg-app", "AllowInternet443"],
		["nsg-app", "ingress|allow|tcp|80-80|any:||"],
		["projects/p/global/firewalls/gcp-net", "allow-https"],
	}
}

test_compliant if {
	closed := {"konnect": _konnect, "firewalls": [
		{"id": "sg-app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "rules": [
			_in("sgr-dp1", 0, "tcp", _p(443, 443), [{"kind": "cidr", "value": "10.100.1.10/32"}]),
			_in("sgr-dp2", 0, "tcp", _p(443, 443), [{"kind": "cidr", "value": "10.100.2.10/32"}]),
		]},
		{"id": "nsg-app", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "rules": [
			_in("AllowKong", 200, "tcp", _p(443, 443), [{"kind": "cidr", "value": "10.100.1.10"}, {"kind": "cidr", "value": "10.100.2.10"}]),
			_deny_in("DenyInternet", 4000, "*", [], [{"kind": "service-tag", "value": "Internet"}]),
		]},
	]}
	_findings(closed) == set()
}

# A resource gateway's security group counts even outside a connected network.
test_resource_gateway if {
	inp := {"konnect": _konnect, "resource_gateways": [{"id": "rgw-1", "provider": "aws", "firewall_ids": ["sg-rg"]}], "firewalls": [
		{"id": "sg-rg", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-res", "rules": [_in("sgr-rg", 0, "tcp", _p(443, 443), _v4)]},
	]}
	_findings(inp) == {["sg-rg", "sgr-rg"]}
}

test_message if {
	fs := open_ingress.deny with input as _estate with data.config as fixtures.config
	some f in fs
	f.key == "sgr-pl"
	f.msg == "aws-security-group sg-app allows tcp 5432 from the internet (pl-open) into a network Kong Gateway reaches; allow only the DCGW data plane IPs and the sources you need."
	f.evidence.open_sources == ["pl-open"]
}
