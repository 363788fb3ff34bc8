# METADATA
# title: Hub carrying Kong auto-accepts shared attachments
# description: >-
#   A transit gateway that carries a Dedicated Cloud Gateway attachment accepts
#   attachments from accounts it is shared with automatically. Any such account can
#   attach a network and, with default association/propagation, route to Kong.
# related_resources:
#   - ref: https://docs.aws.amazon.com/config/latest/developerguide/ec2-transit-gateway-auto-vpc-attach-disabled.html
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html
# custom:
#   id: DCGW-HUB-002
#   severity: high
#   connectivity: [hub]
#   providers: [aws, azure]
#   inputs: [konnect.networks, hubs, hub_attachments]
#   remediation: >-
#     Disable AutoAcceptSharedAttachments on the transit gateway and accept each
#     attachment request (including Kong's) after review.
package dcgw.hub.auto_accept

import data.dcgw.lib.topology

deny contains f if {
	some hub in input.hubs
	hub.id in topology.kong_hubs
	hub.auto_accept_shared_attachments == true
	f := {
		"resource": hub.id,
		"msg": sprintf(
			"Hub %s carries a Kong attachment and auto-accepts shared attachments: any account it is shared with can attach a network without review.",
			[hub.id],
		),
		"evidence": {"hub_id": hub.id, "kind": hub.kind, "auto_accept_shared_attachments": true},
	}
}
