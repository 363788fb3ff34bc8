# METADATA
# title: Konnect private DNS attachment is not ready
# description: >-
#   A private DNS attachment of a Dedicated Cloud Gateway network (a private hosted
#   zone attachment or an outbound resolver) is not in the ready state. Until it is,
#   Kong cannot resolve the private names of the upstreams behind it. Attachments whose
#   state was not collected are not reported.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-dns/
#   - ref: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-associate-vpcs-different-accounts.html
#   - ref: https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links
#   - ref: https://cloud.google.com/dns/docs/zones/peering-zones
# custom:
#   id: DCGW-DNS-003
#   severity: medium
#   connectivity: [peering, hub]
#   providers: [konnect, aws, azure, gcp]
#   inputs: [konnect.networks]
#   remediation: >-
#     Complete the association the attachment waits for: AWS: authorize the association
#     of the private hosted zone with Kong's VPC (`aws route53
#     create-vpc-association-authorization`); Azure: assign the DNS link creator role to
#     Kong's service principal on the private DNS zone so Konnect can create the virtual
#     network link; GCP: grant `roles/dns.peer` to Kong's principal. For `error`, read the
#     state reason in Konnect, fix the cause and recreate the attachment.
package dcgw.dns.private_dns_not_ready

import data.dcgw.lib.topology

deny contains f if {
	some kn in input.konnect.networks
	some d in object.get(kn, "private_dns", [])
	state := object.get(d, "state", "")
	state != ""
	state != "ready"
	f := {
		"resource": d.id,
		"msg": sprintf("Konnect private DNS attachment %s of network %s is in state %s: %s", [
			label(d), topology.konnect_name(kn), state,
			with_reason(action(state, d, kn), d),
		]),
		"evidence": object.union(
			object.filter(d, ["kind", "state_reason", "zone_id", "domain_name"]),
			{"konnect_network_id": kn.id, "state": state},
		),
	}
}

label(d) := sprintf("%s (%s, %s)", [d.name, d.id, d.kind]) if object.get(d, "name", "") != ""

else := sprintf("%s (%s)", [d.id, d.kind])

with_reason(text, d) := sprintf("%s (Konnect says: %s)", [text, d.state_reason]) if object.get(d, "state_reason", "") != ""

else := text

zone(d) := d.zone_id if {
	object.get(d, "zone_id", "") != ""
} else := d.domain_name if {
	object.get(d, "domain_name", "") != ""
} else := "the zone"

vpc(kn) := sprintf("Kong's VPC %s", [kn.provider_network_id]) if object.get(kn, "provider_network_id", "") != ""

else := "Kong's VPC"

# action is what the state waits for, by state and kind.
action(state, d, kn) := sprintf("associate the private hosted zone %s with %s (the zone owner runs create-vpc-association-authorization for that VPC).", [zone(d), vpc(kn)]) if {
	state == "pending-association"
	startswith(d.kind, "aws-")
} else := sprintf("let Konnect create the virtual network link to Kong's VNet on the private DNS zone %s (assign the DNS link creator role to Kong's service principal; the link name must not exist yet).", [zone(d)]) if {
	state == "pending-association"
	startswith(d.kind, "azure-")
} else := sprintf("grant roles/dns.peer on the project of %s to Kong's principal so the DNS peering zone can be created.", [zone(d)]) if {
	state == "pending-association"
	startswith(d.kind, "gcp-")
} else := "complete the association on the cloud side; see the state reason in Konnect." if {
	state == "pending-association"
} else := "Konnect is still provisioning it; scan again once it settles, and contact Kong support if it stays there." if {
	state in {"created", "initializing"}
} else := "it is being removed or was removed: Kong no longer resolves these names; recreate it if they are still needed." if {
	state in {"terminating", "terminated"}
} else := "it failed; fix the cause given in the state reason in Konnect and recreate the attachment." if {
	state == "error"
} else := "the state is not one this scanner knows; it needs review."
