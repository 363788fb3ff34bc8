package dcgw.firewall.edge_targets_test

import data.dcgw.firewall.edge_targets
import data.dcgw.lib.fixtures

# Two DCGW networks in two regions.
_konnect := {"networks": [
	{"id": "kn-use2", "provider": "aws", "cidr": "10.100.0.0/16", "data_plane_ips": ["10.100.1.10", "10.100.2.10"]},
	{"id": "kn-euw1", "provider": "aws", "cidr": "10.101.0.0/16", "data_plane_ips": ["10.101.1.10"]},
]}

_lb(id, kind, tgs) := {"id": id, "provider": "aws", "kind": kind, "scheme": "internet-facing", "target_group_ids": tgs}

_tg(id, port, targets) := {"id": id, "provider": "aws", "port": port, "targets": targets}

_t(ip) := {"id": ip}

_estate := {
	"konnect": _konnect,
	"load_balancers": [
		_lb("alb-ok", "aws-alb", ["tg-ok", "tg-missing", "tg-extra", "tg-port"]),
		_lb("alb-eu", "aws-alb", ["tg-eu"]),
		{"id": "agw-edge", "provider": "azure", "kind": "azure-application-gateway", "scheme": "internet-facing"},
		{"id": "gclb-edge", "provider": "gcp", "kind": "gcp-load-balancer", "scheme": "internet-facing", "target_group_ids": ["neg-dp"]},
		# internal: not an edge, so its partial group is not checked
		{"id": "alb-int", "provider": "aws", "kind": "aws-alb", "scheme": "internal", "target_group_ids": ["tg-int"]},
	],
	"target_groups": [
		_tg("tg-ok", 443, [_t("10.100.1.10"), _t("10.100.2.10")]),
		_tg("tg-missing", 443, [_t("10.100.1.10")]),
		_tg("tg-extra", 443, [_t("10.100.1.10"), _t("10.100.2.10"), _t("10.0.5.5")]),
		# the group's port applies to targets without one; a target's own port wins
		_tg("tg-port", 80, [_t("10.100.1.10"), {"id": "10.100.2.10", "port": 443}]),
		# the other region's network: only its own data plane IP is expected
		_tg("tg-eu", 443, [_t("10.101.1.10")]),
		# Azure backend pool found through its back reference, with a /32 address
		{"id": "pool-dp", "provider": "azure", "port": 8443, "load_balancer_ids": ["agw-edge"], "targets": [_t("10.100.1.10/32"), _t("10.100.2.10/32")]},
		# GCP network endpoint group with per-endpoint ports
		{"id": "neg-dp", "provider": "gcp", "targets": [{"id": "10.100.1.10", "port": 443}, {"id": "10.100.2.10", "port": 443}]},
		_tg("tg-int", 80, [_t("10.100.1.10")]),
	],
}

_findings(inp, cfg) := {[f.resource, f.key] | some f in fs} if {
	fs := edge_targets.deny with input as inp with data.config as cfg
}

_evidence(inp, cfg, tg) := f.evidence if {
	fs := edge_targets.deny with input as inp with data.config as cfg
	some f in fs
	f.resource == tg
}

test_findings if {
	_findings(_estate, fixtures.config) == {
		["tg-missing", "tg-missing"],
		["tg-extra", "tg-extra"],
		["tg-port", "tg-port"],
		["pool-dp", "pool-dp"],
	}
}

test_evidence if {
	m := _evidence(_estate, fixtures.config, "tg-missing")
	m.missing == ["10.100.2.10"]
	m.extra == []
	m.wrong_port == []
	m.load_balancer_ids == ["alb-ok"]

	e := _evidence(_estate, fixtures.config, "tg-extra")
	e.missing == []
	e.extra == ["10.0.5.5"]

	p := _evidence(_estate, fixtures.config, "tg-port")
	p.wrong_port == [{"port": 80, "target": "10.100.1.10"}]

	a := _evidence(_estate, fixtures.config, "pool-dp")
	a.wrong_port == [{"port": 8443, "target": "10.100.1.10/32"}, {"port": 8443, "target": "10.100.2.10/32"}]
}

# With the gateway port set to 8443 the Azure pool is right and every other group is wrong.
test_gateway_port_from_config if {
	cfg := object.union(fixtures.config, {"gateway_port": 8443})
	_findings(_estate, cfg) == {
		["tg-ok", "tg-ok"],
		["tg-missing", "tg-missing"],
		["tg-extra", "tg-extra"],
		["tg-port", "tg-port"],
		["tg-eu", "tg-eu"],
		["neg-dp", "neg-dp"],
	}
}

# A configured edge whose group holds no data plane IP misses all of them.
test_configured_edge_without_dp_targets if {
	inp := {
		"konnect": _konnect,
		"load_balancers": [_lb("alb-web", "aws-alb", ["tg-web"])],
		"target_groups": [_tg("tg-web", 443, [_t("10.0.9.9")])],
	}
	cfg := object.union(fixtures.config, {"edge_load_balancers": ["alb-web"]})
	e := _evidence(inp, cfg, "tg-web")
	e.missing == ["10.100.1.10", "10.100.2.10", "10.101.1.10"]
	e.extra == ["10.0.9.9"]
}

test_compliant if {
	inp := {
		"konnect": _konnect,
		"load_balancers": [_lb("alb-ok", "aws-alb", ["tg-ok"])],
		"target_groups": [_tg("tg-ok", 443, [_t("10.100.2.10"), {"id": "10.100.1.10", "port": 443}])],
	}
	_findings(inp, fixtures.config) == set()
}

test_message if {
	fs := edge_targets.deny with input as _estate with data.config as fixtures.config
	some f in fs
	f.resource == "tg-missing"
	f.msg == "Edge target group tg-missing should target exactly the DCGW data plane IPs on port 443: missing 10.100.2.10."
}

# Two networks with the same CIDR may reuse a data plane IP: no conflict, both count.
test_shared_dp_ip if {
	inp := {
		"konnect": {"networks": [
			{"id": "kn-a", "provider": "aws", "cidr": "10.0.0.0/16", "data_plane_ips": ["10.0.1.10", "10.0.2.10"]},
			{"id": "kn-b", "provider": "aws", "cidr": "10.0.0.0/16", "data_plane_ips": ["10.0.1.10"]},
			{"id": "kn-c", "provider": "aws", "cidr": "10.9.0.0/16", "data_plane_ips": ["10.9.1.10"]},
		]},
		"load_balancers": [_lb("alb", "aws-alb", ["tg"])],
		"target_groups": [_tg("tg", 443, [_t("10.0.1.10")])],
	}
	e := _evidence(inp, fixtures.config, "tg")
	e.expected == ["10.0.1.10", "10.0.2.10"]
	e.missing == ["10.0.2.10"]
}
