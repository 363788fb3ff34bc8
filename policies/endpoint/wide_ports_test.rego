package dcgw.endpoint.wide_ports_test

import data.dcgw.endpoint.wide_ports
import data.dcgw.lib.ep_fixtures as fx

_findings(inp, cfg) := {[f.resource, f.key] | some f in fs} if {
	fs := wide_ports.deny with input as inp with data.config as cfg
}

_pes(single_ports) := [
	fx.pe("rcfg-group", "GROUP", {"child_ids": ["rcfg-a"], "share_ids": [fx.share_arn]}),
	fx.pe("rcfg-a", "CHILD", {"parent_id": "rcfg-group", "port_ranges": ["443"]}),
	fx.pe("rcfg-single", "SINGLE", {"name": "payments", "port_ranges": single_ports}),
]

test_compliant if {
	_findings(fx.estate, fx.config) == set()
	_findings(fx.with_endpoints(_pes(["443", "8443"])), fx.config) == set()
}

# Without an entry, any range of more than one port is reported.
test_ranges_without_config if {
	inp := fx.with_endpoints(_pes(["1-65535", "22,8000-8100", "443"]))
	_findings(inp, fx.config) == {
		["rcfg-single", "ports:1-65535"],
		["rcfg-single", "ports:8000-8100"],
	}
}

test_unreadable_range if {
	inp := fx.with_endpoints(_pes(["http", "0", "70000", "9-8"]))
	_findings(inp, fx.config) == {
		["rcfg-single", "ports:http"],
		["rcfg-single", "ports:0"],
		["rcfg-single", "ports:70000"],
		["rcfg-single", "ports:9-8"],
	}
}

# An entry (by id, ARN segment, name or Konnect domain) decides.
test_allowed_ports_from_config if {
	inp := fx.with_endpoints(_pes(["443", "8000-8100"]))
	every key in ["rcfg-single", "payments", "rcfg-single.internal"] {
		cfg := object.union(fx.config, {"endpoint_allowed_ports": {key: ["443", "8000-8200"]}})
		_findings(inp, cfg) == set()
	}
	narrow := object.union(fx.config, {"endpoint_allowed_ports": {"rcfg-single": ["8000-8050"]}})
	_findings(inp, narrow) == {["rcfg-single", "ports:443"], ["rcfg-single", "ports:8000-8100"]}
}

# A child falls back to its group's entry.
test_group_entry if {
	pes := [
		fx.pe("rcfg-group", "GROUP", {"child_ids": ["rcfg-a"], "share_ids": [fx.share_arn]}),
		fx.pe("rcfg-a", "CHILD", {"parent_id": "rcfg-group", "port_ranges": ["8443", "9000-9001"]}),
	]
	cfg := object.union(fx.config, {"endpoint_allowed_ports": {"rcfg-group": ["443"]}})
	_findings(fx.with_endpoints(pes), cfg) == {["rcfg-a", "ports:8443"], ["rcfg-a", "ports:9000-9001"]}
}

test_protocol if {
	pes := [fx.pe("rcfg-single", "SINGLE", {"protocol": "UDP", "port_ranges": ["53"]})]
	_findings(fx.with_endpoints(pes), fx.config) == {["rcfg-single", "protocol"]}
}

# Configurations Konnect does not use are not checked.
test_unrelated if {
	pes := array.concat(_pes(["443"]), [fx.pe("rcfg-other", "SINGLE", {"port_ranges": ["1-65535"]})])
	_findings(fx.with_endpoints(pes), fx.config) == set()
}

test_message if {
	fs := wide_ports.deny with input as fx.with_endpoints(_pes(["1-65535"])) with data.config as fx.config
	some f in fs
	f.msg == "Resource configuration payments (rcfg-single), used by Konnect, exposes the port range 1-65535 (65535 ports); set its port ranges to the ports the service listens on, or allow the range in endpoint_allowed_ports."
	f.evidence.allowed_ports == null
	f.evidence.konnect_domains == ["rcfg-single.internal"]
}

# A null config map (a caller that left it unset) means no entries.
test_null_config if {
	cfg := object.union(fx.config, {"endpoint_allowed_ports": null})
	_findings(fx.with_endpoints(_pes(["1-10"])), cfg) == {["rcfg-single", "ports:1-10"]}
}
