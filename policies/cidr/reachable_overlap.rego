# METADATA
# title: Networks reachable from Kong overlap each other
# description: >-
#   Two customer networks connected to the same Dedicated Cloud Gateway network (by
#   peering or through a hub route table) have overlapping ranges. Kong routes a
#   destination to one next hop only, so upstreams in one of the two networks are
#   unreachable (and a TGW silently skips propagating the second overlapping VPC).
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/network-architecture/
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
# custom:
#   id: DCGW-CIDR-002
#   severity: high
#   connectivity: [peering, hub]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, peerings, hub_attachments, hub_route_tables]
#   remediation: >-
#     Renumber one of the two networks, or stop connecting one of them to Kong (remove
#     the peering, or its association/propagation in Kong's hub route table) so that
#     every range Kong can reach is unique.
package dcgw.cidr.reachable_overlap

import data.dcgw.lib.netaddr
import data.dcgw.lib.topology

# blocks are the ranges of the networks reachable from Kong, each in its home bucket.
blocks contains {"network_id": nid, "cidr": c, "bucket": netaddr.bucket(c)} if {
	some nid in topology.connected_networks
	some c in topology.connected_blocks[nid]
}

by_bucket := {b: members |
	some b in {x.bucket | some x in blocks}
	members := [x | some x in blocks; x.bucket == b]
}

# pairs are the overlapping [smaller network, larger network, its cidr, other cidr] of
# networks that share a Konnect network. Each block is compared only with the blocks
# of its probe buckets (see dcgw.lib.netaddr).
pairs contains _ordered(x, y) if {
	some x in blocks
	some b in netaddr.probe_buckets(x.cidr)
	some y in by_bucket[b]
	x.network_id != y.network_id
	netaddr.overlaps(x.cidr, y.cidr)
	_shared(x.network_id, y.network_id)
}

_ordered(x, y) := [x.network_id, y.network_id, x.cidr, y.cidr] if x.network_id < y.network_id

_ordered(x, y) := [y.network_id, x.network_id, y.cidr, x.cidr] if x.network_id > y.network_id

overlaps_by_pair := {[a, b]: cidr_pairs |
	some [a, b] in {[p[0], p[1]] | some p in pairs}
	cidr_pairs := {[p[2], p[3]] | some p in pairs; p[0] == a; p[1] == b}
}

_shared(a, b) if count(topology.konnect_networks_of[a] & topology.konnect_networks_of[b]) > 0

# One finding per pair of networks; the key names the first overlapping pair of blocks.
deny contains f if {
	some nids, cidr_pairs in overlaps_by_pair
	overlaps := sort(cidr_pairs)
	first := overlaps[0]
	f := {
		"resource": nids[0],
		"key": sprintf("%s|%s|%s", [nids[1], first[0], first[1]]),
		"msg": sprintf(
			"Networks %s (%s) and %s (%s) are both reachable from Kong and overlap: Kong can route to only one of them.",
			[nids[0], first[0], nids[1], first[1]],
		),
		"evidence": {
			"network_id": nids[0],
			"other_network_id": nids[1],
			"overlaps": overlaps,
			"konnect_network_ids": sort(topology.konnect_networks_of[nids[0]] & topology.konnect_networks_of[nids[1]]),
		},
	}
}
