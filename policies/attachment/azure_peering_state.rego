# METADATA
# title: Azure VNet peering with Kong is not connected or not in sync
# description: >-
#   A VNet peering between a customer VNet and a Dedicated Cloud Gateway network is
#   not `Connected` (traffic flows only when both sides are connected; `Initiated` waits
#   for the other side, `Disconnected` must be deleted and recreated), or its sync level
#   is not `FullyInSync`: one side's address space changed and the peering still routes
#   the old ranges, so the new ranges are unreachable (and may overlap Kong's without
#   the peering noticing).
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/azure-peering/
#   - ref: https://learn.microsoft.com/azure/virtual-network/update-virtual-network-peering-address-space
# custom:
#   id: DCGW-ATT-002
#   severity: high
#   connectivity: [peering]
#   providers: [azure]
#   inputs: [konnect.networks, peerings]
#   remediation: >-
#     For a peering that is not Connected, check the Konnect attachment and recreate the
#     peering from both sides (a Disconnected peering cannot be repaired). For a peering
#     that is not FullyInSync, sync it on the side that is behind (Azure portal: the
#     peering's Sync action; CLI: az network vnet peering sync) after checking that the
#     new ranges do not overlap the Konnect network CIDR.
package dcgw.attachment.azure_peering_state

import data.dcgw.lib.topology

deny contains f if {
	some [pid, kn_id] in topology.peering_konnect
	p := topology.peerings_by_id[pid]
	p.kind == "azure-vnet-peering"
	some problem in problems(p)
	kn := topology.konnect_networks_by_id[kn_id]
	f := {
		"resource": p.id,
		"key": problem.key,
		"msg": sprintf("VNet peering %s with Konnect network %s (%s) %s", [p.id, topology.konnect_name(kn), kn.cidr, problem.msg]),
		"evidence": {
			"konnect_network_id": kn.id,
			"state": object.get(p, "state", ""),
			"sync_level": object.get(p, "sync_level", ""),
			"network_id": topology.customer_side(p).network_id,
		},
	}
}

problems(p) := {x |
	some x in [_state(p), _sync(p)]
	x != null
}

_state(p) := {"key": "state", "msg": sprintf("is %s, not Connected: no traffic flows between the VNets.", [p.state])} if {
	object.get(p, "state", "") != ""
	lower(p.state) != "connected"
} else := null

_sync(p) := {"key": "sync_level", "msg": sprintf("is %s: the peered address space lags the VNets' current ranges, which Kong cannot reach until the peering is synced.", [p.sync_level])} if {
	object.get(p, "sync_level", "") != ""
	lower(p.sync_level) != "fullyinsync"
} else := null
