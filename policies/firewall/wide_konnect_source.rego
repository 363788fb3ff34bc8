# METADATA
# title: Gateway-facing firewall admits more of the Konnect network than the data plane IPs
# description: >-
#   An ingress allow rule on a firewall that protects upstreams reachable from Kong names a
#   source range that overlaps a Konnect network CIDR but is wider than the DCGW data plane
#   IPs (for example the whole Kong /16 instead of the data plane /32s) and is not one of the
#   allowed source ranges. Everything else Kong runs in that network can then reach the
#   upstream. Prefix lists are expanded; internet-wide sources are DCGW-FW-001's.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
# custom:
#   id: DCGW-FW-002
#   severity: high
#   connectivity: [peering, hub, private-endpoint]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, peerings, hub_attachments, hub_route_tables, subnets, firewalls, prefix_lists, load_balancers, target_groups, resource_gateways]
#   cost: high
#   remediation: >-
#     Replace the range with the DCGW data plane private IPs, each as a /32 (Konnect shows
#     them per data plane group; they are static). If another range is really needed, add it
#     to `allowed_source_ranges` in the scanner config.
package dcgw.firewall.wide_konnect_source

import data.dcgw.lib.edge
import data.dcgw.lib.netaddr
import data.dcgw.lib.topology

deny contains f if {
	some fw_id in edge.gateway_facing_firewalls
	fw := edge.firewalls_by_id[fw_id]
	some rule in fw.rules
	edge.active_allow(rule, "ingress")
	some a in rule.sources
	not edge.open_address(a)
	some c in edge.address_cidrs(a)
	kong := sort(netaddr.overlapping(topology.kong_cidrs, c))
	count(kong) > 0
	not _narrow(c)
	not edge.shadowed(fw, rule)
	f := {
		"resource": fw.id,
		"key": concat("|", [edge.rule_key(rule), c]),
		"msg": sprintf("%s %s allows %s from %s, which covers more of the Konnect network %s than the DCGW data plane IPs; allow the data plane IPs as /32s instead.", [
			fw.kind,
			edge.display_name(fw),
			edge.traffic_text(rule),
			c,
			concat(", ", kong),
		]),
		"evidence": {
			"firewall_kind": fw.kind,
			"network_id": object.get(fw, "network_id", ""),
			"rule": rule,
			"source": a,
			"source_cidr": c,
			"konnect_cidrs": kong,
			"data_plane_ips": sort(edge.dp_ip_set),
		},
	}
}

# _narrow: the source is one of the data plane IPs or inside an allowed source range.
_narrow(c) if {
	some ip in edge.dp_ip_set
	netaddr.within(c, netaddr.as_cidr(ip))
}

_narrow(c) if {
	some r in data.config.allowed_source_ranges
	netaddr.within(c, r)
}
