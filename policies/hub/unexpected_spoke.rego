# METADATA
# title: Kong's hub route table reaches a spoke that is not allowed
# description: >-
#   The hub route table that looks up Kong's traffic reaches an attachment (as the next
#   hop of an active route, or because the attachment propagates into it) that is not
#   in the allowed spokes. Kong can open connections into that network, VPN or Direct
#   Connect: the route isolation of the hub is broken.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-isolated-shared.html
#   - ref: https://learn.microsoft.com/azure/virtual-wan/scenario-isolate-vnets-custom
# custom:
#   id: DCGW-HUB-003
#   severity: high
#   connectivity: [hub]
#   providers: [aws, azure]
#   inputs: [konnect.networks, hub_attachments, hub_route_tables]
#   remediation: >-
#     Remove the route or the propagation that brings the spoke into Kong's route
#     table. If Kong must reach the spoke, add its attachment id or network id to
#     `allowed_spokes` in the scanner config.
package dcgw.hub.unexpected_spoke

import data.dcgw.lib.topology

deny contains f if {
	some [tid, aid], vias in topology.reach_via
	not topology.allowed_spoke(aid)
	via := sort(vias)
	att := object.get(topology.hub_attachments_by_id, aid, {})
	f := {
		"resource": tid,
		"key": aid,
		"msg": sprintf(
			"Kong's hub route table %s reaches attachment %s (%s%s) by %s, which is not in allowed_spokes: add it to allowed_spokes if Kong must reach it, else remove the route or propagation.",
			[tid, aid, object.get(att, "kind", "unknown kind"), network(att), concat(" and ", via)],
		),
		"evidence": {
			"route_table_id": tid,
			"attachment_id": aid,
			"network_id": object.get(att, "network_id", ""),
			"via": via,
			"destinations": sort(object.get(topology.next_hop_destinations, [[tid, aid]], set())),
		},
	}
}

network(att) := sprintf(", network %s", [att.network_id]) if object.get(att, "network_id", "") != ""

network(att) := "" if object.get(att, "network_id", "") == ""
