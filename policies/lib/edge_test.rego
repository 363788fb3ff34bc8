package dcgw.lib.edge_test

import data.dcgw.lib.edge
import data.dcgw.lib.fixtures

# An AWS estate: Konnect network kn-1 peered with vpc-app; vpc-other is not connected.
_estate := {
	"konnect": {"networks": [{
		"id": "kn-1",
		"provider": "aws",
		"cidr": "10.100.0.0/16",
		"data_plane_ips": ["10.100.1.10", "10.100.2.10"],
		"hostnames": ["9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com"],
		"attachments": [{"id": "att-1", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-app"}],
	}]},
	"load_balancers": [
		# internet-facing, DP targets through its own list: edge
		{"id": "alb-edge", "provider": "aws", "kind": "aws-alb", "scheme": "internet-facing", "target_group_ids": ["tg-dp"], "firewall_ids": ["sg-alb"]},
		# internal with DP targets: not an edge
		{"id": "alb-int", "provider": "aws", "kind": "aws-alb", "scheme": "internal", "target_group_ids": ["tg-dp-int"]},
		# internet-facing without DP targets: not an edge
		{"id": "alb-web", "provider": "aws", "kind": "aws-alb", "scheme": "internet-facing", "target_group_ids": ["tg-web"], "firewall_ids": ["sg-web"]},
		# internet-facing, DP targets through the group's back reference: edge
		{"id": "agw-edge", "provider": "azure", "kind": "azure-application-gateway", "scheme": "internet-facing"},
	],
	"target_groups": [
		{"id": "tg-dp", "provider": "aws", "port": 443, "targets": [{"id": "10.100.1.10"}, {"id": "10.100.2.10"}]},
		{"id": "tg-dp-int", "provider": "aws", "port": 443, "targets": [{"id": "10.100.1.10"}]},
		{"id": "tg-web", "provider": "aws", "port": 80, "targets": [{"id": "10.0.0.5"}]},
		{"id": "pool-dp", "provider": "azure", "port": 443, "load_balancer_ids": ["agw-edge"], "targets": [{"id": "10.100.2.10/32"}]},
	],
	"firewalls": [
		# only on the edge ALB: edge-only
		{"id": "sg-alb", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app"},
		# attached to the application gateway through attached_to: edge-only
		{"id": "nsg-agw", "provider": "azure", "kind": "azure-nsg", "network_id": "vnet-app", "attached_to": [{"kind": "load-balancer", "id": "agw-edge"}]},
		# on the edge ALB and on an instance: gateway-facing
		{"id": "sg-mixed", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app", "attached_to": [{"kind": "load-balancer", "id": "alb-edge"}, {"kind": "interface", "id": "eni-1"}]},
		# upstream firewall in the connected network
		{"id": "sg-app", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app"},
		# on a non-edge load balancer in the connected network
		{"id": "sg-web", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-app"},
		# resource gateway firewall outside any connected network, both ways of attaching
		{"id": "sg-rg", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-res"},
		{"id": "sg-rg2", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-res", "attached_to": [{"kind": "resource-gateway", "id": "rgw-2"}]},
		# Azure NSGs have no network of their own: found through their subnets
		{"id": "nsg-sub", "provider": "azure", "kind": "azure-nsg", "attached_to": [{"kind": "subnet", "id": "subnet-app"}]},
		{"id": "nsg-sub2", "provider": "azure", "kind": "azure-nsg"},
		{"id": "nsg-sub-other", "provider": "azure", "kind": "azure-nsg", "attached_to": [{"kind": "subnet", "id": "subnet-other"}]},
		# GCP firewall attached to the network itself
		{"id": "gcp-fw", "provider": "gcp", "kind": "gcp-firewall", "attached_to": [{"kind": "network", "id": "vpc-app"}]},
		# unrelated network
		{"id": "sg-other", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-other"},
	],
	"resource_gateways": [{"id": "rgw-1", "provider": "aws", "firewall_ids": ["sg-rg"]}],
	"subnets": [
		{"id": "subnet-app", "provider": "azure", "network_id": "vpc-app"},
		{"id": "subnet-app2", "provider": "azure", "network_id": "vpc-app", "firewall_ids": ["nsg-sub2"]},
		{"id": "subnet-other", "provider": "azure", "network_id": "vpc-other"},
	],
}

test_edge_load_balancers_discovered if {
	edge.edge_load_balancers == {"alb-edge", "agw-edge"} with input as _estate with data.config as fixtures.config
}

test_edge_load_balancers_configured if {
	cfg := object.union(fixtures.config, {"edge_load_balancers": ["alb-web"]})
	edge.edge_load_balancers == {"alb-web"} with input as _estate with data.config as cfg
}

test_edge_load_balancers_none if {
	inp := object.union(_estate, {"target_groups": []})
	edge.edge_load_balancers == set() with input as inp with data.config as fixtures.config
}

test_edge_target_groups if {
	edge.edge_target_groups == {"tg-dp", "pool-dp"} with input as _estate with data.config as fixtures.config
}

test_edge_firewalls if {
	edge.edge_firewalls == {"sg-alb", "nsg-agw", "sg-mixed"} with input as _estate with data.config as fixtures.config
}

test_gateway_facing_firewalls if {
	want := {"sg-mixed", "sg-app", "sg-web", "sg-rg", "sg-rg2", "nsg-sub", "nsg-sub2", "gcp-fw"}
	edge.gateway_facing_firewalls == want with input as _estate with data.config as fixtures.config
}

# With alb-web configured as the only edge, sg-alb is no longer edge-only and sg-web is.
test_gateway_facing_firewalls_configured_edge if {
	cfg := object.union(fixtures.config, {"edge_load_balancers": ["alb-web"]})
	want := {"sg-alb", "sg-mixed", "sg-app", "sg-rg", "sg-rg2", "nsg-sub", "nsg-sub2", "gcp-fw"}
	edge.gateway_facing_firewalls == want with input as _estate with data.config as cfg
}

test_kong_hostname if {
	names := {
		"9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com", # a network hostname
		"9CB1C8DBAB.aws-us-east-2.edge.gateways.konggateway.com.", # case and trailing dot
		"abcdef0123.gateways.konggateway.com", # under a Kong domain
		"abcdef0123.GATEWAYS.KONGHQ.COM.", # legacy domain, upper case
		"kong-xyz.kongcloud.dev",
		"gateways.konggateway.com", # the domain itself is no gateway
		"evilgateways.konggateway.com", # not a label boundary
		"_acme-challenge.abcdef0123.acme.gateways.konggateway.com", # ACME
		"abcdef0123.acme.gateways.konggateway.com", # ACME delegation zone
		"api.example.com",
		"alb-1.us-east-2.elb.amazonaws.com",
	}
	got := {n | some n in names; edge.kong_hostname(n)} with input as _estate with data.config as fixtures.config
	got == {
		"9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com",
		"9CB1C8DBAB.aws-us-east-2.edge.gateways.konggateway.com.",
		"abcdef0123.gateways.konggateway.com",
		"abcdef0123.GATEWAYS.KONGHQ.COM.",
		"kong-xyz.kongcloud.dev",
	}
}

# A network hostname outside the configured domains still counts.
test_kong_hostname_network_only if {
	cfg := object.union(fixtures.config, {"kong_domains": []})
	inp := {"konnect": {"networks": [{"id": "kn-1", "cidr": "10.0.0.0/16", "hostnames": ["GW.Example.NET."]}]}}
	got := {n | some n in ["gw.example.net", "x.gateways.konggateway.com"]; edge.kong_hostname(n)} with input as inp with data.config as cfg
	got == {"gw.example.net"}
}

test_rule_key if {
	with_id := {"id": "sgr-1", "direction": "ingress", "action": "allow", "protocol": "tcp"}
	without := {
		"direction": "ingress", "action": "allow", "protocol": "TCP",
		"ports": [{"from": 443, "to": 443}, {"from": 8000, "to": 8100}],
		"sources": [{"kind": "cidr", "value": "10.0.0.0/8"}, {"kind": "any"}],
	}
	edge.rule_key(with_id) == "sgr-1"
	edge.rule_key(without) == "ingress|allow|tcp|443-443,8000-8100|any:,cidr:10.0.0.0/8||"
}

test_open_address if {
	inp := {"prefix_lists": [
		{"id": "pl-open", "provider": "aws", "cidrs": ["10.0.0.0/8", "::/0"]},
		{"id": "pl-closed", "provider": "aws", "cidrs": ["10.0.0.0/8"]},
	]}
	cases := {
		"any": {"kind": "any"},
		"v4": {"kind": "cidr", "value": "0.0.0.0/0"},
		"v6": {"kind": "cidr", "value": "::/0"},
		"internet-tag": {"kind": "service-tag", "value": "Internet"},
		"star-tag": {"kind": "service-tag", "value": "*"},
		"any-tag": {"kind": "service-tag", "value": "Any"},
		"open-list": {"kind": "prefix-list", "value": "pl-open"},
		"closed-list": {"kind": "prefix-list", "value": "pl-closed"},
		"missing-list": {"kind": "prefix-list", "value": "pl-gone"},
		"private": {"kind": "cidr", "value": "10.0.0.0/8"},
		"vnet-tag": {"kind": "service-tag", "value": "VirtualNetwork"},
		"group": {"kind": "group", "value": "sg-1"},
	}
	got := {name | some name, a in cases; edge.open_address(a)} with input as inp
	got == {"any", "v4", "v6", "internet-tag", "star-tag", "any-tag", "open-list"}
}

test_resolvable if {
	inp := {"prefix_lists": [{"id": "pl-1", "provider": "aws", "cidrs": ["10.0.0.0/8"]}]}
	cases := {
		"cidr": {"kind": "cidr", "value": "10.0.0.0/8"},
		"list": {"kind": "prefix-list", "value": "pl-1"},
		"missing-list": {"kind": "prefix-list", "value": "pl-gone"},
		"group": {"kind": "group", "value": "sg-1"},
		"tag": {"kind": "service-tag", "value": "Internet"},
		"any": {"kind": "any"},
	}
	got := {name | some name, a in cases; edge.resolvable(a)} with input as inp
	got == {"cidr", "list"}
}

test_all_ports if {
	cases := {
		"all": {"protocol": "all"},
		"minus-one": {"protocol": "-1"},
		"star": {"protocol": "*"},
		"tcp-0": {"protocol": "tcp", "ports": [{"from": 0, "to": 65535}]},
		"udp-1": {"protocol": "udp", "ports": [{"from": 1, "to": 65535}]},
		"tcp-no-ports": {"protocol": "tcp"},
		"tcp-443": {"protocol": "tcp", "ports": [{"from": 443, "to": 443}]},
		"tcp-high": {"protocol": "tcp", "ports": [{"from": 1024, "to": 65535}]},
		"icmp": {"protocol": "icmp"},
	}
	got := {name | some name, r in cases; edge.all_ports(r)}
	got == {"all", "minus-one", "star", "tcp-0", "udp-1", "tcp-no-ports"}
}

test_return_traffic if {
	nacl := {"id": "acl-1", "kind": "aws-network-acl"}
	sg := {"id": "sg-1", "kind": "aws-security-group"}
	eph := {"direction": "ingress", "action": "allow", "protocol": "tcp", "ports": [{"from": 1024, "to": 65535}]}
	all_traffic := {"direction": "ingress", "action": "allow", "protocol": "all"}
	low := {"direction": "ingress", "action": "allow", "protocol": "tcp", "ports": [{"from": 22, "to": 22}, {"from": 1024, "to": 65535}]}
	edge.return_traffic(nacl, eph)
	not edge.return_traffic(sg, eph)
	not edge.return_traffic(nacl, all_traffic)
	not edge.return_traffic(nacl, low)
}

_allow(prio, sources, ports) := {
	"id": sprintf("allow-%d", [prio]), "direction": "ingress", "action": "allow", "priority": prio,
	"protocol": "tcp", "ports": ports, "sources": sources,
}

_deny(prio, protocol, sources, ports) := {
	"id": sprintf("deny-%d", [prio]), "direction": "ingress", "action": "deny", "priority": prio,
	"protocol": protocol, "ports": ports, "sources": sources,
}

test_shadowed if {
	internet := [{"kind": "service-tag", "value": "Internet"}]
	p443 := [{"from": 443, "to": 443}]
	wide := [{"from": 0, "to": 65535}]
	nsg := {"id": "nsg-1", "kind": "azure-nsg", "rules": [_deny(100, "*", internet, wide)]}
	narrow_nsg := {"id": "nsg-2", "kind": "azure-nsg", "rules": [_deny(100, "tcp", [{"kind": "cidr", "value": "10.0.0.0/8"}], p443)]}
	gcp := {"id": "gcp-fw", "kind": "gcp-firewall", "rules": [_deny(1000, "all", [{"kind": "cidr", "value": "0.0.0.0/0"}], [])]}
	sg := {"id": "sg-1", "kind": "aws-security-group", "rules": [_deny(100, "all", internet, wide)]}
	cases := {
		# a later allow under an all-covering deny
		"nsg-later": [nsg, _allow(200, internet, p443)],
		# an earlier allow wins over the deny
		"nsg-earlier": [nsg, _allow(50, internet, p443)],
		# the deny covers a /8 inside which the allow's /16 lies, on the same port
		"nsg-inside": [narrow_nsg, _allow(200, [{"kind": "cidr", "value": "10.1.0.0/16"}], p443)],
		# the deny's port is narrower than the allow's
		"nsg-ports": [narrow_nsg, _allow(200, [{"kind": "cidr", "value": "10.1.0.0/16"}], wide)],
		# the deny's source is narrower than the allow's
		"nsg-sources": [narrow_nsg, _allow(200, [{"kind": "cidr", "value": "0.0.0.0/0"}], p443)],
		# GCP: deny wins at equal priority
		"gcp-equal": [gcp, _allow(1000, [{"kind": "cidr", "value": "0.0.0.0/0"}], p443)],
		"gcp-earlier": [gcp, _allow(999, [{"kind": "cidr", "value": "0.0.0.0/0"}], p443)],
		# security groups have no ordering, so nothing is shadowed
		"sg": [sg, _allow(200, internet, p443)],
	}
	got := {name | some name, c in cases; edge.shadowed(c[0], c[1])}
	got == {"nsg-later", "nsg-inside", "gcp-equal"}
}

# GCP target tags: a deny for other instances does not shadow an allow for tagged ones.
test_shadowed_targets if {
	src := [{"kind": "cidr", "value": "0.0.0.0/0"}]
	p443 := [{"from": 443, "to": 443}]
	deny_web := object.union(_deny(100, "all", src, []), {"targets": [{"kind": "tag", "value": "web"}]})
	allow_db := object.union(_allow(200, src, p443), {"targets": [{"kind": "tag", "value": "db"}]})
	allow_web := object.union(_allow(200, src, p443), {"targets": [{"kind": "tag", "value": "web"}]})
	fw := {"id": "gcp-fw", "kind": "gcp-firewall", "rules": [deny_web]}
	not edge.shadowed(fw, allow_db)
	edge.shadowed(fw, allow_web)
}

test_traffic_text if {
	edge.traffic_text({"protocol": "-1"}) == "all traffic"
	edge.traffic_text({"protocol": "icmp"}) == "icmp"
	edge.traffic_text({"protocol": "TCP", "ports": [{"from": 443, "to": 443}, {"from": 8000, "to": 8100}]}) == "tcp 443,8000-8100"
}
