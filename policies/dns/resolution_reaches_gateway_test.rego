package dcgw.dns.resolution_reaches_gateway_test

import data.dcgw.dns.resolution_reaches_gateway
import data.dcgw.lib.fixtures

_konnect := {"networks": [{
	"id": "kn-1",
	"provider": "aws",
	"cidr": "10.100.0.0/16",
	"data_plane_ips": ["10.100.1.10", "10.100.2.10"],
	"hostnames": ["9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com"],
}]}

_findings(resolutions) := {f.resource | some f in fs} if {
	fs := resolution_reaches_gateway.deny with input as {"konnect": _konnect, "dns_resolutions": resolutions}
		with data.config as fixtures.config
}

test_compliant if {
	resolutions := [
		# through a CDN to public addresses
		{"id": "api.example.com", "hostname": "api.example.com", "chain": ["d111.cloudfront.net"], "addresses": ["203.0.113.5"], "rcode": "NOERROR"},
		# through an edge ALB
		{"id": "www.example.com", "hostname": "www.example.com", "chain": ["alb-1.us-east-2.elb.amazonaws.com"], "addresses": ["198.51.100.7"]},
		# ACME challenge names point at Kong by design
		{"id": "_acme-challenge.api.example.com", "hostname": "_acme-challenge.api.example.com", "chain": ["_acme-challenge.9e454bcfec.acme.gateways.konggateway.com"]},
		# Kong's own hostname resolved for reference
		{"id": "9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com", "hostname": "9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com", "addresses": ["10.100.1.10"]},
		# failed resolution
		{"id": "gone.example.com", "hostname": "gone.example.com", "rcode": "NXDOMAIN"},
	]
	_findings(resolutions) == set()
}

test_violations if {
	resolutions := [
		# a third-party CNAME, then the Kong per-control-plane name
		{"id": "api.example.com", "hostname": "api.example.com", "chain": ["api.tm.example.net", "9E454BCFEC.gateways.konggateway.com."], "addresses": ["52.1.2.3"]},
		# straight to the data plane IPs
		{"id": "gw.example.org", "hostname": "gw.example.org", "addresses": ["10.100.2.10", "10.100.1.10"]},
		# NXDOMAIN at the end of a chain that still names Kong
		{"id": "old.example.net", "hostname": "old.example.net", "chain": ["abc.gateways.konghq.com"], "rcode": "NXDOMAIN"},
	]
	_findings(resolutions) == {"api.example.com", "gw.example.org", "old.example.net"}
}

test_evidence_first_kong_hop if {
	res := {"id": "api.example.com", "hostname": "api.example.com", "chain": ["api.tm.example.net", "9e454bcfec.gateways.konggateway.com", "9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com"], "addresses": ["10.100.1.10"]}
	fs := resolution_reaches_gateway.deny with input as {"konnect": _konnect, "dns_resolutions": [res]}
		with data.config as fixtures.config
	count(fs) == 1
	some f in fs
	f.evidence.first_kong_hop == "9e454bcfec.gateways.konggateway.com"
	f.evidence.chain == res.chain
	f.evidence.data_plane_addresses == ["10.100.1.10"]
	f.msg == "api.example.com resolves through the Kong Gateway hostname 9e454bcfec.gateways.konggateway.com; clients reach the gateway without your edge in between."
}

test_evidence_addresses_only if {
	res := {"id": "gw.example.org", "hostname": "gw.example.org", "addresses": ["10.100.2.10", "10.100.1.10"]}
	fs := resolution_reaches_gateway.deny with input as {"konnect": _konnect, "dns_resolutions": [res]}
		with data.config as fixtures.config
	some f in fs
	f.evidence.first_kong_hop == ""
	f.msg == "gw.example.org resolves to the DCGW data plane IPs 10.100.1.10, 10.100.2.10; clients reach the gateway without your edge in between."
}
