# METADATA
# title: Edge admits the internet beyond its listeners' ports
# description: >-
#   An edge load balancer's filtering layers (its security groups, the NSG of an
#   Application Gateway's subnet) admit traffic from the whole internet on ports or
#   protocols none of its listeners uses: tcp 22 from 0.0.0.0/0 next to an HTTPS listener
#   on 443, or all traffic. An edge accepts the internet by design, but only on its
#   listeners; anything more is one listener, target or attachment change away from an
#   exposed service, and the same group is often reused on instances. Decided on the path
#   (input.reach); ICMP is left out.
# related_resources:
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
# custom:
#   id: DCGW-FW-006
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, route_tables, firewalls, prefix_lists, load_balancers, target_groups]
#   remediation: >-
#     Let the edge's security group admit the internet on its listeners' ports only (tcp 443,
#     and 80 if an HTTP listener redirects to HTTPS); remove every other ingress rule from
#     0.0.0.0/0 or ::/0, and use a separate group for anything else.
package dcgw.firewall.edge_open_ports

import data.dcgw.lib.reach

_port_protocols := {"tcp", "udp", "6", "17"}

# _hits are the internet flows to edge load balancers beyond their listeners' ports, as
# [[firewall id, rule key of the rule that admits them], flow index].
_hits := [[[hop.resource_id, hop.key], i] |
	some i in object.get(reach.flows_of_class, "internet", [])
	flow := input.reach.flows[i]
	dest := reach.destination(flow)
	dest.edge
	_beyond_listeners(flow, {p | some p in object.get(dest, "listener_ports", [])})
	hop := reach.admitting_hop(flow)
]

_groups := {g: idxs |
	some g in {k | some [k, _] in _hits}
	idxs := [i | some [g2, i] in _hits; g2 == g]
}

deny contains f if {
	some [fw_id, key], idxs in _groups
	flows := [input.reach.flows[i] | some i in idxs]
	hop := reach.admitting_hop(flows[0])
	lbs := sort({reach.destination(fl).id | some fl in flows})
	listeners := sort({p | some fl in flows; some p in object.get(reach.destination(fl), "listener_ports", [])})
	traffic := reach.traffic_of(flows)
	f := {
		"resource": fw_id,
		"key": key,
		"msg": sprintf("%s rule %s admits %s from the internet to the edge load balancer %s, whose listeners use %s; admit the internet on the listener ports only.", [
			reach.firewall_text(hop),
			key,
			concat("; ", traffic),
			reach.some_of(lbs),
			_ports_text(listeners),
		]),
		"evidence": {
			"firewall_kind": object.get(hop, "resource_kind", ""),
			"rule_key": key,
			"traffic": traffic,
			"load_balancers": lbs,
			"listener_ports": listeners,
		},
		"path": flows[0].hops,
	}
}

# _beyond_listeners: the flow is every protocol, or a port protocol on a port that no
# listener uses.
_beyond_listeners(flow, _) if flow.protocol in {"all", "other"}

_beyond_listeners(flow, listeners) if {
	flow.protocol in _port_protocols
	some r in flow.ports
	count({p | some p in listeners; p >= r.from; p <= r.to}) < (r.to - r.from) + 1
}

_ports_text(ports) := "no ports" if count(ports) == 0

_ports_text(ports) := concat(", ", [sprintf("%d", [p]) | some p in ports]) if count(ports) > 0
