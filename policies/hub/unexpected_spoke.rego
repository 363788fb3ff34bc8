# METADATA
# title: Kong's hub route table reaches a spoke that is not allowed
# description: >-
#   The hub route table that looks up Kong's traffic reaches an attachment (a route to
#   it wins the lookup, or the attachment propagates into the table) that is not in the
#   allowed spokes. Kong can open connections into that network, VPN or Direct Connect:
#   the route isolation of the hub is broken. Decided on the reachability model's hub
#   links (input.reach.hub_links), with the winning routes as the path.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-isolated-shared.html
#   - ref: https://learn.microsoft.com/azure/virtual-wan/scenario-isolate-vnets-custom
# custom:
#   id: DCGW-HUB-003
#   severity: high
#   connectivity: [hub]
#   providers: [aws, azure]
#   inputs: [konnect.networks, networks, subnets, prefix_lists, hub_attachments, hub_route_tables]
#   remediation: >-
#     Remove the route or the propagation that brings the spoke into Kong's route
#     table. If Kong must reach the spoke, add its attachment id or network id to
#     `allowed_spokes` in the scanner config.
package dcgw.hub.unexpected_spoke

import data.dcgw.lib.topology

# _unexpected are the [route table id, attachment id] of the spokes Kong's tables reach
# without allowed_spokes allowing them (several Konnect networks may share a table).
_unexpected := {[l.route_table_id, l.attachment_id] |
	some l in input.reach.hub_links
	l.direction == "from_kong"
	not topology.allowed_spoke(l.attachment_id)
}

deny contains f if {
	some [tid, aid] in _unexpected
	links := [l |
		some l in input.reach.hub_links
		l.direction == "from_kong"
		l.route_table_id == tid
		l.attachment_id == aid
	]
	link := links[0]
	via := sort({v | some l in links; some v in l.via})
	f := {
		"resource": tid,
		"key": aid,
		"msg": sprintf(
			"Kong's hub route table %s reaches attachment %s (%s%s) by %s, which is not in allowed_spokes: add it to allowed_spokes if Kong must reach it, else remove the route or propagation.",
			[tid, aid, _or(link.kind, "unknown kind"), _network(link), concat(" and ", via)],
		),
		"evidence": {
			"route_table_id": tid,
			"attachment_id": aid,
			"network_id": object.get(link, "network_id", ""),
			"via": via,
			"destinations": sort({d | some l in links; some d in l.destinations}),
		},
		"path": link.path,
	}
}

_network(link) := sprintf(", network %s", [link.network_id]) if object.get(link, "network_id", "") != ""

_network(link) := "" if object.get(link, "network_id", "") == ""

_or(s, _) := s if s != ""

_or(s, fallback) := fallback if s == ""
