# METADATA
# title: Networks without an owner tag
# description: Test fixture for the end-to-end error cases of dcgw-scan check.
# custom:
#   id: ACME-TAG-001
#   severity: urgent
#   inputs: [networks]
#   remediation: Tag every network with its owner.
package acme.tags.untagged

deny contains f if {
	some n in input.networks
	not n.tags.owner
	f := {"resource": n.id, "msg": "network without an owner tag"}
}
