# METADATA
# title: More specific route takes part of the Konnect CIDR away from Kong
# description: >-
#   The route table of a subnet hosting upstreams routes the Konnect network CIDR to
#   Kong, but a more specific route inside that CIDR sends part of it elsewhere (a NAT
#   or internet gateway, an appliance, a VPN, a drop). Longest prefix wins, so replies
#   to the data plane IPs in that part never reach Kong. The network's own local route
#   is left to DCGW-CIDR-001: it exists because the network overlaps the Konnect CIDR.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/network-architecture/
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
# custom:
#   id: DCGW-CIDR-005
#   severity: high
#   connectivity: [peering, hub]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, route_tables, peerings, hub_attachments, hub_route_tables, prefix_lists]
#   cost: high
#   remediation: >-
#     Remove the more specific route, or point it at the same peering or hub as the
#     route to Kong, so that the whole Konnect network CIDR goes to Kong.
package dcgw.cidr.shadowed_return_route

import data.dcgw.lib.netaddr
import data.dcgw.lib.routes
import data.dcgw.lib.topology

deny contains f if {
	some u in routes.upstream_checks
	rt := routes.route_tables_by_id[u.route_table_id]
	kn := topology.konnect_networks_by_id[u.konnect_network_id]
	table_routes := object.get(rt, "routes", [])
	kong := kong_routes(table_routes, kn.cidr)
	count(kong) > 0
	some r in table_routes
	not routes.targets_kong(r)
	r.target_kind != "local"
	some d in routes.destinations(r)
	netaddr.within(d, kn.cidr)
	netaddr.prefix_len(d) > netaddr.prefix_len(kn.cidr)
	shadowed := sort([k | some k in kong; netaddr.within(d, k.destination); netaddr.prefix_len(d) > netaddr.prefix_len(k.destination)])
	count(shadowed) > 0
	f := {
		"resource": rt.id,
		"key": sprintf("%s|%s", [kn.cidr, d]),
		"msg": sprintf(
			"Route table %s sends %s, part of the Konnect network CIDR %s (%s), to %s instead of Kong: it is more specific than the route %s to %s %s.",
			[rt.id, d, kn.cidr, topology.konnect_name(kn), target(r), shadowed[0].destination, shadowed[0].route.target_kind, shadowed[0].route.target_id],
		),
		"evidence": {
			"konnect_network_id": kn.id,
			"konnect_cidr": kn.cidr,
			"subnet_ids": u.subnet_ids,
			"route": r,
			"shadowed_routes": shadowed,
		},
	}
}

# kong_routes are the {route, destination} of active routes to Kong that cover cidr or
# part of it.
kong_routes(table_routes, cidr) := {{"route": r, "destination": d} |
	some r in table_routes
	routes.targets_kong(r)
	some d in routes.destinations(r)
	netaddr.overlaps(d, cidr)
}

target(r) := "a blackhole (dead target)" if routes.is_blackhole(r)

target(r) := "an explicit drop" if {
	not routes.is_blackhole(r)
	routes.is_drop(r)
}

target(r) := sprintf("%s %s", [r.target_kind, r.target_id]) if {
	not routes.is_blackhole(r)
	not routes.is_drop(r)
	object.get(r, "target_id", "") != ""
}

target(r) := r.target_kind if {
	not routes.is_blackhole(r)
	not routes.is_drop(r)
	object.get(r, "target_id", "") == ""
}
