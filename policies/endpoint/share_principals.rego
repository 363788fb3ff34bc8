# METADATA
# title: RAM share of a Konnect resource configuration names principals other than Konnect's account
# description: >-
#   A RAM resource share that serves a Konnect resource endpoint attachment (the share the
#   attachment names, or any share carrying a resource configuration Konnect uses) should
#   name one principal: Konnect's AWS account (the provider_account_id of the Konnect
#   networks whose attachments use it). Any other principal (another account, an
#   organization, an OU, an IAM role of another account) can reach the same private
#   resources through its own endpoints; an external one is outside the organization
#   altogether. Principals listed in allowed_share_principals are accepted; principals
#   whose association is DISASSOCIATED or FAILED and deleted shares are not reported.
#   When no Konnect network records its provider account, every principal is reported.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-resource-endpoints/
#   - ref: https://docs.aws.amazon.com/ram/latest/userguide/working-with-sharing-update.html
# custom:
#   id: DCGW-EP-001
#   severity: high
#   connectivity: [private-endpoint]
#   providers: [aws, konnect]
#   inputs: [konnect.networks, private_endpoints, shares]
#   remediation: >-
#     In AWS RAM, remove every principal of the share except Konnect's AWS account (shown
#     in Konnect as the provider account of the network); share the resource configuration
#     with other consumers through a separate share if they need it, or add a principal you
#     accept on purpose to `allowed_share_principals`.
package dcgw.endpoint.share_principals

import data.dcgw.lib.endpoint

_inactive := {"DISASSOCIATED", "FAILED"}

_allowed_config := {p | some p in data.config.allowed_share_principals}

deny contains f if {
	some s in input.shares
	s.id in endpoint.kong_shares
	upper(object.get(s, "status", "")) != "DELETED"
	konnect := _konnect_accounts(s.id)
	some p in object.get(s, "principals", [])
	not upper(object.get(p, "status", "")) in _inactive
	not _allowed(p.id, konnect)
	external := object.get(p, "external", false)
	resources := sort(object.get(endpoint.resources_of_share, s.id, set()))
	f := {
		"resource": s.id,
		"key": p.id,
		"msg": sprintf("RAM share %s, which serves Konnect's resource endpoints, is shared with %s%s, which is not Konnect's account (%s); remove that principal from the share.", [
			endpoint.display_name(s),
			_principal_text(p.id),
			_external_text(external),
			_accounts_text(konnect),
		]),
		"evidence": {
			"principal": p.id,
			"external": external,
			"konnect_accounts": sort(konnect),
			"allow_external_principals": object.get(s, "allow_external_principals", false),
			"resource_configuration_ids": resources,
			"attachment_ids": sort(endpoint.attachments_of_share[s.id]),
		},
	}
}

# _konnect_accounts are Konnect's accounts of the networks the share serves, else of
# every Konnect network.
_konnect_accounts(share_id) := accts if {
	accts := object.get(endpoint.konnect_accounts_of_share, share_id, set())
	count(accts) > 0
} else := endpoint.konnect_accounts

_allowed(id, konnect) if id in konnect

_allowed(id, _) if id in _allowed_config

# An IAM role or user of Konnect's account.
_allowed(id, konnect) if {
	startswith(id, "arn:")
	parts := split(id, ":")
	count(parts) > 4
	parts[4] in konnect
}

_principal_text(id) := sprintf("the organization %s", [id]) if {
	contains(id, ":organization/")
	not contains(id, "/ou-")
} else := sprintf("the organizational unit %s", [id]) if {
	contains(id, "/ou-")
} else := sprintf("the principal %s", [id]) if {
	startswith(id, "arn:")
} else := sprintf("account %s", [id])

_external_text(true) := " (outside your organization)"

_external_text(false) := ""

_accounts_text(accts) := "unknown: no Konnect network records its provider account" if {
	count(accts) == 0
} else := concat(", ", sort(accts))
