# METADATA
# description: >-
#   Private endpoint helpers: which VPC Lattice resource configurations, RAM shares and
#   resource gateways serve Konnect's resource endpoint attachments, the group/child
#   structure of resource configurations, and port range parsing. Ids are matched in
#   full and by their last ARN segment, so an ARN and the `rcfg-…` id it ends with name
#   the same configuration. Reads konnect.networks, private_endpoints, resource_gateways and shares: list
#   those in the inputs of a rule that uses it.
package dcgw.lib.endpoint

import data.dcgw.lib.topology

# ---------------------------------------------------------------------------
# Ids
# ---------------------------------------------------------------------------

# short_id is the last "/" segment of an ARN (resourceconfiguration/rcfg-1 -> rcfg-1),
# or the id itself.
short_id(id) := parts[count(parts) - 1] if {
	parts := split(id, "/")
}

_refs(id) := {id, short_id(id)}

# _lookup(index, ref) are the entity ids an index of [ref, id] groups knows for a
# reference, by the reference itself or by its last ARN segment.
_lookup(index, ref) := object.get(index, ref, set()) | object.get(index, short_id(ref), set())

_group_pairs(pairs) := {k: vs |
	some [k, _] in pairs
	vs := {v | some [k2, v] in pairs; k2 == k}
}

endpoints_by_id := {pe.id: pe | some pe in input.private_endpoints}

shares_by_id := {s.id: s | some s in input.shares}

resource_gateways_by_id := {rg.id: rg | some rg in input.resource_gateways}

_endpoint_index := _group_pairs({[r, pe.id] | some pe in input.private_endpoints; some r in _refs(pe.id)})

_share_index := _group_pairs({[r, s.id] | some s in input.shares; some r in _refs(s.id)})

_gateway_index := _group_pairs({[r, rg.id] | some rg in input.resource_gateways; some r in _refs(rg.id)})

# endpoints_of(ref) are the ids of the resource configurations a reference names.
endpoints_of(ref) := _lookup(_endpoint_index, ref)

# shares_of(ref) are the ids of the RAM shares a reference names.
shares_of(ref) := _lookup(_share_index, ref)

# gateways_of(ref) are the ids of the resource gateways a reference names.
gateways_of(ref) := _lookup(_gateway_index, ref)

# endpoint_refs_match holds when two references name the same resource (in full or by
# the last ARN segment).
endpoint_refs_match(a, b) if count(_refs(a) & _refs(b)) > 0

# ---------------------------------------------------------------------------
# Groups and children
# ---------------------------------------------------------------------------

_child_pairs contains [g, c] if {
	some pe in input.private_endpoints
	some ref in object.get(pe, "child_ids", [])
	some c in endpoints_of(ref)
	g := pe.id
}

_child_pairs contains [g, pe.id] if {
	some pe in input.private_endpoints
	object.get(pe, "parent_id", "") != ""
	some g in endpoints_of(pe.parent_id)
}

# children_of[group id] are the ids of the group's child configurations.
children_of := _group_pairs(_child_pairs)

# parents_of[child id] are the ids of the groups a child belongs to.
parents_of := _group_pairs({[c, g] | some [g, c] in _child_pairs})

# gateway_of[endpoint id] are the resource gateways an endpoint goes through: its own,
# or (children carry none) its group's.
gateway_of := _group_pairs(_gateway_pairs)

_gateway_pairs contains [pe.id, rg] if {
	some pe in input.private_endpoints
	object.get(pe, "resource_gateway_id", "") != ""
	some rg in gateways_of(pe.resource_gateway_id)
}

_gateway_pairs contains [pe.id, rg] if {
	some pe in input.private_endpoints
	object.get(pe, "resource_gateway_id", "") == ""
	some g in object.get(parents_of, pe.id, set())
	ref := object.get(endpoints_by_id[g], "resource_gateway_id", "")
	ref != ""
	some rg in gateways_of(ref)
}

# ---------------------------------------------------------------------------
# Konnect's resource endpoint attachments
# ---------------------------------------------------------------------------

# attachments are Konnect's resource endpoint attachments (with konnect_network_id).
attachments := {a |
	some a in topology.kong_attachments
	a.kind == "aws-resource-endpoint-attachment"
}

attachments_by_id := {a.id: a | some a in attachments}

# mapping holds for an attachment that maps at least one resource configuration to a
# domain (a new attachment may map none yet).
mapping(a) if count(object.get(a, "resource_configs", [])) > 0

# attachment_shares[attachment id] are the ids of the RAM shares the attachment names.
attachment_shares := _group_pairs({[a.id, s] |
	some a in attachments
	some s in shares_of(object.get(a, "share_id", ""))
})

# asked are the [attachment id, endpoint id] pairs of the resource configurations an
# attachment maps to a domain.
asked contains [a.id, pe] if {
	some a in attachments
	some rc in object.get(a, "resource_configs", [])
	some pe in endpoints_of(rc.id)
}

# share_resources are the [share id, endpoint id] pairs of the resource configurations
# a share carries, from either side.
share_resources contains [s.id, pe] if {
	some s in input.shares
	some ref in object.get(s, "resource_ids", [])
	some pe in endpoints_of(ref)
}

share_resources contains [s, pe.id] if {
	some pe in input.private_endpoints
	some ref in object.get(pe, "share_ids", [])
	some s in shares_of(ref)
}

# resources_of_share[share id] are the ids of the resource configurations a share carries.
resources_of_share := _group_pairs(share_resources)

# shares_of_endpoint[endpoint id] are the ids of the shares that carry it.
shares_of_endpoint := _group_pairs({[pe, s] | some [s, pe] in share_resources})

# _used are the [endpoint id, attachment id] pairs of the configurations an attachment
# uses: those it maps, the groups of those, and what its share carries with the
# children of that.
_used contains [pe, a] if some [a, pe] in asked

_used contains [g, a] if {
	some [a, pe] in asked
	some g in object.get(parents_of, pe, set())
}

_used contains [pe, a.id] if {
	some a in attachments
	some s in object.get(attachment_shares, a.id, set())
	some pe in object.get(resources_of_share, s, set())
}

_used contains [c, a.id] if {
	some a in attachments
	some s in object.get(attachment_shares, a.id, set())
	some pe in object.get(resources_of_share, s, set())
	some c in object.get(children_of, pe, set())
}

# attachments_of_endpoint[endpoint id] are the Konnect attachments that use it.
attachments_of_endpoint := _group_pairs(_used)

# kong_endpoints are the ids of the resource configurations Konnect uses.
kong_endpoints := {pe | some [pe, _] in _used}

# konnect_networks_of_endpoint[endpoint id] are the Konnect networks that use it.
konnect_networks_of_endpoint := {pe: kns |
	some pe, aids in attachments_of_endpoint
	kns := {attachments_by_id[a].konnect_network_id | some a in aids}
}

# _share_attachments are the [share id, attachment id] pairs of the shares Konnect
# uses: the attachment's own share, and any share that carries a configuration Konnect
# uses.
_share_attachments contains [s, a] if {
	some a, shares in attachment_shares
	some s in shares
}

_share_attachments contains [s, a] if {
	some [s, pe] in share_resources
	some a in object.get(attachments_of_endpoint, pe, set())
}

# attachments_of_share[share id] are the Konnect attachments a share serves.
attachments_of_share := _group_pairs(_share_attachments)

# kong_shares are the ids of the RAM shares that serve Konnect.
kong_shares := {s | some s, _ in attachments_of_share}

# konnect_accounts_of_share[share id] are Konnect's AWS accounts of the networks whose
# attachments a share serves.
konnect_accounts_of_share := {s: accts |
	some s, aids in attachments_of_share
	accts := {acct |
		some a in aids
		kn := topology.konnect_networks_by_id[attachments_by_id[a].konnect_network_id]
		acct := object.get(kn, "provider_account_id", "")
		acct != ""
	}
}

# konnect_accounts are Konnect's accounts of every Konnect network.
konnect_accounts := {acct |
	some kn in input.konnect.networks
	acct := object.get(kn, "provider_account_id", "")
	acct != ""
}

# domains_of_endpoint[endpoint id] are the domain names Konnect maps to it (lower case).
domains_of_endpoint := _group_pairs({[pe, lower(rc.domain_name)] |
	some a in attachments
	some rc in object.get(a, "resource_configs", [])
	object.get(rc, "domain_name", "") != ""
	some pe in endpoints_of(rc.id)
})

# kong_gateways are the ids of the resource gateways Konnect's configurations go through.
kong_gateways := {rg |
	some pe in kong_endpoints
	some rg in object.get(gateway_of, pe, set())
}

# endpoints_of_gateway[gateway id] are the ids of every configuration behind a gateway.
endpoints_of_gateway := _group_pairs({[rg, pe] | some pe, rgs in gateway_of; some rg in rgs})

# ---------------------------------------------------------------------------
# Port ranges ("443", "8000-8100", "1,2,22-30")
# ---------------------------------------------------------------------------

# port_items are the comma-separated items of a list of port range strings, trimmed.
port_items(ranges) := {t |
	some r in ranges
	some item in split(r, ",")
	t := trim_space(item)
	t != ""
}

# parse_range is {"from", "to"} for "443" or "8000-8100"; undefined for anything else.
parse_range(s) := {"from": to_number(parts[0]), "to": to_number(parts[count(parts) - 1])} if {
	regex.match(`^[0-9]{1,5}(-[0-9]{1,5})?$`, s)
	parts := split(s, "-")
}

# valid_range holds for a parsed range within 1-65535, from <= to.
valid_range(p) if {
	p.from >= 1
	p.to <= 65535
	p.from <= p.to
}

# range_text renders a parsed range ("443", "8000-8100").
range_text(p) := sprintf("%d", [p.from]) if p.from == p.to

else := sprintf("%d-%d", [p.from, p.to])

# within_any holds when range p lies inside one of the ranges.
within_any(p, ranges) if {
	some q in ranges
	q.from <= p.from
	q.to >= p.to
}

# display_name renders an entity for a message: "name (id)", or the id alone.
display_name(x) := sprintf("%s (%s)", [x.name, x.id]) if {
	object.get(x, "name", "") != ""
} else := x.id
