# METADATA
# title: Edge firewall lets the edge reach more than the DCGW data plane IPs on the gateway port
# description: >-
#   The firewall of an edge load balancer should let the edge reach the DCGW data plane
#   private IPs on the gateway port and nothing wider. An egress allow rule to any other
#   destination (a wider CIDR, 0.0.0.0/0, a service tag, a group) or to other ports or
#   protocols turns the edge into a path from the internet to the rest of the network.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
# custom:
#   id: DCGW-FW-005
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, load_balancers, target_groups, firewalls, prefix_lists]
#   remediation: >-
#     Replace the edge firewall's egress rules with one rule per DCGW data plane private IP
#     (as a /32) on tcp and the gateway port (`gateway_port`, 443 by default). On AWS remove
#     the default "all traffic to 0.0.0.0/0" egress rule of the load balancer's security group.
package dcgw.firewall.edge_egress

import data.dcgw.lib.edge

_port_protocols := {"tcp", "udp", "6", "17"}

deny contains f if {
	some fw_id in edge.edge_firewalls
	fw := edge.firewalls_by_id[fw_id]
	some rule in fw.rules
	edge.active_allow(rule, "egress")
	wide_destinations := sort([d | some a in object.get(rule, "destinations", []); some d in _wide(a)])
	wide_ports := _wide_ports(rule)
	count(wide_destinations) + count(wide_ports) > 0
	not edge.shadowed(fw, rule)
	f := {
		"resource": fw.id,
		"key": edge.rule_key(rule),
		"msg": sprintf("Edge firewall %s %s allows %s to %s; the edge needs only tcp %d to the DCGW data plane IPs.", [
			fw.kind,
			edge.display_name(fw),
			edge.traffic_text(rule),
			_dest_text(rule),
			data.config.gateway_port,
		]),
		"evidence": {
			"firewall_kind": fw.kind,
			"load_balancer_ids": sort(edge.firewall_lbs[fw.id] & edge.edge_load_balancers),
			"rule": rule,
			"wide_destinations": wide_destinations,
			"wide_ports": wide_ports,
			"gateway_port": data.config.gateway_port,
			"data_plane_ips": sort(edge.dp_ip_set),
		},
	}
}

# _wide(a) are the parts of a destination that are not a data plane IP: CIDRs (prefix
# lists expanded) other than a data plane IP, or the address itself when it is not a CIDR.
_wide(a) := {c | some c in edge.address_cidrs(a); not edge.ip_of(c) in edge.dp_ip_set} if {
	edge.resolvable(a)
} else := {edge.address_text(a)}

# _wide_ports are the port ranges (or "all") of a rule beyond the gateway port.
_wide_ports(rule) := ["all"] if {
	lower(rule.protocol) in edge.all_protocols
} else := sort([r |
	lower(rule.protocol) in _port_protocols
	some p in edge.rule_ports(rule)
	not _gateway_range(p)
	r := sprintf("%d-%d", [p.from, p.to])
])

_gateway_range(p) if {
	p.from == data.config.gateway_port
	p.to == data.config.gateway_port
}

_dest_text(rule) := concat(", ", sort([edge.address_text(a) | some a in rule.destinations])) if {
	count(object.get(rule, "destinations", [])) > 0
} else := "its own members"
