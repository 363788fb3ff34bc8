package dcgw.dns.private_dns_not_ready_test

import data.dcgw.dns.private_dns_not_ready
import data.dcgw.lib.fixtures

kn(id, provider, private_dns) := {
	"id": id, "provider": provider, "cidr": "10.4.0.0/16",
	"provider_network_id": "vpc-kong", "private_dns": private_dns,
}

msg(snap, resource) := f.msg if {
	some f in private_dns_not_ready.deny with input as snap with data.config as fixtures.config
	f.resource == resource
}

estate := {"konnect": {"networks": [
	kn("kn-aws", "aws", [
		{"id": "pdns-ok", "kind": "aws-private-hosted-zone-attachment", "state": "ready", "zone_id": "Z1"},
		{"id": "pdns-aws", "kind": "aws-private-hosted-zone-attachment", "state": "pending-association", "zone_id": "Z0828"},
		{"id": "pdns-res", "kind": "aws-outbound-resolver", "state": "error", "state_reason": "no route to 10.0.1.100"},
		{"id": "pdns-nostate", "kind": "aws-outbound-resolver"},
	]),
	kn("kn-az", "azure", [{"id": "pdns-az", "kind": "azure-private-hosted-zone-attachment", "state": "pending-association", "domain_name": "corp.internal"}]),
	kn("kn-gcp", "gcp", [
		{"id": "pdns-gcp", "kind": "gcp-private-hosted-zone-attachment", "state": "pending-association", "domain_name": "gcp.internal"},
		{"id": "pdns-odd", "kind": "gcp-private-hosted-zone-attachment", "state": "dozing"},
	]),
]}}

test_violations if {
	got := {f.resource | some f in private_dns_not_ready.deny} with input as estate with data.config as fixtures.config
	got == {"pdns-aws", "pdns-res", "pdns-az", "pdns-gcp", "pdns-odd"}
}

test_messages if {
	contains(msg(estate, "pdns-aws"), "associate the private hosted zone Z0828 with Kong's VPC vpc-kong")
	contains(msg(estate, "pdns-res"), "(Konnect says: no route to 10.0.1.100)")
	contains(msg(estate, "pdns-az"), "virtual network link to Kong's VNet on the private DNS zone corp.internal")
	contains(msg(estate, "pdns-gcp"), "roles/dns.peer")
	contains(msg(estate, "pdns-odd"), "needs review")
}

test_compliant if {
	ready := {"konnect": {"networks": [kn("kn-aws", "aws", [{"id": "pdns-ok", "kind": "aws-private-hosted-zone-attachment", "state": "ready", "zone_id": "Z1"}])]}}
	count(private_dns_not_ready.deny) == 0 with input as ready with data.config as fixtures.config
}
