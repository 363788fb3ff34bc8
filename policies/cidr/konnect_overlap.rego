# METADATA
# title: Konnect network CIDR overlaps a connected network
# description: >-
#   The CIDR of a Dedicated Cloud Gateway network overlaps a range of a customer
#   network connected to it (network blocks, subnet and secondary ranges, the ranges a
#   peering or a Konnect attachment reports) or a destination routed by Kong's hub
#   route table. Overlapping addresses cannot be routed: peerings refuse to come up or
#   traffic to those upstreams never leaves Kong's network.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/network-architecture/
#   - ref: https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
# custom:
#   id: DCGW-CIDR-001
#   severity: critical
#   connectivity: [peering, hub]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, peerings, hub_attachments, hub_route_tables, prefix_lists]
#   remediation: >-
#     Renumber the customer range (or move the upstreams to a non-overlapping secondary
#     range) so that it does not overlap the Konnect network CIDR. The Konnect CIDR is
#     immutable: changing it means recreating the network, which changes the data plane
#     IPs. For a hub, stop propagating or routing the overlapping prefix into Kong's route table.
package dcgw.cidr.konnect_overlap

import data.dcgw.lib.netaddr
import data.dcgw.lib.routes
import data.dcgw.lib.topology

# hits are every overlap with where it was seen; deny keeps one finding per
# (Konnect network, resource, overlapping range).
# A block of a connected network overlaps (connected_blocks: a subnet range inside an
# overlapping network block would only repeat it).
hits contains h if {
	some nid, kns in topology.konnect_networks_of
	some kn_id in kns
	kn := topology.konnect_networks_by_id[kn_id]
	some other in topology.connected_blocks[nid]
	netaddr.overlaps(kn.cidr, other)
	h := hit(kn, nid, other, "network", nid)
}

# A peering with Kong reports an overlapping range for its customer side (the ranges
# the provider has, which may lag or lead the network's own).
hits contains h if {
	some pair in topology.peering_konnect
	p := topology.peerings_by_id[pair[0]]
	kn := topology.konnect_networks_by_id[pair[1]]
	side := topology.customer_side(p)
	some other in array.concat(object.get(side, "cidrs", []), object.get(side, "peered_cidrs", []))
	netaddr.overlaps(kn.cidr, other)
	h := hit(kn, object.get(side, "network_id", p.id), other, "peering", p.id)
}

# A Konnect attachment declares an overlapping customer range (cidr_blocks).
hits contains h if {
	some a in topology.kong_attachments
	kn := topology.konnect_networks_by_id[a.konnect_network_id]
	some other in a.cidr_blocks
	netaddr.overlaps(kn.cidr, other)
	h := hit(kn, object.get(a, "network_id", a.id), other, "attachment", a.id)
}

# Kong's hub route table routes a destination that overlaps the Konnect CIDR (a
# propagated spoke, VPN or Direct Connect prefix). Default routes are left to
# DCGW-HUB-005; routes back to Kong's own attachment carry Kong's own range.
hits contains h if {
	some [tid, kn_id] in topology.kong_route_table_konnect
	kn := topology.konnect_networks_by_id[kn_id]
	some route in topology.hub_route_tables_by_id[tid].routes
	topology.active_route(route)
	some aid in route.attachment_ids
	not aid in topology.kong_hub_attachments
	some other in routes.destinations(route)
	not netaddr.is_open(other)
	netaddr.overlaps(kn.cidr, other)
	h := hit(kn, tid, other, "hub route to", aid)
}

hit(kn, resource, other, source, source_id) := {
	"konnect_network_id": kn.id,
	"konnect_cidr": kn.cidr,
	"resource": resource,
	"cidr": other,
	"seen": sprintf("%s %s", [source, source_id]),
}

deny contains f if {
	some h in hits
	seen := sort({x.seen |
		some x in hits
		x.konnect_network_id == h.konnect_network_id
		x.resource == h.resource
		x.cidr == h.cidr
	})
	f := {
		"resource": h.resource,
		"key": sprintf("%s|%s", [h.konnect_cidr, h.cidr]),
		"msg": sprintf(
			"Konnect network %s (%s) overlaps %s of %s: Kong cannot route to the overlapping addresses (seen on %s).",
			[topology.konnect_name(topology.konnect_networks_by_id[h.konnect_network_id]), h.konnect_cidr, h.cidr, h.resource, concat(", ", seen)],
		),
		"evidence": {
			"konnect_network_id": h.konnect_network_id,
			"konnect_cidr": h.konnect_cidr,
			"overlapping_cidr": h.cidr,
			"seen_on": seen,
		},
	}
}
