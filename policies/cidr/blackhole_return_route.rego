# METADATA
# title: Return route to Kong is a blackhole or a drop
# description: >-
#   The most specific route for the Konnect network CIDR in the route table of a subnet
#   hosting upstreams drops the traffic: its target is gone (state blackhole, e.g. a
#   deleted peering or detached gateway) or it is an explicit drop route. Replies to
#   the gateway are discarded.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/network-architecture/
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html
# custom:
#   id: DCGW-CIDR-004
#   severity: high
#   connectivity: [peering, hub]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, route_tables, peerings, hub_attachments, hub_route_tables, prefix_lists]
#   cost: high
#   remediation: >-
#     For a blackhole route, point the route at the live peering connection or hub
#     attachment (recreate it if the peering was deleted and re-established). For an
#     explicit drop route, remove it or narrow it so it no longer covers the Konnect
#     network CIDR.
package dcgw.cidr.blackhole_return_route

import data.dcgw.lib.routes
import data.dcgw.lib.topology

deny contains f if {
	some u in routes.upstream_checks
	rt := routes.route_tables_by_id[u.route_table_id]
	kn := topology.konnect_networks_by_id[u.konnect_network_id]
	path := routes.return_path(object.get(rt, "routes", []), kn.cidr)
	path.verdict in {"blackhole", "drop"}
	best := [c | some c in path.best; dropping(c.route)][0]
	f := {
		"resource": rt.id,
		"key": kn.cidr,
		"msg": message(path.verdict, rt.id, kn, best),
		"evidence": {
			"konnect_network_id": kn.id,
			"konnect_cidr": kn.cidr,
			"subnet_ids": u.subnet_ids,
			"verdict": path.verdict,
			"route": best.route,
		},
	}
}

dropping(r) if routes.is_blackhole(r)

dropping(r) if routes.is_drop(r)

message("blackhole", tid, kn, best) := sprintf(
	"Route table %s sends the Konnect network CIDR %s (%s) via %s to %s %s, which no longer exists (blackhole): the target is dead, replies to Kong are dropped.",
	[tid, kn.cidr, topology.konnect_name(kn), best.destination, best.route.target_kind, object.get(best.route, "target_id", "")],
)

message("drop", tid, kn, best) := sprintf(
	"Route table %s drops the Konnect network CIDR %s (%s) on purpose: route %s has no target (explicit drop), replies to Kong are discarded.",
	[tid, kn.cidr, topology.konnect_name(kn), best.destination],
)
