# METADATA
# title: Gateway-facing destination admits all protocols or all ports
# description: >-
#   Every protocol, or every port (0-65535 or 1-65535) of a protocol, is admitted by every
#   filtering layer in front of a gateway-facing destination (input.reach), from a source
#   outside the destination's own network that is not named by a security group, tag or
#   service account: the internet, Kong's network or data plane IPs, an edge load
#   balancer, another customer network, or any other address range (on-premises, a
#   partner's). Kong Gateway only needs the upstream services'
#   own ports. Traffic within the destination network's own address space is not wide, and
#   neither is a default allow-all network ACL in front of a security group that admits
#   only the service ports.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
# custom:
#   id: DCGW-FW-003
#   severity: medium
#   cost: high
#   connectivity: [peering, hub, private-endpoint]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, route_tables, peerings, hub_attachments, hub_route_tables, firewalls, prefix_lists, load_balancers, target_groups, resource_gateways]
#   remediation: >-
#     Limit the rule to the protocol (tcp) and the ports your upstream services listen on.
package dcgw.firewall.all_traffic

import data.dcgw.lib.reach

# _hits are the all-ports flows from outside the destination's network, as [[firewall
# id, rule key of the rule that admits them], flow index].
_hits := [[[hop.resource_id, hop.key], i] |
	some i in reach.all_port_flows
	flow := input.reach.flows[i]
	not flow.source.within_destination_network
	object.get(flow.source, "group_ref", "") == ""
	not reach.destination(flow).edge
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
	sources := sort({_source_text(src) | some src in {fl.source | some fl in flows}})
	dests := reach.destinations_text(flows)
	traffic := reach.traffic_of(flows)
	f := {
		"resource": fw_id,
		"key": key,
		"msg": sprintf("%s rule %s admits %s from %s to %s; allow only the protocol and ports your upstream services use.", [
			reach.firewall_text(hop),
			key,
			concat("; ", traffic),
			concat(", ", sources),
			reach.some_of(dests),
		]),
		"evidence": {
			"firewall_kind": object.get(hop, "resource_kind", ""),
			"rule_key": key,
			"traffic": traffic,
			"sources": sources,
			"destinations": dests,
		},
		"path": flows[0].hops,
	}
}

_source_text(s) := "the internet" if s.class == "internet"

_source_text(s) := sprintf("the data plane IPs of %s", [s.id]) if s.class == "kong-dp"

_source_text(s) := sprintf("the Konnect network %s", [concat(", ", s.addresses)]) if s.class == "kong-network"

_source_text(s) := sprintf("edge load balancer %s", [s.id]) if s.class == "edge"

_source_text(s) := sprintf("network %s", [s.id]) if s.class == "network"

_source_text(s) := sprintf("the range %s", [s.id]) if s.class == "range"
