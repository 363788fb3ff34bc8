package dcgw.firewall.edge_egress_test

import data.dcgw.firewall.edge_egress
import data.dcgw.lib.fixtures

_konnect := {"networks": [{"id": "kn-1", "provider": "aws", "cidr": "10.100.0.0/16", "data_plane_ips": ["10.100.1.10", "10.100.2.10"]}]}

_out(id, prio, proto, ports, destinations) := {
	"id": id, "direction": "egress", "action": "allow", "priority": prio,
	"protocol": proto, "ports": ports, "destinations": destinations,
}

_p(from, to) := [{"from": from, "to": to}]

_cidr(c) := [{"kind": "cidr", "value": c}]

_dps := [{"kind": "cidr", "value": "10.100.1.10/32"}, {"kind": "cidr", "value": "10.100.2.10/32"}]

_estate := {
	"konnect": _konnect,
	"prefix_lists": [{"id": "pl-dp", "provider": "aws", "cidrs": ["10.100.1.10/32", "10.100.2.10/32"]}],
	"load_balancers": [
		{"id": "alb-edge", "provider": "aws", "kind": "aws-alb", "scheme": "internet-facing", "target_group_ids": ["tg-dp"], "firewall_ids": ["sg-alb"]},
		{"id": "agw-edge", "provider": "azure", "kind": "azure-application-gateway", "scheme": "internet-facing", "target_group_ids": ["pool-dp"]},
		{"id": "gclb-edge", "provider": "gcp", "kind": "gcp-load-balancer", "scheme": "internet-facing", "target_group_ids": ["neg-dp"]},
		# not an edge: its firewall is not checked here
		{"id": "alb-web", "provider": "aws", "kind": "aws-alb", "scheme": "internet-facing", "target_group_ids": ["tg-web"], "firewall_ids": ["sg-web"]},
	],
	"target_groups": [
		{"id": "tg-dp", "provider": "aws", "port": 443, "targets": [{"id": "10.100.1.10"}, {"id": "10.100.2.10"}]},
		{"id": "pool-dp", "provider": "azure", "port": 443, "targets": [{"id": "10.100.1.10"}, {"id": "10.100.2.10"}]},
		{"id": "neg-dp", "provider": "gcp", "port": 443, "targets": [{"id": "10.100.1.10"}, {"id": "10.100.2.10"}]},
		{"id": "tg-web", "provider": "aws", "port": 80, "targets": [{"id": "10.0.0.5"}]},
	],
	"firewalls": [
		{"id": "sg-alb", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-edge", "rules": [
			_out("sgr-default", 0, "all", [], _cidr("0.0.0.0/0")), # the default egress rule
			_out("sgr-dp", 0, "tcp", _p(443, 443), _dps),
			_out("sgr-kong16", 0, "tcp", _p(443, 443), _cidr("10.100.0.0/16")),
			_out("sgr-8443", 0, "tcp", _p(8443, 8443), _cidr("10.100.2.10/32")),
			_out("sgr-pl", 0, "tcp", _p(443, 443), [{"kind": "prefix-list", "value": "pl-dp"}]),
			_out("sgr-pl-gone", 0, "tcp", _p(443, 443), [{"kind": "prefix-list", "value": "pl-gone"}]),
			# ingress is not this rule's business
			{"id": "sgr-in", "direction": "ingress", "action": "allow", "protocol": "tcp", "ports": _p(443, 443), "sources": _cidr("0.0.0.0/0")},
		]},
		{"id": "nsg-agw", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-edge", "attached_to": [{"kind": "load-balancer", "id": "agw-edge"}], "rules": [
			_out("AllowVnetOut", 65000, "*", _p(0, 65535), [{"kind": "service-tag", "value": "VirtualNetwork"}]),
			_out("AllowKong", 100, "tcp", _p(443, 443), [{"kind": "cidr", "value": "10.100.1.10"}, {"kind": "cidr", "value": "10.100.2.10"}]),
		]},
		{"id": "projects/p/global/firewalls/edge", "provider": "gcp", "kind": "gcp-firewall", "network_id": "gcp-edge", "attached_to": [{"kind": "load-balancer", "id": "gclb-edge"}], "rules": [
			_out("allow-egress-all", 1000, "tcp", _p(443, 443), _cidr("0.0.0.0/0")),
			object.union(_out("deny-egress", 100, "all", [], _cidr("0.0.0.0/0")), {"action": "deny"}),
			_out("allow-egress-shadowed", 2000, "all", [], _cidr("0.0.0.0/0")),
			_out("allow-kong", 50, "tcp", _p(443, 443), _dps),
		]},
		{"id": "sg-web", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-edge", "rules": [
			_out("sgr-web", 0, "all", [], _cidr("0.0.0.0/0")),
		]},
	],
}

_findings(inp, cfg) := {[f.resource, f.key] | some f in fs} if {
	fs := edge_egress.deny with input as inp with data.config as cfg
}

_evidence(key) := f.evidence if {
	fs := edge_egress.deny with input as _estate with data.config as fixtures.config
	some f in fs
	f.key == key
}

test_findings if {
	# allow-egress-all (1000) and allow-egress-shadowed (2000) both lose to deny-egress (100).
	_findings(_estate, fixtures.config) == {
		["sg-alb", "sgr-default"],
		["sg-alb", "sgr-kong16"],
		["sg-alb", "sgr-8443"],
		["sg-alb", "sgr-pl-gone"],
		["nsg-agw", "AllowVnetOut"],
	}
}

test_evidence if {
	d := _evidence("sgr-default")
	d.wide_destinations == ["0.0.0.0/0"]
	d.wide_ports == ["all"]
	d.load_balancer_ids == ["alb-edge"]

	k := _evidence("sgr-kong16")
	k.wide_destinations == ["10.100.0.0/16"]
	k.wide_ports == []

	p := _evidence("sgr-8443")
	p.wide_destinations == []
	p.wide_ports == ["8443-8443"]

	v := _evidence("AllowVnetOut")
	v.wide_destinations == ["VirtualNetwork"]
	v.wide_ports == ["all"]
}

# With 8443 as the gateway port, the 8443 rule is fine and the 443 rules are not.
test_gateway_port_from_config if {
	cfg := object.union(fixtures.config, {"gateway_port": 8443})
	_findings(_estate, cfg) == {
		["sg-alb", "sgr-default"],
		["sg-alb", "sgr-dp"],
		["sg-alb", "sgr-kong16"],
		["sg-alb", "sgr-pl"],
		["sg-alb", "sgr-pl-gone"],
		["nsg-agw", "AllowVnetOut"],
		["nsg-agw", "AllowKong"],
		["projects/p/global/firewalls/edge", "allow-kong"],
	}
}

test_compliant if {
	inp := object.union(_estate, {"firewalls": [
		{"id": "sg-alb", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-edge", "rules": [_out("sgr-dp", 0, "tcp", _p(443, 443), _dps)]},
		{"id": "nsg-agw", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-edge", "attached_to": [{"kind": "load-balancer", "id": "agw-edge"}], "rules": [
			_out("AllowKong", 100, "tcp", _p(443, 443), _dps),
			object.union(_out("DenyAll", 4000, "*", [], [{"kind": "any"}]), {"action": "deny"}),
		]},
	]})
	_findings(inp, fixtures.config) == set()
}

test_message if {
	fs := edge_egress.deny with input as _estate with data.config as fixtures.config
	some f in fs
	f.key == "sgr-default"
	f.msg == "Edge firewall aws-security-group sg-alb allows all traffic to 0.0.0.0/0; the edge needs only tcp 443 to the DCGW data plane IPs."
}
