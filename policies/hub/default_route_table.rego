# METADATA
# title: Hub carrying Kong associates or propagates to its default route table
# description: >-
#   A transit gateway or virtual hub that carries a Dedicated Cloud Gateway attachment
#   associates and/or propagates new attachments to its default route table. Every
#   attachment created later joins a shared routing domain automatically, which can
#   put it within Kong's reach (or Kong within its reach) without review.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html
#   - ref: https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
# custom:
#   id: DCGW-HUB-001
#   severity: medium
#   connectivity: [hub]
#   providers: [aws, azure]
#   inputs: [konnect.networks, hubs, hub_attachments]
#   remediation: >-
#     AWS: modify the transit gateway to disable DefaultRouteTableAssociation and
#     DefaultRouteTablePropagation, and associate/propagate each attachment explicitly.
#     Azure: give each VNet connection an explicit associated route table and
#     propagated route tables/labels instead of the Default route table.
package dcgw.hub.default_route_table

import data.dcgw.lib.topology

settings := {
	"default_route_table_association": "associates new attachments with",
	"default_route_table_propagation": "propagates new attachments to",
}

deny contains f if {
	some hub in input.hubs
	hub.id in topology.kong_hubs
	some field, does in settings
	object.get(hub, field, false) == true
	f := {
		"resource": hub.id,
		"key": field,
		"msg": sprintf(
			"Hub %s carries a Kong attachment and %s its default route table (%s is on): new attachments join a shared routing domain automatically.",
			[hub.id, does, field],
		),
		"evidence": {"hub_id": hub.id, "kind": hub.kind, field: true},
	}
}
