# METADATA
# title: No path from the internet to SSH
# description: >-
#   Nothing Kong Gateway is connected to may be reachable from the internet on tcp 22,
#   through every filtering layer on the way.
# custom:
#   id: ACME-PATH-001
#   severity: high
#   inputs: [konnect.networks, networks, subnets, route_tables, peerings, hub_attachments, hub_route_tables, firewalls, prefix_lists, load_balancers, target_groups, resource_gateways]
#   remediation: >-
#     Close tcp 22 to the internet; use a bastion service or SSM Session Manager.
package acme.path.no_ssh

deny contains {"resource": dst.id, "key": flow.destination, "msg": sprintf("tcp 22 is open to the internet on %s", [dst.id]), "path": flow.hops} if {
	some flow in input.reach.flows
	flow.source.class == "internet"
	flow.protocol in {"tcp", "all"}
	some r in object.get(flow, "ports", [{"from": 0, "to": 65535}])
	r.from <= 22
	r.to >= 22
	dst := input.reach.destinations[flow.destination]
}
