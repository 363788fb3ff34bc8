# METADATA
# title: Konnect resource configuration allows onward sharing
# description: >-
#   A VPC Lattice resource configuration that Konnect uses has
#   AllowAssociationToShareableServiceNetwork set: a consumer may add it to a service
#   network that is, or can be, shared with further accounts, so access to the private
#   resource can spread beyond Konnect's account without a change on your side. A child
#   configuration is reported only when its group does not already carry the flag.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-configuration.html
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-resource-endpoints/
# custom:
#   id: DCGW-EP-002
#   severity: medium
#   connectivity: [private-endpoint]
#   providers: [aws]
#   inputs: [konnect.networks, private_endpoints, shares]
#   remediation: >-
#     Turn off "Allow association to shareable service networks" on the resource
#     configuration (UpdateResourceConfiguration with
#     allowAssociationToShareableServiceNetwork=false); Konnect's resource endpoint does
#     not need it.
package dcgw.endpoint.onward_sharing

import data.dcgw.lib.endpoint

deny contains f if {
	some id in endpoint.kong_endpoints
	pe := endpoint.endpoints_by_id[id]
	pe.allow_onward_sharing == true
	not _parent_flagged(id)
	f := {
		"resource": pe.id,
		"msg": sprintf("Resource configuration %s (%s), used by Konnect, allows association to shareable service networks; turn that off so it cannot be shared beyond Konnect's account.", [
			endpoint.display_name(pe),
			object.get(pe, "type", ""),
		]),
		"evidence": {
			"type": object.get(pe, "type", ""),
			"allow_onward_sharing": true,
			"konnect_network_ids": sort(object.get(endpoint.konnect_networks_of_endpoint, id, set())),
		},
	}
}

_parent_flagged(id) if {
	some g in object.get(endpoint.parents_of, id, set())
	endpoint.endpoints_by_id[g].allow_onward_sharing == true
}
