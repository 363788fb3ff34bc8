package dcgw.tls.missing_waf_test

import data.dcgw.lib.ep_fixtures as fx
import data.dcgw.tls.missing_waf

_findings(inp, cfg) := {f.resource | some f in fs} if {
	fs := missing_waf.deny with input as inp with data.config as cfg
}

# agw-edge and the Front Door have no WAF; alb-edge has one; NLBs cannot; alb-web does
# not front the gateway and alb-int is internal.
test_findings if {
	_findings(fx.edge_estate, fx.config) == {"agw-edge", "afd"}
}

test_compliant if {
	lbs := [object.union(l, {"waf_id": "waf-1"}) | some l in fx.edge_estate.load_balancers]
	_findings(object.union(fx.edge_estate, {"load_balancers": lbs}), fx.config) == set()
}

# A configured internal edge is not internet-facing: no finding.
test_configured_internal_edge if {
	cfg := object.union(fx.config, {"edge_load_balancers": ["alb-int", "alb-web"]})
	_findings(fx.edge_estate, cfg) == {"alb-web"}
}

test_message if {
	fs := missing_waf.deny with input as fx.edge_estate with data.config as fx.config
	some f in fs
	f.resource == "afd"
	f.msg == "Internet-facing azure-front-door afd fronts Kong Gateway without a web application firewall; associate a WAF web ACL or policy with it."
}
