# METADATA
# title: Konnect network CIDR outside the allowed ranges or overlapping a reserved range
# description: >-
#   The CIDR of a Dedicated Cloud Gateway network does not lie inside one of the ranges
#   Konnect allows for its provider and region, or overlaps a range Konnect reserves
#   there (availability.json). Kong's own infrastructure uses the reserved ranges, so
#   traffic to the overlapping addresses goes astray. A network whose provider and region
#   have no entry in the availability document is not checked (a failed collection of
#   konnect.availability is reported as not evaluated).
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/network-architecture/
#   - ref: https://developer.konghq.com/api/konnect/cloud-gateways/v2/
# custom:
#   id: DCGW-CIDR-006
#   severity: high
#   connectivity: [peering, hub, private-endpoint]
#   providers: [konnect, aws, azure, gcp]
#   inputs: [konnect.networks, konnect.availability]
#   remediation: >-
#     Recreate the Konnect network with a CIDR inside one of the allowed ranges of its
#     region (for example 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16 or
#     198.18.0.0/15) that overlaps none of the reserved ranges (for example 10.100.0.0/16
#     and 172.17.0.0/16). The CIDR is immutable: recreating the network changes the data
#     plane IPs, so update the routes, firewall rules and DNS that name them.
package dcgw.cidr.konnect_cidr_range

import data.dcgw.lib.netaddr
import data.dcgw.lib.topology

# availability[[provider, region]] is the availability entry of a provider region.
availability := {[r.provider, r.region]: r | some r in input.konnect.availability}

deny contains f if {
	some kn in input.konnect.networks
	region := availability[[kn.provider, kn.region]]
	allowed := object.get(region, "allowed_cidrs", [])
	count(allowed) > 0
	count(netaddr.containing(allowed, kn.cidr)) == 0
	f := {
		"resource": kn.id,
		"key": "outside-allowed",
		"msg": sprintf(
			"Konnect network %s (%s) is not inside any range Konnect allows in %s %s (%s).",
			[topology.konnect_name(kn), kn.cidr, kn.provider, kn.region, concat(", ", sort(allowed))],
		),
		"evidence": {"konnect_cidr": kn.cidr, "provider": kn.provider, "region": kn.region, "allowed_cidrs": sort(allowed)},
	}
}

deny contains f if {
	some kn in input.konnect.networks
	region := availability[[kn.provider, kn.region]]
	some reserved in netaddr.overlapping({c | some c in object.get(region, "reserved_cidrs", [])}, kn.cidr)
	f := {
		"resource": kn.id,
		"key": sprintf("reserved|%s", [reserved]),
		"msg": sprintf(
			"Konnect network %s (%s) overlaps %s, which Konnect reserves in %s %s.",
			[topology.konnect_name(kn), kn.cidr, reserved, kn.provider, kn.region],
		),
		"evidence": {"konnect_cidr": kn.cidr, "provider": kn.provider, "region": kn.region, "reserved_cidr": reserved},
	}
}
