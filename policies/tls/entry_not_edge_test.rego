package dcgw.tls.entry_not_edge_test

import data.dcgw.lib.ep_fixtures as fx
import data.dcgw.tls.entry_not_edge

_zone := {"id": "Z1", "provider": "aws", "dns_name": "acme.com"}

_private_zone := {"id": "Z2", "provider": "aws", "dns_name": "acme.com", "private": true}

_rec(fqdn, type, values) := {"id": concat("/", [fqdn, type]), "provider": "aws", "zone_id": "Z1", "fqdn": fqdn, "type": type, "values": values}

_alias(fqdn, alias) := {"id": concat("/", [fqdn, "alias"]), "provider": "aws", "zone_id": "Z1", "fqdn": fqdn, "type": "A", "alias": alias}

_res(host, chain, addrs) := {"id": host, "hostname": host, "chain": chain, "addresses": addrs, "rcode": "NOERROR"}

_estate := object.union(fx.edge_estate, {
	"konnect": object.union(fx.edge_estate.konnect, {"custom_domains": [
		{"id": "cd-apex", "domain": "acme.com"},
		{"id": "cd-portal", "domain": "portal.acme.com"}, # no DNS data: not judged
		{"id": "cd-int", "domain": "Int.Acme.com."},
	]}),
	"dns_zones": [_zone, _private_zone],
	"dns_records": [
		_alias("acme.com", {"dns_name": "dualstack.Edge-1.us-east-2.elb.amazonaws.com.", "hosted_zone_id": "Z3AADJGX6KTTL2"}),
		_rec("int.acme.com", "CNAME", ["internal-alb-int-1.us-east-2.elb.amazonaws.com"]),
		_alias("az.acme.com", {"target_resource": "agw-edge"}),
		_rec("two.acme.com", "CNAME", ["hop.acme.com"]),
		_rec("hop.acme.com", "CNAME", ["api-x.z01.azurefd.net"]),
		# a private zone record does not make a public name an edge
		object.union(_rec("shop.acme.com", "CNAME", ["edge-1.us-east-2.elb.amazonaws.com"]), {"zone_id": "Z2"}),
	],
	"dns_resolutions": [
		_res("api.acme.com", ["edge-1.us-east-2.elb.amazonaws.com"], ["3.3.3.3"]),
		_res("shop.acme.com", ["shop.cdn.example.net"], ["203.0.113.5"]),
		_res("bare.acme.com", [], ["198.51.100.7"]),
		_res("gw.acme.com", ["prod.gateways.konggateway.com"], ["34.1.1.1"]), # DNS-002's
		_res("dp.acme.com", [], ["10.100.1.10"]), # DNS-002's
		_res("prod.gateways.konggateway.com", [], ["34.1.1.1"]), # Kong's own name
		_res("_acme-challenge.api.acme.com", ["x.acme.gateways.konggateway.com"], []),
		{"id": "down.acme.com", "hostname": "down.acme.com", "rcode": "NXDOMAIN"},
		{"id": "fail.acme.com", "hostname": "fail.acme.com", "error": "timeout"},
		_res("nlb.acme.com", ["nlb-pass.elb.us-east-2.amazonaws.com"], ["3.3.3.4"]),
	],
})

_findings(inp, cfg) := {[f.resource, f.key] | some f in fs} if {
	fs := entry_not_edge.deny with input as inp with data.config as cfg
}

test_findings if {
	_findings(_estate, fx.config) == {
		["shop.acme.com", "shop.acme.com"],
		["bare.acme.com", "bare.acme.com"],
		["cd-int", "int.acme.com"],
	}
}

test_compliant if {
	inp := object.union(_estate, {
		"dns_records": [r | some r in _estate.dns_records; r.fqdn != "int.acme.com"],
		"dns_resolutions": [r | some r in _estate.dns_resolutions; not r.hostname in {"shop.acme.com", "bare.acme.com"}],
	})
	_findings(inp, fx.config) == set()
}

# External edges match by name, by a suffix (with or without a leading dot) or by address.
test_external_edges if {
	every edges in [["shop.cdn.example.net", "198.51.100.7"], [".example.net", "198.51.100.7/32"], ["Example.NET.", "198.51.100.7"]] {
		cfg := object.union(fx.config, {"external_edges": edges})
		_findings(_estate, cfg) == {["cd-int", "int.acme.com"]}
	}
	cfg := object.union(fx.config, {"external_edges": ["dn.example.net"]}) # not a label boundary
	["shop.acme.com", "shop.acme.com"] in _findings(_estate, cfg)
}

# A name that ends at a public load balancer that does not front Kong is still at an edge
# of the customer's own; whether that edge forwards to Kong is DCGW-FW-004's.
test_public_lb_without_kong if {
	inp := object.union(_estate, {"dns_resolutions": [_res("web.acme.com", ["web-1.us-east-2.elb.amazonaws.com"], ["3.3.3.5"])]})
	_findings(inp, fx.config) == {["cd-int", "int.acme.com"]}
}

test_messages if {
	fs := entry_not_edge.deny with input as _estate with data.config as fx.config
	some f in fs
	f.key == "int.acme.com"
	f.msg == "Public name int.acme.com ends at the internal load balancer alb-int, which is not an internet-facing edge; point it at your internet-facing edge (CDN, WAF or load balancer) in front of the gateway."
	f.evidence.custom_domain == true
	some g in fs
	g.key == "shop.acme.com"
	g.msg == "Public name shop.acme.com ends at shop.cdn.example.net, which is not an internet-facing load balancer, Front Door or listed edge of the scanned accounts; point it at your edge in front of the gateway, or list that edge in external_edges."
	some h in fs
	h.key == "bare.acme.com"
	contains(h.msg, "ends at 198.51.100.7,")
}

# CDN services' domains are edges by default.
test_default_cdn_edges if {
	inp := object.union(_estate, {"dns_resolutions": [
		_res("cf.acme.com", ["d1x7k2m9q4w8ze.cloudfront.net"], ["18.160.41.12"]),
		_res("fd.acme.com", ["api-f3cdb7a9e2.z01.azurefd.net", "star-azurefd-prod.trafficmanager.net"], ["13.107.246.40"]),
		_res("ak.acme.com", ["api.acme.com.edgekey.net", "e123.a.akamaiedge.net"], ["23.1.2.3"]),
	]})
	_findings(inp, fx.config) == {["cd-int", "int.acme.com"]}

	# a config that sets external_edges replaces the defaults
	cfg := object.union(fx.config, {"external_edges": ["edgekey.net"]})
	_findings(inp, cfg) == {["cd-int", "int.acme.com"], ["cf.acme.com", "cf.acme.com"], ["fd.acme.com", "fd.acme.com"]}
}

# Without any load balancer in the snapshot there is no edge to compare with.
test_no_load_balancers if {
	_findings(object.union(_estate, {"load_balancers": []}), fx.config) == set()
}
