# METADATA
# title: CIDR blocks declared to Konnect overlap
# description: >-
#   The customer ranges declared to Konnect (cidr_blocks of the AWS transit gateway and
#   VPC peering attachments) of one Dedicated Cloud Gateway network overlap each other,
#   across attachments or within one, or overlap the Konnect network CIDR. Kong builds
#   its route table from these blocks: of two overlapping blocks only one route can
#   win, so part of the traffic goes over the wrong attachment or nowhere.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/transit-gateways/
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-vpc-peering/
# custom:
#   id: DCGW-CIDR-007
#   severity: high
#   connectivity: [peering, hub]
#   providers: [konnect, aws]
#   inputs: [konnect.networks]
#   remediation: >-
#     Declare each customer range once per Konnect network, on the attachment that
#     reaches it, and never a range that overlaps the Konnect CIDR. On a transit gateway
#     attachment, edit cidr_blocks; a VPC peering attachment must be recreated to change
#     them.
package dcgw.cidr.declared_blocks_overlap

import data.dcgw.lib.netaddr
import data.dcgw.lib.topology

# items are the ranges compared within one Konnect network: every declared block
# (attachment = its id) and the Konnect CIDR (attachment = "").
items contains {"kn": a.konnect_network_id, "attachment": a.id, "cidr": c} if {
	some a in topology.kong_attachments
	some c in object.get(a, "cidr_blocks", [])
}

items contains {"kn": n.id, "attachment": "", "cidr": n.cidr} if {
	some n in input.konnect.networks
	count([1 | some a in object.get(n, "attachments", []); count(object.get(a, "cidr_blocks", [])) > 0]) > 0
}

# by_bucket[[konnect network id, home bucket]] are the items of that bucket (see
# dcgw.lib.netaddr: comparing each item with the members of its probe buckets finds
# every overlapping pair without comparing all pairs).
_homes := {[x.kn, netaddr.bucket(x.cidr), x] | some x in items}

by_bucket := {[kn, b]: xs |
	some [kn, b, _] in _homes
	xs := {x | some [kn2, b2, x] in _homes; kn2 == kn; b2 == b}
}

# pairs are the overlapping [narrower-or-equal item, other item] pairs.
pairs contains [x, y] if {
	some x in items
	some b in netaddr.probe_buckets(x.cidr)
	some y in by_bucket[[x.kn, b]]
	x != y
	netaddr.overlaps(x.cidr, y.cidr)
}

# sides are the findings' raw material: for each declared block in an overlapping pair,
# {kn, attachment, cidr, other (cidr), other_attachment}. Within one attachment, the
# pair is kept once (the smaller cidr first).
sides contains side(x, y) if {
	some [x, y] in pairs
	x.attachment != ""
	x.attachment != y.attachment
}

sides contains side(y, x) if {
	some [x, y] in pairs
	y.attachment != ""
	x.attachment != y.attachment
}

sides contains side(a, b) if {
	some [x, y] in pairs
	x.attachment == y.attachment
	[a, b] := ordered(x, y)
}

ordered(x, y) := [x, y] if x.cidr < y.cidr

else := [y, x]

side(x, y) := {"kn": x.kn, "attachment": x.attachment, "cidr": x.cidr, "other": y.cidr, "other_attachment": y.attachment}

deny contains f if {
	some s in sides
	others := {describe(s.attachment, o.other_attachment) |
		some o in sides
		o.attachment == s.attachment
		o.cidr == s.cidr
		o.other == s.other
	}
	f := {
		"resource": s.attachment,
		"key": sprintf("%s|%s", [s.cidr, s.other]),
		"msg": sprintf("Konnect attachment %s of network %s declares %s, which overlaps %s on %s: only one route to the overlapping addresses can win.", [
			s.attachment, topology.konnect_name(topology.konnect_networks_by_id[s.kn]), s.cidr, s.other, concat(", ", sort(others)),
		]),
		"evidence": {
			"konnect_network_id": s.kn,
			"cidr": s.cidr,
			"overlapping_cidr": s.other,
			"overlapping_on": sort(others),
		},
	}
}

# describe names where the other range of a pair is declared.
describe(self, other) := "the Konnect network CIDR" if {
	other == ""
} else := "the same attachment" if {
	other == self
} else := sprintf("attachment %s", [other])
