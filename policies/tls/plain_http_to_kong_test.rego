package dcgw.tls.plain_http_to_kong_test

import data.dcgw.lib.ep_fixtures as fx
import data.dcgw.tls.plain_http_to_kong

_findings(inp, cfg) := {f.resource | some f in fs} if {
	fs := plain_http_to_kong.deny with input as inp with data.config as cfg
}

# pool-dp (Application Gateway, Http) and tg-int (internal ALB, HTTP) re-originate over
# HTTP; tg-tcp2 is TCP behind a TLS listener. tg-tcp passes TLS through, tg-dp and
# og-ilb use HTTPS, tg-web does not target Kong.
test_findings if {
	_findings(fx.edge_estate, fx.config) == {"pool-dp", "tg-int", "tg-tcp2"}
}

test_compliant if {
	inp := {
		"konnect": fx.edge_estate.konnect,
		"load_balancers": [fx.lb("nlb", "aws-nlb", "internet-facing", {"listeners": [
			fx.listener("TLS", 443, {"default_action": fx.forward(["tg-tls"])}),
			fx.listener("TCP", 8443, {"default_action": fx.forward(["tg-tcp"])}),
		]})],
		"target_groups": [fx.tg("tg-tls", "TLS", fx.dp_ips), fx.tg("tg-tcp", "TCP", fx.dp_ips), fx.tg("tg-https", "HTTPS", fx.dp_ips)],
	}
	_findings(inp, fx.config) == set()
}

# A Kong hostname target counts as Kong; Front Door's HttpOnly forwarding is plain HTTP.
test_kong_hostname_target if {
	inp := {
		"konnect": fx.edge_estate.konnect,
		"target_groups": [
			fx.tg("og-kong", "HttpOnly", ["prod.gateways.konggateway.com"]),
			fx.tg("og-other", "HttpOnly", ["api.example.com"]),
		],
	}
	_findings(inp, fx.config) == {"og-kong"}
}

test_message if {
	fs := plain_http_to_kong.deny with input as fx.edge_estate with data.config as fx.config
	some f in fs
	f.resource == "tg-tcp2"
	f.msg == "Target group tg-tcp2 sends traffic to Kong Gateway in clear text: it uses TCP behind the TLS listener nlb-tls TLS:443, which decrypts; re-originate over HTTPS or pass TLS through."
	f.evidence.kong_targets == fx.dp_ips
	f.evidence.load_balancer_ids == ["nlb-tls"]
}
