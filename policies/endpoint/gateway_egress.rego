# METADATA
# title: Resource gateway security group allows more than its resources need
# description: >-
#   The security groups of a VPC Lattice resource gateway govern what the gateway may
#   reach on behalf of its consumers (Konnect among them). An egress allow rule should
#   name only the resources behind the gateway and their ports: destinations inside the IP
#   resource definitions (and, when a configuration is a DNS or ARN resource whose address
#   the snapshot cannot know, inside the ranges of the gateway's own network), and TCP
#   ports inside the configurations' port ranges. Every resource configuration behind the
#   gateway counts, not only Konnect's. Other protocols, wider CIDRs, 0.0.0.0/0, service
#   tags and unresolvable prefix lists are reported; security group references are
#   accepted. The port check is skipped when no configuration behind the gateway has a
#   readable port range.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-gateway.html
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-resource-endpoints/
# custom:
#   id: DCGW-EP-005
#   severity: medium
#   connectivity: [private-endpoint]
#   providers: [aws]
#   inputs: [konnect.networks, private_endpoints, shares, resource_gateways, firewalls, prefix_lists, networks]
#   remediation: >-
#     Replace the gateway security group's egress rules with one rule per resource: its
#     address (or the security group of the service behind it) on tcp and the resource
#     configuration's ports. Remove the default "all traffic to 0.0.0.0/0" egress rule.
package dcgw.endpoint.gateway_egress

import data.dcgw.lib.edge
import data.dcgw.lib.endpoint
import data.dcgw.lib.netaddr

_tcp := {"tcp", "6"}

# _listed[firewall id] are the Konnect resource gateways that list a firewall.
_listed := {fw_id: rgs |
	some fw_id in {id | some rg in endpoint.kong_gateways; some id in object.get(endpoint.resource_gateways_by_id[rg], "firewall_ids", [])}
	rgs := {rg | some rg in endpoint.kong_gateways; fw_id in object.get(endpoint.resource_gateways_by_id[rg], "firewall_ids", [])}
}

# _gateways_of(fw) are the Konnect resource gateways a firewall applies to: those that
# list it, and those it is attached to.
_gateways_of(fw) := object.get(_listed, fw.id, set()) | {rg |
	some a in object.get(fw, "attached_to", [])
	a.kind == "resource-gateway"
	some rg in endpoint.gateways_of(a.id)
	rg in endpoint.kong_gateways
}

# _resources[rg id] are the definitions and parsed port ranges of the configurations
# behind a gateway.
_resources := {rg: {"destinations": dests, "ports": ports, "opaque": opaque} |
	some rg in endpoint.kong_gateways
	pes := [endpoint.endpoints_by_id[id] | some id in object.get(endpoint.endpoints_of_gateway, rg, set())]
	dests := {netaddr.as_cidr(pe.definition.value) |
		some pe in pes
		pe.definition.kind == "ip"
		net.cidr_is_valid(netaddr.as_cidr(pe.definition.value))
	}
	ports := {p |
		some pe in pes
		some item in endpoint.port_items(object.get(pe, "port_ranges", []))
		p := endpoint.parse_range(item)
		endpoint.valid_range(p)
	}
	opaque := count([pe | some pe in pes; _opaque(pe)]) > 0
}

# _opaque holds for a configuration whose address the snapshot cannot know: a DNS or
# ARN resource, or a non-group configuration without a definition.
_opaque(pe) if pe.definition.kind != "ip"

_opaque(pe) if {
	not pe.definition
	upper(object.get(pe, "type", "")) != "GROUP"
}

# _gateway_ranges[rg id] are the CIDRs of the gateway's own VPC (its subnets lie inside
# them).
_gateway_ranges := {rg: ranges |
	some rg in endpoint.kong_gateways
	nid := object.get(endpoint.resource_gateways_by_id, [rg, "network_id"], "")
	ranges := {c | some n in input.networks; n.id == nid; some c in object.get(n, "cidrs", [])}
}

deny contains f if {
	some fw in input.firewalls
	rgs := _gateways_of(fw)
	count(rgs) > 0
	allowed_dests := {d | some rg in rgs; some d in _allowed_destinations(rg)}
	allowed_ports := {p | some rg in rgs; some p in _resources[rg].ports}
	some rule in fw.rules
	edge.active_allow(rule, "egress")
	not edge.shadowed(fw, rule)
	wide_destinations := sort({d | some a in object.get(rule, "destinations", []); some d in _wide(a, allowed_dests)})
	wide_traffic := _wide_traffic(rule, allowed_ports)
	count(wide_destinations) + count(wide_traffic) > 0
	f := {
		"resource": fw.id,
		"key": edge.rule_key(rule),
		"msg": sprintf("Security group %s of resource gateway %s allows %s to %s; the gateway needs only %s to %s.", [
			edge.display_name(fw),
			concat(", ", sort(rgs)),
			edge.traffic_text(rule),
			_dest_text(rule),
			_ports_text(allowed_ports),
			_allowed_text(allowed_dests),
		]),
		"evidence": {
			"rule": rule,
			"resource_gateway_ids": sort(rgs),
			"wide_destinations": wide_destinations,
			"wide_traffic": wide_traffic,
			"allowed_destinations": sort(allowed_dests),
			"allowed_ports": sort([endpoint.range_text(p) | some p in allowed_ports]),
		},
	}
}

_allowed_destinations(rg) := _resources[rg].destinations | _gateway_ranges[rg] if {
	_resources[rg].opaque
} else := _resources[rg].destinations

# _wide(a, allowed) are the parts of a destination outside the allowed ranges: CIDRs
# (prefix lists expanded) not inside one of them, or the address itself when it is
# neither a CIDR, a resolvable prefix list nor a security group.
_wide(a, allowed) := set() if {
	a.kind == "group"
} else := {c |
	some c in edge.address_cidrs(a)
	not _inside(c, allowed)
} if {
	edge.resolvable(a)
} else := {edge.address_text(a)}

_inside(c, allowed) := false if {
	not net.cidr_is_valid(netaddr.as_cidr(c))
} else if {
	some r in allowed
	netaddr.within(c, r)
}

# _wide_traffic are the protocols and port ranges of a rule beyond the resources' ports.
_wide_traffic(rule, allowed) := ["all protocols"] if {
	lower(rule.protocol) in edge.all_protocols
} else := [sprintf("protocol %s", [lower(rule.protocol)])] if {
	not lower(rule.protocol) in _tcp
} else := [] if {
	count(allowed) == 0
} else := sort([r |
	some p in edge.rule_ports(rule)
	not endpoint.within_any(p, allowed)
	r := sprintf("tcp %d-%d", [p.from, p.to])
])

_dest_text(rule) := concat(", ", sort([edge.address_text(a) | some a in rule.destinations])) if {
	count(object.get(rule, "destinations", [])) > 0
} else := "its own members"

_ports_text(ports) := "tcp" if {
	count(ports) == 0
} else := concat(" ", ["tcp", concat(",", sort([endpoint.range_text(p) | some p in ports]))])

_allowed_text(dests) := "its resources" if {
	count(dests) == 0
} else := concat(", ", sort(dests))
