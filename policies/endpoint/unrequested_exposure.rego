# METADATA
# title: Konnect's resource share exposes configurations the attachment does not map
# description: >-
#   Konnect reaches what the RAM share of its resource endpoint attachment carries: a
#   SINGLE configuration, or a GROUP with every one of its CHILD configurations. What the
#   attachment maps to a domain (resource_configs) is what Kong was meant to reach. A child
#   of a shared group that the attachment does not map, or a resource in the share that
#   neither the attachment nor one of its children maps, is exposed to Konnect's account
#   without being needed. A mapped group counts as asking for all its children.
#   Attachments that map no configuration yet (Konnect lets the mapping come later) are
#   not judged.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-resource-endpoints/
#   - ref: https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-configuration.html
# custom:
#   id: DCGW-EP-006
#   severity: medium
#   connectivity: [private-endpoint]
#   providers: [aws, konnect]
#   inputs: [konnect.networks, private_endpoints, shares]
#   remediation: >-
#     Remove the child configuration from the group (or move it to a group Konnect does not
#     use), and remove resources Kong does not need from the RAM share; if Kong should reach
#     it, map it to a domain name on the Konnect resource endpoint attachment instead.
package dcgw.endpoint.unrequested_exposure

import data.dcgw.lib.endpoint

# _mapping_attachments are the ids of the attachments that map at least one configuration.
_mapping_attachments := {a.id | some a in endpoint.attachments; endpoint.mapping(a)}

# _asked_by[attachment id] are the configurations (and their refs) the attachment maps.
_asked_by := {a.id: {"ids": ids, "refs": refs} |
	some a in endpoint.attachments
	a.id in _mapping_attachments
	ids := {pe | some [a2, pe] in endpoint.asked; a2 == a.id}
	refs := {rc.id | some rc in a.resource_configs}
}

# Children of a group that the attachments using the group do not map.
deny contains f if {
	some g, children in endpoint.children_of
	g in endpoint.kong_endpoints
	group := endpoint.endpoints_by_id[g]
	aids := object.get(endpoint.attachments_of_endpoint, g, set()) & _mapping_attachments
	count(aids) > 0
	asked := {pe | some a in aids; some pe in _asked_by[a].ids}
	not g in asked
	some c in children
	not c in asked
	child := endpoint.endpoints_by_id[c]
	f := {
		"resource": g,
		"key": c,
		"msg": sprintf("Child configuration %s of group %s is exposed to Konnect through %s, which does not map it to a domain; remove it from the group or map it.", [
			endpoint.display_name(child),
			endpoint.display_name(group),
			_attachments_text(aids),
		]),
		"evidence": {
			"child_id": c,
			"child_definition": object.get(child, "definition", null),
			"attachment_ids": sort(aids),
			"mapped": sort(asked),
		},
	}
}

# Resources of a Konnect attachment's share that the attachment does not map.
deny contains f if {
	some a_id in _mapping_attachments
	some s_id in object.get(endpoint.attachment_shares, a_id, set())
	share := endpoint.shares_by_id[s_id]

	# Every attachment with this share that maps something.
	aids := {a | some a in object.get(endpoint.attachments_of_share, s_id, set()); a in _mapping_attachments}
	some ref in _share_refs(share)
	not _asked(ref, aids)
	f := {
		"resource": s_id,
		"key": ref,
		"msg": sprintf("RAM share %s of Konnect attachment %s carries %s, which no Konnect attachment maps to a domain; remove it from the share.", [
			endpoint.display_name(share),
			_attachments_text(aids),
			ref,
		]),
		"evidence": {
			"resource_id": ref,
			"attachment_ids": sort(aids),
			"mapped": sort({r | some a in aids; some r in _asked_by[a].refs}),
		},
	}
}

# _share_refs are what a share carries: its resource ids, and the configurations that
# name the share.
_share_refs(share) := {r | some r in object.get(share, "resource_ids", [])} | {pe |
	some pe in object.get(endpoint.resources_of_share, share.id, set())
	not _listed(share, pe)
}

_listed(share, pe) if {
	some r in object.get(share, "resource_ids", [])
	endpoint.endpoint_refs_match(r, pe)
}

# _asked holds when a resource of the share, or one of its children, is mapped by one of
# the attachments.
_asked(ref, aids) if {
	some a in aids
	some r in _asked_by[a].refs
	endpoint.endpoint_refs_match(r, ref)
}

_asked(ref, aids) if {
	some pe in endpoint.endpoints_of(ref)
	some c in object.get(endpoint.children_of, pe, set())
	some a in aids
	c in _asked_by[a].ids
}

_attachments_text(aids) := concat(", ", sort([_attachment_name(endpoint.attachments_by_id[a]) | some a in aids]))

_attachment_name(a) := sprintf("%s (%s)", [a.name, a.id]) if {
	object.get(a, "name", "") != ""
} else := a.id
