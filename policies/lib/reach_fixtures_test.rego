# METADATA
# description: >-
#   Fixtures for rules that decide on input.reach: destinations, hops and flows in the
#   shape the reachability model (package reach) gives them, and a small estate with the
#   firewalls they name. Shared by the firewall rules' tests.
package dcgw.lib.reach_fixtures

konnect := {"networks": [{
	"id": "kn-1",
	"provider": "aws",
	"cidr": "10.100.0.0/16",
	"data_plane_ips": ["10.100.1.10", "10.100.2.10"],
	"attachments": [{"id": "att-aws", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-app"}],
}]}

# dest is a destination of interfaces behind the subnet's ACL and a security group.
dest(key, subnet, extra) := object.union(
	{
		"key": key, "kind": "interfaces", "id": subnet, "provider": "aws",
		"network_id": "vpc-app", "subnet_id": subnet, "firewall_ids": ["acl-app", "sg-app"],
	},
	extra,
)

# edge_dest is an edge load balancer behind its security group.
edge_dest(key, listener_ports) := {
	"key": key, "kind": "load-balancer", "id": "alb-edge", "provider": "aws",
	"network_id": "vpc-edge", "firewall_ids": ["sg-alb"], "edge": true, "listener_ports": listener_ports,
}

nacl_hop := {
	"kind": "filter", "resource_id": "acl-app", "resource_kind": "aws-network-acl", "key": "ingress/100",
	"action": "allow", "direction": "ingress", "reply_key": "egress/100", "reply_ports": [{"from": 1024, "to": 65535}],
	"rule_index": 0,
}

# sg_hop is the security group rule fw.rules[index] (key) admitting a flow.
sg_hop(fw, key, index) := {
	"kind": "filter", "resource_id": fw, "resource_kind": "aws-security-group", "key": key,
	"action": "allow", "direction": "ingress", "rule_index": index,
}

# flow is an admitted flow from a source to the destination key on proto and ports; the
# last allowing filter hop that names a firewall admits it, as the model marks it.
flow(source, dest_key, proto, ports, hops) := {
	"source": source, "destination": dest_key, "protocol": proto, "ports": ports, "hops": _mark(hops),
	"forward_routed": true, "return_routed": true,
}

_admitting(h) if {
	h.kind == "filter"
	h.action == "allow"
	object.get(h, "resource_kind", "") != ""
}

_mark(hops) := [_marked(h, i == last) | some i, h in hops] if {
	last := max([i | some i, h in hops; _admitting(h)])
} else := hops

_marked(h, true) := object.union(h, {"admits": true})

_marked(h, false) := h

# admitting is hop h as the model marks the hop that admits a flow.
admitting(h) := _marked(h, true)

# _all_ports are the flows of every protocol, or of a port protocol on every port.
_all_ports(fl) if fl.protocol in {"all", "other"}

_all_ports(fl) if {
	fl.protocol in {"tcp", "udp", "sctp", "6", "17", "132"}
	some p in fl.ports
	p.from <= 1
	p.to == 65535
}

internet := {"class": "internet", "addresses": ["0.0.0.0/0"]}

kong_dp := {"class": "kong-dp", "id": "kn-1", "addresses": ["10.100.1.10", "10.100.2.10"]}

kong_network := {"class": "kong-network", "id": "kn-1", "addresses": ["10.100.0.0/16"]}

p(from, to) := [{"from": from, "to": to}]

ingress(id, proto, ports, sources) := {
	"id": id, "direction": "ingress", "action": "allow", "protocol": proto, "ports": ports, "sources": sources,
}

cidr(c) := {"kind": "cidr", "value": c}

# firewalls are the firewalls the hops name: the default ACL, the upstream group and the
# edge's group; each rule's index is what the hops' rule_index says.
firewalls := [
	{"id": "acl-app", "provider": "aws", "kind": "aws-network-acl", "network_id": "vpc-app", "rules": [
		object.union(ingress("", "all", [], [cidr("0.0.0.0/0")]), {"priority": 100}),
	]},
	{"id": "sg-app", "name": "app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "stateful": true, "rules": [
		ingress("sgr-ssh", "tcp", p(22, 22), [cidr("0.0.0.0/0")]),
		ingress("sgr-dp", "tcp", p(443, 443), [cidr("10.100.1.10/32"), cidr("10.100.2.10/32")]),
		ingress("sgr-kong", "tcp", p(443, 443), [cidr("10.100.0.0/16")]),
		ingress("sgr-partner", "tcp", p(8443, 8443), [cidr("10.100.0.0/16")]),
		ingress("sgr-all", "all", [], [cidr("10.100.1.10/32")]),
	]},
	{"id": "sg-alb", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-edge", "stateful": true, "rules": [
		ingress("sgr-https", "tcp", p(443, 443), [cidr("0.0.0.0/0")]),
		ingress("sgr-alb-ssh", "tcp", p(22, 22), [cidr("0.0.0.0/0")]),
	]},
]

# estate is the estate with the given destinations and flows as input.reach.
estate(dests, flows) := {
	"konnect": konnect,
	"firewalls": firewalls,
	"reach": {
		"destinations": {d.key: d | some d in dests},
		"flows": flows,
		"flows_by_class": {c: [i | some i, fl in flows; fl.source.class == c] | some c in {fl.source.class | some fl in flows}},
		"all_port_flows": [i | some i, fl in flows; _all_ports(fl)],
	},
}
