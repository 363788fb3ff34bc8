# METADATA
# title: Kong propagates into a route table of spokes that are not allowed
# description: >-
#   A Dedicated Cloud Gateway attachment propagates its range into a hub route table
#   that is associated with attachments outside the allowed spokes. Those spokes learn
#   a route to Kong and can reach the data plane.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-isolated-shared.html
#   - ref: https://learn.microsoft.com/azure/virtual-wan/scenario-isolate-vnets-custom
# custom:
#   id: DCGW-HUB-004
#   severity: high
#   connectivity: [hub]
#   providers: [aws, azure]
#   inputs: [konnect.networks, hub_attachments, hub_route_tables]
#   cost: high
#   remediation: >-
#     Disable the propagation of the Kong attachment into this route table (AWS: disable
#     route table propagation; Azure: remove the table or its label from the Kong
#     connection's propagated route tables), or add the associated spokes to
#     `allowed_spokes` if they must reach Kong.
package dcgw.hub.kong_propagation

import data.dcgw.lib.topology

deny contains f if {
	some p in topology.propagations
	p.attachment_id in topology.kong_hub_attachments
	tid := p.route_table_id
	spokes := sort({a.attachment_id |
		some a in topology.associations
		a.route_table_id == tid
		not a.attachment_id in topology.kong_hub_attachments
		not topology.allowed_spoke(a.attachment_id)
	})
	count(spokes) > 0
	f := {
		"resource": tid,
		"key": p.attachment_id,
		"msg": sprintf(
			"Kong attachment %s propagates into hub route table %s, which is associated with %s (not in allowed_spokes): those spokes can reach Kong.",
			[p.attachment_id, tid, concat(", ", spokes)],
		),
		"evidence": {"route_table_id": tid, "kong_attachment_id": p.attachment_id, "spokes": spokes},
	}
}
