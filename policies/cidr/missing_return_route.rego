# METADATA
# title: Upstream subnet has no return route to Kong
# description: >-
#   The route table of a subnet hosting upstreams does not send the Konnect network
#   CIDR to Kong: no route covers it, or the most specific covering route (per address
#   family, then priority, then static before propagated) goes somewhere other than the
#   peering with Kong or the hub Kong is attached to. Replies to the gateway then leave
#   by the wrong path and connections from Kong time out.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/network-architecture/
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html
# custom:
#   id: DCGW-CIDR-003
#   severity: high
#   connectivity: [peering, hub]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, route_tables, peerings, hub_attachments, hub_route_tables, prefix_lists]
#   cost: high
#   remediation: >-
#     Add a route for the Konnect network CIDR to the route table, targeting the
#     peering connection with Kong (AWS) or the transit gateway / virtual hub Kong is
#     attached to, and remove or narrow any more specific route that takes the CIDR
#     elsewhere. On Azure and GCP make sure the peering is connected so that its system
#     routes are installed, and that no user-defined route overrides them.
package dcgw.cidr.missing_return_route

import data.dcgw.lib.routes
import data.dcgw.lib.topology

deny contains f if {
	some u in routes.upstream_checks
	rt := routes.route_tables_by_id[u.route_table_id]
	kn := topology.konnect_networks_by_id[u.konnect_network_id]
	path := routes.return_path(object.get(rt, "routes", []), kn.cidr)
	path.verdict in {"missing", "elsewhere"}
	f := {
		"resource": rt.id,
		"key": kn.cidr,
		"msg": message(path, rt.id, kn, u.subnet_ids),
		"evidence": {
			"konnect_network_id": kn.id,
			"konnect_cidr": kn.cidr,
			"subnet_ids": u.subnet_ids,
			"verdict": path.verdict,
			"best_routes": path.best,
		},
	}
}

message(path, tid, kn, sids) := sprintf(
	"Route table %s (subnets %s) has no route covering the Konnect network CIDR %s (%s): replies to Kong have no path back.",
	[tid, concat(", ", sids), kn.cidr, topology.konnect_name(kn)],
) if path.verdict == "missing"

message(path, tid, kn, sids) := sprintf(
	"Route table %s (subnets %s) sends the Konnect network CIDR %s (%s) to %s %s via %s, not to the peering or hub that connects Kong.",
	[tid, concat(", ", sids), kn.cidr, topology.konnect_name(kn), best.route.target_kind, object.get(best.route, "target_id", ""), best.destination],
) if {
	path.verdict == "elsewhere"
	best := path.best[0]
}
