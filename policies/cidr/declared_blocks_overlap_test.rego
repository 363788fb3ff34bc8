package dcgw.cidr.declared_blocks_overlap_test

import data.dcgw.cidr.declared_blocks_overlap
import data.dcgw.lib.fixtures

kn(id, provider, cidr, attachments) := {"id": id, "provider": provider, "cidr": cidr, "attachments": attachments}

att(id, kind, blocks) := {"id": id, "kind": kind, "state": "ready", "cidr_blocks": blocks}

findings(networks) := got if {
	got := {[f.resource, f.key] | some f in declared_blocks_overlap.deny} with input as {"konnect": {"networks": networks}}
		with data.config as fixtures.config
}

tgw := "aws-transit-gateway-attachment"

pcx := "aws-vpc-peering-attachment"

aws := [
	kn("kn-1", "aws", "10.4.0.0/16", [
		att("att-a", tgw, ["10.10.0.0/16", "10.10.5.0/24"]),
		att("att-b", pcx, ["10.10.0.0/20"]),
		att("att-c", pcx, ["10.4.128.0/20"]),
		att("att-d", pcx, ["10.20.0.0/16", "fd10::/48"]),
		att("att-e", tgw, ["fd00::/48"]),
		att("att-f", pcx, ["fd00:0:0:1::/64"]),
	]),
	# The same block on another Konnect network is not compared.
	kn("kn-2", "aws", "10.5.0.0/16", [att("att-x", tgw, ["10.10.0.0/16"])]),
	# A /8 against a /24 and the Konnect CIDR: buckets of different levels.
	kn("kn-3", "aws", "10.6.0.0/16", [att("att-p", tgw, ["10.0.0.0/8"]), att("att-q", pcx, ["10.200.3.0/24"])]),
]

test_aws if {
	findings(aws) == {
		["att-a", "10.10.0.0/16|10.10.5.0/24"], # within one attachment, once
		["att-a", "10.10.0.0/16|10.10.0.0/20"],
		["att-a", "10.10.5.0/24|10.10.0.0/20"],
		["att-b", "10.10.0.0/20|10.10.0.0/16"],
		["att-b", "10.10.0.0/20|10.10.5.0/24"],
		["att-c", "10.4.128.0/20|10.4.0.0/16"], # the Konnect CIDR
		["att-e", "fd00::/48|fd00:0:0:1::/64"],
		["att-f", "fd00:0:0:1::/64|fd00::/48"],
		["att-p", "10.0.0.0/8|10.6.0.0/16"],
		["att-p", "10.0.0.0/8|10.200.3.0/24"],
		["att-q", "10.200.3.0/24|10.0.0.0/8"],
	}
}

test_message_names_where if {
	some f in declared_blocks_overlap.deny with input as {"konnect": {"networks": aws}} with data.config as fixtures.config
	f.resource == "att-c"
	f.msg == "Konnect attachment att-c of network kn-1 declares 10.4.128.0/20, which overlaps 10.4.0.0/16 on the Konnect network CIDR: only one route to the overlapping addresses can win."
}

# Two attachments declaring the same block on the same overlap are merged into one
# finding per (attachment, pair).
test_merges_sources if {
	nets := [kn("kn-1", "aws", "10.4.0.0/16", [
		att("att-a", tgw, ["10.10.0.0/16"]),
		att("att-b", pcx, ["10.10.1.0/24"]),
		att("att-c", pcx, ["10.10.1.0/24"]),
	])]
	findings(nets) == {
		["att-a", "10.10.0.0/16|10.10.1.0/24"],
		["att-b", "10.10.1.0/24|10.10.0.0/16"],
		["att-b", "10.10.1.0/24|10.10.1.0/24"],
		["att-c", "10.10.1.0/24|10.10.0.0/16"],
		["att-c", "10.10.1.0/24|10.10.1.0/24"],
	}
	some f in declared_blocks_overlap.deny with input as {"konnect": {"networks": nets}} with data.config as fixtures.config
	f.resource == "att-a"
	f.evidence.overlapping_on == ["attachment att-b", "attachment att-c"]
}

# Azure and GCP attachments declare no blocks: nothing to compare.
test_compliant if {
	nets := [
		kn("kn-1", "aws", "10.4.0.0/16", [att("att-a", tgw, ["10.10.0.0/16", "10.11.0.0/16"]), att("att-b", pcx, ["10.12.0.0/16", "fd00::/48"])]),
		kn("kn-az", "azure", "10.5.0.0/16", [{"id": "att-az", "kind": "azure-vnet-peering-attachment", "network_id": "vnet-1"}]),
		kn("kn-gcp", "gcp", "10.6.0.0/16", [{"id": "att-gcp", "kind": "gcp-vpc-peering-attachment"}]),
	]
	findings(nets) == set()
}
