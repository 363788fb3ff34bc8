# METADATA
# title: Konnect attachment is not ready
# description: >-
#   A private connection of a Dedicated Cloud Gateway network (peering, transit
#   gateway, Virtual WAN hub or resource endpoint attachment), or a resource
#   configuration of a resource endpoint attachment, is not in the ready state. Until
#   it is, Kong cannot reach the upstreams behind it; most waiting states wait for the
#   customer. Attachments whose state was not collected are not reported.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/transit-gateways/
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-vpc-peering/
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-resource-endpoints/
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/azure-peering/
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/gcp-vpc-peering/
# custom:
#   id: DCGW-ATT-001
#   severity: high
#   connectivity: [peering, hub, private-endpoint]
#   providers: [konnect, aws, azure, gcp]
#   inputs: [konnect.networks]
#   remediation: >-
#     Complete the step the state waits for: `pending-acceptance`: accept Kong's VPC
#     peering connection (AWS `pcx-…`) or the transit gateway attachment (and the RAM
#     share) in your account; `pending-user-action`: grant the Entra admin consent to
#     the Kong app and assign the peering role (Azure), or create the reverse peering
#     (GCP); `error`, `terminated`: read the state reason in Konnect, fix the cause and
#     recreate the attachment. A resource configuration in `missing` needs a resource
#     gateway subnet in one of the Konnect network's availability zones.
package dcgw.attachment.not_ready

import data.dcgw.lib.topology

# Attachments that are not ready.
deny contains f if {
	some a in topology.kong_attachments
	state := object.get(a, "state", "")
	state != ""
	state != "ready"
	kn := topology.konnect_networks_by_id[a.konnect_network_id]
	f := {
		"resource": a.id,
		"key": "state",
		"msg": sprintf("Konnect attachment %s of network %s is in state %s: %s", [
			attachment_label(a), topology.konnect_name(kn), state,
			with_reason(action(state, a, kn), a),
		]),
		"evidence": object.filter(
			object.union(a, {"state": state}),
			["konnect_network_id", "kind", "state", "state_reason", "peering_id", "hub_id", "hub_attachment_id", "share_id", "network_id", "account"],
		),
	}
}

# Resource configurations of resource endpoint attachments that are not ready.
deny contains f if {
	some a in topology.kong_attachments
	a.kind == "aws-resource-endpoint-attachment"
	some rc in object.get(a, "resource_configs", [])
	state := object.get(rc, "state", "")
	state != ""
	state != "ready"
	kn := topology.konnect_networks_by_id[a.konnect_network_id]
	azs := sort(object.get(kn, "availability_zones", []))
	f := {
		"resource": a.id,
		"key": rc.id,
		"msg": sprintf("Resource configuration %s%s of Konnect attachment %s is in state %s: %s", [
			rc.id, domain(rc), attachment_name(a), state,
			with_reason(resource_config_action(state, azs), a),
		]),
		"evidence": {
			"konnect_network_id": a.konnect_network_id,
			"resource_config_id": rc.id,
			"domain_name": object.get(rc, "domain_name", ""),
			"state": state,
			"state_reason": object.get(a, "state_reason", ""),
			"availability_zones": azs,
		},
	}
}

account(a) := sprintf("AWS account %s", [a.account]) if object.get(a, "account", "") != ""

else := "the peer VPC's account"

kong_account(kn) := sprintf("Kong's account %s", [kn.provider_account_id]) if object.get(kn, "provider_account_id", "") != ""

else := "Kong's account"

attachment_label(a) := sprintf("%s (%s, %s)", [a.name, a.id, a.kind]) if object.get(a, "name", "") != ""

else := sprintf("%s (%s)", [a.id, a.kind])

attachment_name(a) := sprintf("%s (%s)", [a.name, a.id]) if object.get(a, "name", "") != ""

else := a.id

domain(rc) := sprintf(" (%s)", [rc.domain_name]) if object.get(rc, "domain_name", "") != ""

else := ""

# with_reason appends the state reason Konnect reports, if any.
with_reason(text, a) := sprintf("%s (Konnect says: %s)", [text, a.state_reason]) if object.get(a, "state_reason", "") != ""

else := text

# action is what the state waits for, by state and kind.
action(state, a, kn) := sprintf("accept Kong's VPC peering connection %s in %s (VPC console, Peering connections).", [
	object.get(a, "peering_id", "request"),
	account(a),
]) if {
	state == "pending-acceptance"
	a.kind == "aws-vpc-peering-attachment"
} else := sprintf("accept the transit gateway attachment %s on %s from %s; if there is none, share the transit gateway with that account through AWS RAM (external principals allowed).", [
	object.get(a, "hub_attachment_id", "request"),
	object.get(a, "hub_id", "the transit gateway"),
	kong_account(kn),
]) if {
	state == "pending-acceptance"
	a.kind == "aws-transit-gateway-attachment"
} else := "accept the connection request on your side (the peering, hub attachment or RAM share Kong requested)." if {
	state == "pending-acceptance"
} else := "grant the Entra admin consent to the Kong Dedicated Cloud Gateway app and assign the Kong Cloud Gateway Peering Creator role to its service principal on the VNet or Virtual WAN hub." if {
	state == "pending-user-action"
	startswith(a.kind, "azure-")
} else := "create the reverse peering from your VPC to Kong's network (gcloud compute networks peerings create, importing and exporting custom routes)." if {
	state == "pending-user-action"
	startswith(a.kind, "gcp-")
} else := "Konnect waits for an action of yours on this attachment; see the state reason in Konnect." if {
	state == "pending-user-action"
} else := "Konnect is still provisioning it; scan again once it settles, and contact Kong support if it stays there." if {
	state in {"created", "initializing"}
} else := "it is being removed or was removed: Kong no longer reaches the network behind it; recreate it if that network is still needed." if {
	state in {"terminating", "terminated"}
} else := "it failed; fix the cause given in the state reason in Konnect and recreate the attachment." if {
	state == "error"
} else := "the state is not one this scanner knows; it needs review."

# resource_config_action is what a resource configuration state needs.
resource_config_action(state, azs) := sprintf("the resource gateway's subnets share no availability zone with the Konnect network (%s); add a resource gateway subnet in one of those zones.", [concat(", ", azs)]) if {
	state == "missing"
	count(azs) > 0
} else := "the resource gateway's subnets share no availability zone with the Konnect network; add a resource gateway subnet in one of its zones." if {
	state == "missing"
} else := "Konnect is still setting it up; scan again once it settles." if {
	state == "initializing"
} else := "it is being removed: Kong will no longer reach this resource." if {
	state == "terminating"
} else := "it failed; check the resource configuration, its RAM share to Kong's account and the state reason in Konnect." if {
	state == "error"
} else := "the state is not one this scanner knows; it needs review."
