# METADATA
# title: A route table of spokes that are not allowed routes to Kong
# description: >-
#   A hub route table associated with attachments outside the allowed spokes sends
#   Kong's range to a Dedicated Cloud Gateway attachment: by the propagation of the Kong
#   attachment into the table, or by a static route. Those spokes can reach the data
#   plane. Decided on the reachability model's hub links (input.reach.hub_links): a
#   more specific or static blackhole route that wins the lookup is no finding.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-isolated-shared.html
#   - ref: https://learn.microsoft.com/azure/virtual-wan/scenario-isolate-vnets-custom
# custom:
#   id: DCGW-HUB-004
#   severity: high
#   connectivity: [hub]
#   providers: [aws, azure]
#   inputs: [konnect.networks, networks, subnets, prefix_lists, hub_attachments, hub_route_tables]
#   remediation: >-
#     Disable the propagation of the Kong attachment into this route table (AWS: disable
#     route table propagation; Azure: remove the table or its label from the Kong
#     connection's propagated route tables) or remove the static route to Kong, or add
#     the associated spokes to `allowed_spokes` if they must reach Kong.
package dcgw.hub.kong_propagation

import data.dcgw.lib.topology

# _reaching are the [route table id, Kong attachment id] of the tables that send Kong's
# range to Kong for a spoke that is not allowed.
_reaching := {[l.route_table_id, l.kong_attachment_id] |
	some l in input.reach.hub_links
	l.direction == "to_kong"
	not topology.allowed_spoke(l.attachment_id)
}

deny contains f if {
	some [tid, ka] in _reaching
	links := [l |
		some l in input.reach.hub_links
		l.direction == "to_kong"
		l.route_table_id == tid
		l.kong_attachment_id == ka
		not topology.allowed_spoke(l.attachment_id)
	]
	spokes := sort({l.attachment_id | some l in links})
	link := links[0]
	f := {
		"resource": tid,
		"key": ka,
		"msg": sprintf(
			"Hub route table %s sends Kong's range %s to Kong attachment %s by %s and is associated with %s (not in allowed_spokes): those spokes can reach Kong.",
			[tid, concat(", ", link.destinations), ka, _how(link.via), concat(", ", spokes)],
		),
		"evidence": {"route_table_id": tid, "kong_attachment_id": ka, "spokes": spokes, "via": link.via, "destinations": link.destinations},
		"path": link.path,
	}
}

_how(via) := "propagation" if via == ["propagation"]

_how(via) := "a static route" if via == ["route"]

_how(via) := "propagation and a static route" if count(via) > 1
