# METADATA
# description: >-
#   Estates of the trap classes of path-based verdicts: a default or stateless ACL in
#   front of a security group, prefix lists and group references as sources, NSGs at
#   subnet and NIC level. The reachability model of each (input.reach) is computed by
#   the engine's own code into reach_models_test.rego (TestReachModels keeps it
#   current); with_model(name) is the estate with its model, as a rule sees it.
package dcgw.lib.trap_fixtures

import data.dcgw.lib.reach_models

# input is the estate name with its reachability model as input.reach.
with_model(name) := object.union(estates[name], {"reach": reach_models.models[sprintf("trap_fixtures.estates.%s", [name])]})

kong_cidr := "10.40.0.0/16"

cidr(c) := {"kind": "cidr", "value": c}

ports(from, to) := [{"from": from, "to": to}]

rule(id, direction, action, prio, proto, ps, addrs) := r if {
	side := {"ingress": "sources", "egress": "destinations"}[direction]
	r := {"id": id, "direction": direction, "action": action, "priority": prio, "protocol": proto, "ports": ps, side: addrs}
}

# default_nacl is every VPC's default network ACL: rule 100 allows all traffic from and
# to 0.0.0.0/0 and ::/0, rule * denies.
default_nacl := nacl([
	rule("", "ingress", "allow", 100, "all", ports(0, 65535), [cidr("0.0.0.0/0")]),
	rule("", "ingress", "allow", 101, "all", ports(0, 65535), [cidr("::/0")]),
	rule("", "ingress", "deny", 32767, "all", ports(0, 65535), [cidr("0.0.0.0/0")]),
	rule("", "ingress", "deny", 32768, "all", ports(0, 65535), [cidr("::/0")]),
	rule("", "egress", "allow", 100, "all", ports(0, 65535), [cidr("0.0.0.0/0")]),
	rule("", "egress", "allow", 101, "all", ports(0, 65535), [cidr("::/0")]),
	rule("", "egress", "deny", 32767, "all", ports(0, 65535), [cidr("0.0.0.0/0")]),
	rule("", "egress", "deny", 32768, "all", ports(0, 65535), [cidr("::/0")]),
])

# https_nacl admits tcp 443 from anywhere and lets egress out on the given ports.
https_nacl(egress_from, egress_to) := nacl([
	rule("", "ingress", "allow", 100, "tcp", ports(443, 443), [cidr("0.0.0.0/0")]),
	rule("", "ingress", "deny", 32767, "all", ports(0, 65535), [cidr("0.0.0.0/0")]),
	rule("", "egress", "allow", 100, "tcp", ports(egress_from, egress_to), [cidr("0.0.0.0/0")]),
	rule("", "egress", "deny", 32767, "all", ports(0, 65535), [cidr("0.0.0.0/0")]),
])

nacl(rules) := {
	"id": "acl-1", "provider": "aws", "kind": "aws-network-acl", "network_id": "vpc-1",
	"attached_to": [{"kind": "subnet", "id": "subnet-1"}], "rules": rules,
}

sg(rules) := {
	"id": "sg-1", "name": "app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-1", "stateful": true,
	"attached_to": [{"kind": "interface", "id": "eni-1"}], "rules": rules,
}

dp_only_443 := rule("sgr-dp", "ingress", "allow", 0, "tcp", ports(443, 443), [cidr("10.40.1.10/32"), cidr("10.40.2.10/32")])

kong := {"networks": [{
	"id": "k1", "provider": "konnect", "cidr": kong_cidr, "state": "ready",
	"provider_account_id": "999999999999", "provider_network_id": "vpc-kong",
	"data_plane_ips": ["10.40.1.10", "10.40.2.10"],
	"attachments": [{
		"id": "att-1", "kind": "aws-vpc-peering-attachment", "state": "ready",
		"network_id": "vpc-1", "peering_id": "pcx-1", "cidr_blocks": ["10.20.0.0/16"],
	}],
}]}

# aws is vpc-1 (10.20.0.0/16) peered with Kong over pcx-1: subnet-1 routes Kong's CIDR
# over the peering and 0.0.0.0/0 to an internet gateway, behind the given firewalls.
aws(firewalls, prefix_lists) := {
	"konnect": kong,
	"networks": [{"id": "vpc-1", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.20.0.0/16"]}],
	"subnets": [{"id": "subnet-1", "provider": "aws", "network_id": "vpc-1", "cidrs": ["10.20.1.0/24"], "route_table_id": "rtb-1"}],
	"route_tables": [{"id": "rtb-1", "provider": "aws", "network_id": "vpc-1", "subnet_ids": ["subnet-1"], "routes": [
		{"destination": "10.20.0.0/16", "target_kind": "local", "target_id": "local", "state": "active", "origin": "system"},
		{"destination": kong_cidr, "target_kind": "peering", "target_id": "pcx-1", "state": "active", "origin": "static"},
		{"destination": "0.0.0.0/0", "target_kind": "internet-gateway", "target_id": "igw-1", "state": "active", "origin": "static"},
	]}],
	"peerings": [{
		"id": "pcx-1", "provider": "aws", "kind": "aws-vpc-peering", "state": "active",
		"local": {"network_id": "vpc-1", "cidrs": ["10.20.0.0/16"]},
		"remote": {"network_id": "vpc-kong", "account": "999999999999", "cidrs": [kong_cidr]},
	}],
	"firewalls": firewalls,
	"prefix_lists": prefix_lists,
}

nsg(id, attached, rules) := {
	"id": id, "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-1", "stateful": true,
	"attached_to": [attached], "rules": rules,
}

on_subnet := {"kind": "subnet", "id": "snet-1"}

on_nic := {"kind": "interface", "id": "nic-1"}

internet_tag := {"kind": "service-tag", "value": "Internet"}

any_address := {"kind": "any"}

# azure is vnet-1 (10.20.0.0/16) peered with Kong, subnet snet-1 behind the given NSGs.
azure(firewalls) := {
	"konnect": {"networks": [object.union(kong.networks[0], {"attachments": [{
		"id": "att-1", "kind": "azure-vnet-peering-attachment", "state": "ready",
		"network_id": "vnet-1", "peering_id": "peer-1",
	}]})]},
	"networks": [{"id": "vnet-1", "provider": "azure", "kind": "azure-vnet", "cidrs": ["10.20.0.0/16"]}],
	"subnets": [{"id": "snet-1", "provider": "azure", "network_id": "vnet-1", "cidrs": ["10.20.1.0/24"]}],
	"peerings": [{
		"id": "peer-1", "provider": "azure", "kind": "azure-vnet-peering", "state": "Connected",
		"local": {"network_id": "vnet-1"}, "remote": {"network_id": "vpc-kong"},
	}],
	"firewalls": firewalls,
}

# estates are the trap classes (a name without "twin" must stay silent where the rule
# tests say so) and their twins, which differ in one entry.
estates := {
	# Every VPC's default NACL in front of a security group that admits only the data
	# plane IPs on 443.
	"default_nacl_tight_sg": aws([default_nacl, sg([dp_only_443])], []),
	# twin: the same NACL, and the group also admits tcp 22 from 0.0.0.0/0.
	"default_nacl_open_sg": aws(
		[default_nacl, sg([dp_only_443, rule("sgr-ssh", "ingress", "allow", 0, "tcp", ports(22, 22), [cidr("0.0.0.0/0")])])],
		[],
	),
	# The NACL admits 443 from anywhere but lets only 443 out: the reply on the
	# ephemeral ports is dropped, so the open group admits nothing from the internet.
	"reply_blocked": aws([https_nacl(443, 443), sg([rule("sgr-https", "ingress", "allow", 0, "tcp", ports(443, 443), [cidr("0.0.0.0/0")])])], []),
	# twin: the NACL lets the ephemeral ports out.
	"reply_allowed": aws([https_nacl(1024, 65535), sg([rule("sgr-https", "ingress", "allow", 0, "tcp", ports(443, 443), [cidr("0.0.0.0/0")])])], []),
	# A managed prefix list holding 0.0.0.0/0 as the source of a group rule.
	"prefix_list_open": aws(
		[default_nacl, sg([rule("sgr-pl", "ingress", "allow", 0, "tcp", ports(443, 443), [{"kind": "prefix-list", "value": "pl-1"}])])],
		[{"id": "pl-1", "provider": "aws", "cidrs": ["0.0.0.0/0"]}],
	),
	# twin: the prefix list holds a partner's range.
	"prefix_list_partner": aws(
		[default_nacl, sg([rule("sgr-pl", "ingress", "allow", 0, "tcp", ports(443, 443), [{"kind": "prefix-list", "value": "pl-1"}])])],
		[{"id": "pl-1", "provider": "aws", "cidrs": ["192.0.2.0/24"]}],
	),
	# A group that admits all traffic from its own members (a reference) and from its
	# own VPC: neither is wide.
	"sg_reference": aws(
		[default_nacl, sg([
			dp_only_443,
			rule("sgr-self", "ingress", "allow", 0, "all", [], [{"kind": "group", "value": "sg-1"}]),
			rule("sgr-vpc", "ingress", "allow", 0, "all", [], [cidr("10.20.0.0/16")]),
		])],
		[],
	),
	# twin: all traffic from 10.0.0.0/8, which holds the Konnect network.
	"sg_wide": aws([default_nacl, sg([dp_only_443, rule("sgr-wide", "ingress", "allow", 0, "all", [], [cidr("10.0.0.0/8")])])], []),
	# The subnet NSG allows 443 from the internet, the NIC's NSG denies everything.
	"nsg_nic_deny": azure([
		nsg("nsg-sub", on_subnet, [rule("r-sub", "ingress", "allow", 100, "tcp", ports(443, 443), [internet_tag])]),
		nsg("nsg-nic", on_nic, [rule("r-nic", "ingress", "deny", 100, "all", [], [any_address])]),
	]),
	# twin: the NIC's NSG allows it too.
	"nsg_nic_allow": azure([
		nsg("nsg-sub", on_subnet, [rule("r-sub", "ingress", "allow", 100, "tcp", ports(443, 443), [internet_tag])]),
		nsg("nsg-nic", on_nic, [rule("r-nic", "ingress", "allow", 100, "tcp", ports(443, 443), [internet_tag])]),
	]),
	# A deny at a lower priority number wins over the allow.
	"nsg_deny_first": azure([nsg("nsg-sub", on_subnet, [
		rule("r-allow", "ingress", "allow", 200, "tcp", ports(443, 443), [internet_tag]),
		rule("r-deny", "ingress", "deny", 100, "tcp", ports(443, 443), [any_address]),
	])]),
	# twin: the deny at a higher number comes too late.
	"nsg_deny_late": azure([nsg("nsg-sub", on_subnet, [
		rule("r-allow", "ingress", "allow", 200, "tcp", ports(443, 443), [internet_tag]),
		rule("r-deny", "ingress", "deny", 300, "tcp", ports(443, 443), [any_address]),
	])]),
}
