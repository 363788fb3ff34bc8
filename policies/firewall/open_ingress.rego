# METADATA
# title: Gateway-facing destination admits the internet
# description: >-
#   Traffic from the whole internet (0.0.0.0/0, ::/0, any, the Internet/*/Any service tags,
#   a prefix list holding 0.0.0.0/0) is admitted by every filtering layer in front of a
#   gateway-facing destination: a subnet of a network Kong Gateway can reach or that can
#   reach Kong (peering or hub), or a resource gateway. The verdict is on the path
#   (input.reach): the network ACL and the security group together, the subnet's and the
#   NIC's NSG together, GCP firewall priorities; a default allow-all ACL in front of a tight
#   security group admits nothing from the internet. Whether an internet route exists
#   today is shown, not required: 0.0.0.0/0 on a private subnet is one route change away,
#   and it also admits every network a hub or VPN connects. The finding names the rule that
#   admits the traffic and shows the path. Edge load balancers are DCGW-FW-006's.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
#   - ref: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
#   - ref: https://cloud.google.com/firewall/docs/firewalls
# custom:
#   id: DCGW-FW-001
#   severity: critical
#   cost: high
#   connectivity: [peering, hub, private-endpoint]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, route_tables, peerings, hub_attachments, hub_route_tables, firewalls, prefix_lists, load_balancers, target_groups, resource_gateways]
#   remediation: >-
#     Replace the internet source with the DCGW data plane private IPs (each as a /32) and
#     any other source you really need (`allowed_source_ranges`), on the service ports only.
#     On Azure do not use the `Internet` or `*` tags; on AWS check prefix lists for
#     `0.0.0.0/0`; on GCP remove `0.0.0.0/0` from `sourceRanges`.
package dcgw.firewall.open_ingress

import data.dcgw.lib.reach

# _hits are the internet flows to gateway-facing destinations other than edge load
# balancers, as [[firewall id, rule key of the rule that admits it], flow index].
_hits := [[[hop.resource_id, hop.key], i] |
	some i in object.get(reach.flows_of_class, "internet", [])
	flow := input.reach.flows[i]
	not reach.destination(flow).edge
	hop := reach.admitting_hop(flow)
]

# _groups are the flow indexes per admitting rule: one finding per rule, whatever number
# of subnets and ports it opens. Each rule is a key once (see reach.flows_of_class).
_groups := {g: idxs |
	some g in {k | some [k, _] in _hits}
	idxs := [i | some [g2, i] in _hits; g2 == g]
}

deny contains f if {
	some [fw_id, key], idxs in _groups
	flows := [input.reach.flows[i] | some i in idxs]
	hop := reach.admitting_hop(flows[0])
	dests := reach.destinations_text(flows)
	traffic := reach.traffic_of(flows)
	routed := [fl | some fl in flows; reach.destination(fl).internet_route]
	f := {
		"resource": fw_id,
		"key": key,
		"msg": sprintf("%s rule %s admits %s from the internet to %s, which Kong Gateway is connected to (%s); allow only the DCGW data plane IPs and the sources you need.", [
			reach.firewall_text(hop),
			key,
			concat("; ", traffic),
			reach.some_of(dests),
			_route_text(count(routed)),
		]),
		"evidence": {
			"firewall_kind": object.get(hop, "resource_kind", ""),
			"rule_key": key,
			"traffic": traffic,
			"destinations": dests,
			"internet_route": count(routed) > 0,
		},
		"path": reach.internet_path(_first(routed, flows)),
	}
}

_route_text(n) := "an internet gateway route reaches it today" if n > 0

_route_text(0) := "no internet route today, one route change away"

# _first is the first flow with an internet route, else the first flow: the path shown.
_first(routed, _) := routed[0] if count(routed) > 0

_first(routed, flows) := flows[0] if count(routed) == 0
