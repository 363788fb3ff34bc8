# METADATA
# title: Azure VNet overlaps the Konnect Azure network range
# description: >-
#   An Azure VNet uses addresses of the Konnect network's CIDR on Azure (the CIDR of
#   each Azure Dedicated Cloud Gateway network in the snapshot; when there is none, the
#   range planned in azure_default_konnect_cidr, off unless set). Azure refuses to peer VNets whose address spaces
#   overlap, so this VNet can never be peered with Kong, and a hub cannot route to it.
#   VNets already connected to Kong are left to DCGW-CIDR-001, which reports the same
#   overlap as critical.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/azure-peering/
#   - ref: https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
# custom:
#   id: DCGW-CIDR-008
#   severity: medium
#   connectivity: [peering, hub]
#   providers: [azure]
#   inputs: [konnect.networks, networks, subnets, peerings, hub_attachments, hub_route_tables]
#   remediation: >-
#     Plan the VNet's address space outside the Konnect network CIDR before connecting it
#     to Kong (add a non-overlapping range and move the workloads), or create the Konnect
#     network with a CIDR that none of your Azure VNets use (the CIDR cannot be changed
#     after the network exists).
package dcgw.cidr.azure_kong_range

import data.dcgw.lib.netaddr
import data.dcgw.lib.topology

# kong_ranges are the [konnect network id, cidr] of the Azure Konnect networks, or the
# default range (with no network id) when the snapshot has none.
kong_ranges := {[n.id, n.cidr] | some n in input.konnect.networks; n.provider == "azure"}

ranges := kong_ranges if count(kong_ranges) > 0

else := {["", data.config.azure_default_konnect_cidr]} if data.config.azure_default_konnect_cidr != ""

else := set()

deny contains f if {
	some n in input.networks
	n.kind == "azure-vnet"
	some [kn_id, kn_cidr] in ranges
	not _reported_by_cidr_001(n.id, kn_id)
	overlapping := sort([c | some c in n.cidrs; netaddr.overlaps(kn_cidr, c)])
	count(overlapping) > 0
	f := {
		"resource": n.id,
		"key": kn_cidr,
		"msg": sprintf(
			"VNet %s uses %s, which overlaps %s %s: Azure cannot peer it with Kong, so upstreams in it can never be reached from the gateway.",
			[n.id, concat(", ", overlapping), kong_name(kn_id), kn_cidr],
		),
		"evidence": {"konnect_network_id": kn_id, "konnect_cidr": kn_cidr, "overlapping_cidrs": overlapping},
	}
}

kong_name(kn_id) := sprintf("Konnect network %s", [topology.konnect_name(topology.konnect_networks_by_id[kn_id])]) if {
	kn_id != ""
} else := "Konnect's default Azure network range"

# A VNet connected to that Konnect network is DCGW-CIDR-001's.
_reported_by_cidr_001(nid, kn_id) if kn_id in object.get(topology.konnect_networks_of, nid, set())
