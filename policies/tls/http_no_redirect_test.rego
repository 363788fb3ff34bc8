package dcgw.tls.http_no_redirect_test

import data.dcgw.lib.ep_fixtures as fx
import data.dcgw.tls.http_no_redirect

_findings(inp, cfg) := {[f.resource, f.key] | some f in fs} if {
	fs := http_no_redirect.deny with input as inp with data.config as cfg
}

# agw-edge forwards plain HTTP; alb-edge and the Front Door redirect; alb-web and the
# internal alb-int do not front the gateway from the internet.
test_findings if {
	_findings(fx.edge_estate, fx.config) == {["agw-edge", "HTTP:80"]}
}

test_compliant if {
	inp := {
		"konnect": fx.edge_estate.konnect,
		"load_balancers": [fx.lb("alb-edge", "aws-alb", "internet-facing", {
			"listeners": [
				fx.listener("HTTPS", 443, {"default_action": fx.forward(["tg-dp"])}),
				fx.listener("HTTP", 80, {"default_action": {"kind": "redirect", "redirect_protocol": "https"}}),
			],
			"target_group_ids": ["tg-dp"],
		})],
		"target_groups": [fx.tg("tg-dp", "HTTPS", fx.dp_ips)],
	}
	_findings(inp, fx.config) == set()
}

# Redirects that keep HTTP, fixed responses and unknown actions are reported too.
test_other_actions if {
	inp := {
		"konnect": fx.edge_estate.konnect,
		"load_balancers": [fx.lb("alb-edge", "aws-alb", "internet-facing", {
			"listeners": [
				fx.listener("HTTP", 80, {"id": "same", "default_action": {"kind": "redirect"}}),
				fx.listener("HTTP", 8080, {"id": "http", "default_action": {"kind": "redirect", "redirect_protocol": "HTTP"}}),
				fx.listener("HTTP", 8081, {"id": "fixed", "default_action": {"kind": "fixed-response"}}),
				fx.listener("HTTP", 8082, {"id": "none"}),
				fx.listener("HTTPS", 443, {"id": "tls", "default_action": fx.forward(["tg-dp"])}),
			],
		})],
		"target_groups": [object.union(fx.tg("tg-dp", "HTTPS", fx.dp_ips), {"load_balancer_ids": ["alb-edge"]})],
	}
	_findings(inp, fx.config) == {["alb-edge", "same"], ["alb-edge", "http"], ["alb-edge", "fixed"], ["alb-edge", "none"]}
}

# Configured edges replace the discovered ones.
test_configured_edges if {
	cfg := object.union(fx.config, {"edge_load_balancers": ["alb-web"]})
	_findings(fx.edge_estate, cfg) == {["alb-web", "HTTP:80"]}
}

test_message if {
	fs := http_no_redirect.deny with input as fx.edge_estate with data.config as fx.config
	some f in fs
	f.msg == "Edge azure-application-gateway agw-edge has a plain HTTP listener Http:80 that forwards requests in clear text instead of redirecting to HTTPS; make its default action a redirect to HTTPS."
}
