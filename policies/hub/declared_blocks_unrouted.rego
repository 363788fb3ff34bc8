# METADATA
# title: Block declared to Konnect is not routed by Kong's hub route table
# description: >-
#   A CIDR block declared on an AWS transit gateway attachment (cidr_blocks) has no
#   active route covering it in the transit gateway route table associated with Kong's
#   attachment, or its best route there is a blackhole. Kong installs routes for every
#   declared block towards the transit gateway, which then drops that traffic. When
#   Kong's route table is not in the snapshot, or the provider returned only part of its
#   routes, the attachment is not checked.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/transit-gateways/
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html
# custom:
#   id: DCGW-HUB-006
#   severity: medium
#   connectivity: [hub]
#   providers: [konnect, aws]
#   inputs: [konnect.networks, hub_attachments, hub_route_tables, prefix_lists]
#   remediation: >-
#     Make Kong's transit gateway route table route every declared block to the
#     attachment of the VPC (or VPN, Direct Connect gateway) that holds it: propagate
#     that attachment into the table or add a static route, and replace blackhole routes
#     whose attachment is gone. Otherwise remove the block from the attachment's
#     cidr_blocks in Konnect.
package dcgw.hub.declared_blocks_unrouted

import data.dcgw.lib.routes
import data.dcgw.lib.topology

# _tgw_attachments are Kong's transit gateway attachments that declare blocks.
_tgw_attachments contains a if {
	some a in topology.kong_attachments
	a.kind == "aws-transit-gateway-attachment"
	object.get(a, "hub_attachment_id", "") != ""
	count(object.get(a, "cidr_blocks", [])) > 0
}

_hub_attachment_ids := {a.hub_attachment_id | some a in _tgw_attachments}

# _kong_tables are the [hub attachment id, route table id] of the route tables in the
# snapshot that are associated with the hub attachment of a Kong transit gateway
# attachment, unless truncated.
_kong_tables contains [x.attachment_id, x.route_table_id] if {
	some x in topology.associations
	x.attachment_id in _hub_attachment_ids
	t := topology.hub_route_tables_by_id[x.route_table_id]
	not t.truncated
}

# problems are the {attachment, block, route_table_id, verdict, best} of a declared
# block that a Kong route table does not deliver.
problems contains {"attachment": a, "block": block, "route_table_id": tid, "verdict": v, "best": best, "parts": parts} if {
	some a in _tgw_attachments
	some [hid, tid] in _kong_tables
	hid == a.hub_attachment_id
	some block in a.cidr_blocks
	table_routes := object.get(topology.hub_route_tables_by_id[tid], "routes", [])
	best := routes.best_routes(table_routes, block)
	v := verdict(best)
	parts := _parts(table_routes, block)
}

# _parts are the destinations of active routes strictly inside block (same family).
_parts(table_routes, block) := {d |
	es := [e.destination | some e in routes.entries(table_routes); topology.active_route(e.route)]
	some [_, i] in net.cidr_contains_matches(block, es)
	d := es[i]
	contains(d, ":") == contains(block, ":")
	d != block
}

verdict(best) := "unrouted" if count(best) == 0

verdict(best) := "blackhole" if {
	count(best) > 0
	every c in best {
		not topology.active_route(c.route)
	}
}

deny contains f if {
	some [aid, block] in {[p.attachment.id, p.block] | some p in problems}
	same := {q | some q in problems; q.attachment.id == aid; q.block == block}
	a := [q.attachment | some q in same][0]
	f := {
		"resource": aid,
		"key": block,
		"msg": sprintf(
			"Konnect attachment %s declares %s, so Kong routes it to transit gateway %s, but %s: the transit gateway drops that traffic.",
			[aid, block, object.get(a, "hub_id", a.hub_attachment_id), concat("; ", sort({what(q) | some q in same}))],
		),
		"evidence": {
			"konnect_network_id": a.konnect_network_id,
			"hub_attachment_id": a.hub_attachment_id,
			"block": block,
			"route_tables": {q.route_table_id: {"verdict": q.verdict, "best_routes": sort([c.destination | some c in q.best]), "routed_parts": sort(q.parts)} | some q in same},
		},
	}
}

what(q) := sprintf("Kong's route table %s has no active route covering it", [q.route_table_id]) if {
	q.verdict == "unrouted"
	count(q.parts) == 0
} else := sprintf("Kong's route table %s has no active route covering all of it (%d more specific routes cover parts of it)", [q.route_table_id, count(q.parts)]) if {
	q.verdict == "unrouted"
}

else := sprintf("Kong's route table %s routes it to a blackhole", [q.route_table_id])
