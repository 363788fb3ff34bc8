package dcgw.tls.weak_policy_test

import data.dcgw.lib.ep_fixtures as fx
import data.dcgw.tls.weak_policy

_findings(inp, cfg) := {[f.resource, f.key] | some f in fs} if {
	fs := weak_policy.deny with input as inp with data.config as cfg
}

_edge(protocol, policy) := {
	"konnect": fx.edge_estate.konnect,
	"load_balancers": [fx.lb("lb", "aws-alb", "internet-facing", {
		"listeners": [fx.listener(protocol, 443, {"tls_policy": policy, "default_action": fx.forward(["tg-dp"])})],
		"target_group_ids": ["tg-dp"],
	})],
	"target_groups": [fx.tg("tg-dp", "HTTPS", fx.dp_ips)],
}

test_findings if {
	_findings(fx.edge_estate, fx.config) == {["agw-edge", "HTTPS:443"], ["nlb-tls", "TLS:443"]}
}

test_compliant if {
	every policy in ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "AppGwSslPolicy20220101", "AppGwSslPolicy20170401S", "TLS12", ""] {
		_findings(_edge("HTTPS", policy), fx.config) == set()
	}
}

# Every default weak policy is reported, whatever its case.
test_default_weak_policies if {
	every policy in fx.config.weak_tls_policies {
		_findings(_edge("HTTPS", policy), fx.config) == {["lb", "HTTPS:443"]}
		_findings(_edge("TLS", lower(policy)), fx.config) == {["lb", "TLS:443"]}
	}
}

# A plain listener has no policy to judge.
test_plain_listener if {
	_findings(_edge("HTTP", "ELBSecurityPolicy-2016-08"), fx.config) == set()
}

test_policies_from_config if {
	cfg := object.union(fx.config, {"weak_tls_policies": ["ELBSecurityPolicy-TLS13-1-2-2021-06"]})
	_findings(_edge("HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"), cfg) == {["lb", "HTTPS:443"]}
	_findings(_edge("HTTPS", "ELBSecurityPolicy-2016-08"), cfg) == set()
}

test_message if {
	fs := weak_policy.deny with input as fx.edge_estate with data.config as fx.config
	some f in fs
	f.resource == "nlb-tls"
	f.msg == "Edge aws-nlb nlb-tls listener TLS:443 uses the TLS policy ELBSecurityPolicy-2016-08, which accepts TLS 1.0 or 1.1 (listed in weak_tls_policies); switch it to a TLS 1.2+ policy."
}
