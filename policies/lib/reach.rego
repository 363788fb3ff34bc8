# METADATA
# title: Reachability helpers
# description: >-
#   Helpers over input.reach, the reachability model the engine derives from the
#   snapshot (package reach): input.reach.flows are the admitted flows to the
#   gateway-facing destinations, each naming its destination by key in
#   input.reach.destinations. A rule that reads them lists the collections the model is
#   built from in its inputs (inputs below).
package dcgw.lib.reach

import data.dcgw.lib.edge

# inputs are the snapshot collections the model reads: a rule deciding on flows lists
# them in its METADATA inputs, so it is reported as not evaluated where one is missing.
inputs := [
	"konnect.networks", "networks", "subnets", "route_tables", "peerings",
	"hub_attachments", "hub_route_tables", "firewalls", "prefix_lists",
	"load_balancers", "target_groups", "resource_gateways",
]

# destination is the destination a flow lands on.
destination(flow) := input.reach.destinations[flow.destination]

# flows_of_class are the indexes of the flows of each source class: {"internet": [0, 7,
# …], "kong-network": […], …}, as the engine indexes them (input.reach.flows_by_class). A
# rule about one class iterates its list, not every flow.
flows_of_class := input.reach.flows_by_class

# all_port_flows are the indexes of the flows of every protocol, or of a port protocol on
# every port (0-65535 or 1-65535): input.reach.all_port_flows.
all_port_flows := input.reach.all_port_flows

# admitting_hop is the innermost firewall rule that let the flow in, the hop the model
# marks admits: the last allow among its filter hops that names a firewall (the security
# group after the network ACL, the NIC's NSG after the subnet's; a level with no
# firewall, which admits by default, names none). It is the rule to change.
admitting_hop(flow) := hop if {
	some hop in flow.hops
	hop.admits
}

# internet_path is what a finding shows as the path of a flow from the internet: the
# internet route of the destination's subnet first when it has one (evidence that the
# internet can send to it today, not a condition), then the flow's hops.
internet_path(flow) := array.concat([hop], flow.hops) if {
	hop := destination(flow).internet_route_hop
} else := flow.hops

# traffic renders a flow's protocol and ports: "tcp 22", "udp 53, 123", "all traffic".
traffic(flow) := "all traffic" if {
	flow.protocol == "all"
} else := "every other protocol" if {
	flow.protocol == "other"
} else := flow.protocol if {
	count(object.get(flow, "ports", [])) == 0
} else := concat(" ", [flow.protocol, concat(", ", [_range(p) | some p in flow.ports])])

_range(p) := sprintf("%d", [p.from]) if p.from == p.to

_range(p) := sprintf("%d-%d", [p.from, p.to]) if p.from != p.to

# destination_text names a destination for a message: the subnet (and its network) for
# interfaces, else the load balancer or resource gateway.
destination_text(d) := sprintf("%s in %s", [d.id, d.network_id]) if {
	object.get(d, "network_id", "") != ""
	d.id != d.network_id
} else := d.id

# firewall_text names the firewall of a hop: "kind name (id)", or the kind and id when
# the snapshot has no such firewall (an implicit layer).
firewall_text(hop) := sprintf("%s %s", [fw.kind, edge.display_name(fw)]) if {
	fw := edge.firewalls_by_id[hop.resource_id]
} else := sprintf("%s %s", [object.get(hop, "resource_kind", "filter"), hop.resource_id])

# some_of lists up to three names and says how many more there are.
some_of(names) := concat(", ", names) if {
	count(names) <= 3
} else := sprintf("%s and %d more", [concat(", ", array.slice(names, 0, 3)), count(names) - 3])

# rule_of is the snapshot rule a filter hop names (undefined for an implicit rule such
# as a NACL's "*" deny or an NSG default rule the snapshot does not list).
rule_of(hop) := edge.firewalls_by_id[hop.resource_id].rules[hop.rule_index]

# traffic_of lists the traffic of flows for a message: "all traffic" alone when one of
# them is every protocol and port, else each protocol and its ports. Each distinct
# protocol and port list is rendered once (a finding may hold thousands of flows).
traffic_of(flows) := ["all traffic"] if {
	some fl in flows
	fl.protocol == "all"
} else := sort({traffic({"protocol": proto, "ports": ports}) |
	some [proto, ports] in {[fl.protocol, object.get(fl, "ports", [])] | some fl in flows}
})

# destinations_text names the destinations of flows for a message, sorted, each
# destination once.
destinations_text(flows) := sort({destination_text(input.reach.destinations[k]) | some k in {fl.destination | some fl in flows}})
