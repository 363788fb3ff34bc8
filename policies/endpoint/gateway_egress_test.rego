package dcgw.endpoint.gateway_egress_test

import data.dcgw.endpoint.gateway_egress
import data.dcgw.lib.ep_fixtures as fx

_out(id, proto, ports, destinations) := {
	"id": id, "direction": "egress", "action": "allow",
	"protocol": proto, "ports": ports, "destinations": destinations,
}

_p(from, to) := [{"from": from, "to": to}]

_cidr(c) := [{"kind": "cidr", "value": c}]

_with_rules(inp, rules) := object.union(inp, {"firewalls": [object.union(inp.firewalls[0], {"rules": rules})]})

_findings(inp) := {[f.resource, f.key] | some f in fs} if {
	fs := gateway_egress.deny with input as inp with data.config as fx.config
}

# IP-only resources behind the gateway: rcfg-a (10.0.1.10:443) and rcfg-single (10.0.1.20:443).
_ip_only := fx.with_endpoints([
	fx.pe("rcfg-group", "GROUP", {"child_ids": ["rcfg-a"], "resource_gateway_id": "rgw-1", "share_ids": [fx.share_arn]}),
	fx.pe("rcfg-a", "CHILD", {"parent_id": "rcfg-group", "definition": fx.ip("10.0.1.10"), "port_ranges": ["443"]}),
	fx.pe("rcfg-single", "SINGLE", {"resource_gateway_id": "rgw-1", "definition": fx.ip("10.0.1.20"), "port_ranges": ["443"]}),
])

test_compliant if {
	inp := _with_rules(_ip_only, [
		_out("to-a", "tcp", _p(443, 443), _cidr("10.0.1.10/32")),
		_out("to-single", "6", _p(443, 443), _cidr("10.0.1.20")),
		_out("to-sg", "tcp", _p(443, 443), [{"kind": "group", "value": "sg-backend"}]),
		_out("to-pl", "tcp", _p(443, 443), [{"kind": "prefix-list", "value": "pl-res"}]),
		# ingress is not this rule's business
		{"id": "in", "direction": "ingress", "action": "allow", "protocol": "all", "sources": _cidr("0.0.0.0/0")},
		object.union(_out("off", "all", [], _cidr("0.0.0.0/0")), {"disabled": true}),
	])
	_findings(object.union(inp, {"prefix_lists": [{"id": "pl-res", "provider": "aws", "cidrs": ["10.0.1.10/32", "10.0.1.20/32"]}]})) == set()
}

test_wide_rules if {
	inp := _with_rules(_ip_only, [
		_out("default", "-1", [], _cidr("0.0.0.0/0")),
		_out("subnet", "tcp", _p(443, 443), _cidr("10.0.1.0/24")),
		_out("ports", "tcp", _p(1, 65535), _cidr("10.0.1.10/32")),
		_out("udp", "udp", _p(443, 443), _cidr("10.0.1.10/32")),
		_out("pl-gone", "tcp", _p(443, 443), [{"kind": "prefix-list", "value": "pl-gone"}]),
		_out("v6", "tcp", _p(443, 443), _cidr("::/0")),
	])
	_findings(inp) == {
		["sg-rgw", "default"],
		["sg-rgw", "subnet"],
		["sg-rgw", "ports"],
		["sg-rgw", "udp"],
		["sg-rgw", "pl-gone"],
		["sg-rgw", "v6"],
	}
}

# A DNS resource (rcfg-b in the estate) widens the allowed destinations to the gateway's
# own network, and its port range counts.
test_dns_resource_allows_gateway_network if {
	inp := _with_rules(fx.estate, [
		_out("vpc", "tcp", _p(8080, 8080), _cidr("10.0.0.0/16")),
		_out("vpc-443", "tcp", _p(443, 443), _cidr("10.0.5.0/24")),
		_out("outside", "tcp", _p(443, 443), _cidr("10.1.0.0/16")),
		_out("open", "tcp", _p(443, 443), _cidr("0.0.0.0/0")),
	])
	_findings(inp) == {["sg-rgw", "outside"], ["sg-rgw", "open"]}
}

# The firewall may be found from its attachment instead of the gateway's list.
test_firewall_attached_to_gateway if {
	inp := object.union(_ip_only, {
		"resource_gateways": [{"id": "rgw-1", "provider": "aws", "network_id": "vpc-1"}],
		"firewalls": [{"id": "sg-att", "provider": "aws", "kind": "aws-security-group", "attached_to": [{"kind": "resource-gateway", "id": "rgw-1"}], "rules": [_out("default", "all", [], _cidr("0.0.0.0/0"))]}],
	})
	_findings(inp) == {["sg-att", "default"]}
}

# Gateways that serve no Konnect configuration are not checked.
test_unrelated_gateway if {
	inp := object.union(_ip_only, {
		"resource_gateways": array.concat(_ip_only.resource_gateways, [{"id": "rgw-2", "provider": "aws", "firewall_ids": ["sg-2"]}]),
		"firewalls": [{"id": "sg-2", "provider": "aws", "kind": "aws-security-group", "rules": [_out("default", "all", [], _cidr("0.0.0.0/0"))]}],
	})
	_findings(inp) == set()
}

test_message if {
	inp := _with_rules(_ip_only, [_out("default", "-1", [], _cidr("0.0.0.0/0"))])
	fs := gateway_egress.deny with input as inp with data.config as fx.config
	some f in fs
	f.msg == "Security group sg-rgw of resource gateway rgw-1 allows all traffic to 0.0.0.0/0; the gateway needs only tcp 443 to 10.0.1.10/32, 10.0.1.20/32."
	f.evidence.wide_destinations == ["0.0.0.0/0"]
	f.evidence.wide_traffic == ["all protocols"]
}
