# METADATA
# title: Default route in Kong's hub route table
# description: >-
#   The hub route table that looks up Kong's traffic has an active default route
#   (0.0.0.0/0 or ::/0). Kong can send traffic to any destination behind its next hop
#   (an egress VPC, a firewall, on-premises), not only to the upstream networks.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
#   - ref: https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
# custom:
#   id: DCGW-HUB-005
#   severity: high
#   connectivity: [hub]
#   providers: [aws, azure]
#   inputs: [konnect.networks, hub_attachments, hub_route_tables, prefix_lists]
#   remediation: >-
#     Remove the default route from Kong's route table and route only the upstream
#     prefixes Kong needs (static routes or propagation from the allowed spokes).
package dcgw.hub.default_route

import data.dcgw.lib.netaddr
import data.dcgw.lib.routes
import data.dcgw.lib.topology

deny contains f if {
	some tid in topology.kong_route_tables
	some route in topology.hub_route_tables_by_id[tid].routes
	topology.active_route(route)
	some d in routes.destinations(route)
	netaddr.is_open(d)
	hops := sort(object.get(route, "attachment_ids", []))
	f := {
		"resource": tid,
		"key": d,
		"msg": sprintf(
			"Kong's hub route table %s has a default route %s to %s: Kong can reach any destination behind it.",
			[tid, d, next_hops(hops)],
		),
		"evidence": {"route_table_id": tid, "route": route, "next_hops": hops},
	}
}

next_hops(hops) := concat(", ", hops) if count(hops) > 0

next_hops(hops) := "no next hop" if count(hops) == 0
