# METADATA
# title: Gateway-facing destination admits more of the Konnect network than the data plane IPs
# description: >-
#   Traffic from the Konnect network outside the DCGW data plane IPs (for example the whole
#   Kong /16 instead of the data plane /32s) is admitted by every filtering layer in front
#   of a gateway-facing destination (input.reach), and the rule that admits it names no
#   allowed source range. Everything else Kong runs in that network can then reach the
#   upstream. Prefix lists are expanded; Azure's AllowVnetInBound default admits the whole
#   peered Konnect range unless a rule before it narrows that, and is then the rule named.
#   Internet-wide sources are DCGW-FW-001's.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
# custom:
#   id: DCGW-FW-002
#   severity: high
#   cost: high
#   connectivity: [peering, hub, private-endpoint]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, route_tables, peerings, hub_attachments, hub_route_tables, firewalls, prefix_lists, load_balancers, target_groups, resource_gateways]
#   remediation: >-
#     Replace the range with the DCGW data plane private IPs, each as a /32 (Konnect shows
#     them per data plane group; they are static). If another range is really needed, add it
#     to `allowed_source_ranges` in the scanner config. On Azure, add a rule before
#     AllowVnetInBound that admits only the data plane IPs and denies the rest of the range.
package dcgw.firewall.wide_konnect_source

import data.dcgw.lib.edge
import data.dcgw.lib.netaddr
import data.dcgw.lib.reach

# _hits are the flows from the rest of a Konnect network (its CIDR without the data
# plane IPs), as [[firewall id, rule key of the rule that admits them], flow index].
_hits := [[[hop.resource_id, hop.key], i] |
	some i in object.get(reach.flows_of_class, "kong-network", [])
	flow := input.reach.flows[i]
	not flow.source.within_destination_network
	hop := reach.admitting_hop(flow)
	not _open_or_allowed(hop)
]

_groups := {g: idxs |
	some g in {k | some [k, _] in _hits}
	idxs := [i | some [g2, i] in _hits; g2 == g]
}

deny contains f if {
	some [fw_id, key], idxs in _groups
	flows := [input.reach.flows[i] | some i in idxs]
	hop := reach.admitting_hop(flows[0])
	kong := sort({c | some fl in flows; some c in fl.source.addresses})
	dests := reach.destinations_text(flows)
	traffic := reach.traffic_of(flows)
	f := {
		"resource": fw_id,
		"key": key,
		"msg": sprintf("%s rule %s admits %s from the Konnect network %s, not only its data plane IPs, to %s; allow the data plane IPs as /32s instead.", [
			reach.firewall_text(hop),
			key,
			concat("; ", traffic),
			concat(", ", kong),
			reach.some_of(dests),
		]),
		"evidence": {
			"firewall_kind": object.get(hop, "resource_kind", ""),
			"rule_key": key,
			"traffic": traffic,
			"konnect_cidrs": kong,
			"data_plane_ips": sort(edge.dp_ip_set),
			"destinations": dests,
		},
		"path": flows[0].hops,
	}
}

# _open_or_allowed: the admitting rule is in the snapshot and every source of it that
# reaches into a Konnect network is either internet-wide (DCGW-FW-001 reports that) or
# inside an allowed source range.
_open_or_allowed(hop) if {
	rule := reach.rule_of(hop)
	some a in rule.sources
	edge.open_address(a)
}

_open_or_allowed(hop) if {
	rule := reach.rule_of(hop)
	wide := [c |
		some a in rule.sources
		some c in edge.address_cidrs(a)
		count(netaddr.overlapping(_kong_cidrs, c)) > 0
	]
	count(wide) > 0
	every c in wide {
		_allowed(c)
	}
}

_kong_cidrs := {n.cidr | some n in input.konnect.networks}

_allowed(c) if {
	some r in data.config.allowed_source_ranges
	netaddr.within(c, r)
}
