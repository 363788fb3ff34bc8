package dcgw.endpoint.public_ip_resource_test

import data.dcgw.endpoint.public_ip_resource
import data.dcgw.lib.ep_fixtures as fx

_findings(inp) := {f.resource | some f in fs} if {
	fs := public_ip_resource.deny with input as inp with data.config as fx.config
}

_single(id, def) := fx.pe(id, "SINGLE", {"definition": def, "share_ids": [fx.share_arn]})

test_compliant if {
	_findings(fx.estate) == set()
	pes := [
		_single("p10", fx.ip("10.1.2.3")),
		_single("p172", fx.ip("172.31.0.5")),
		_single("p192", fx.ip("192.168.1.1")),
		_single("pcgn", fx.ip("100.64.0.9")),
		_single("pula", fx.ip("fd12:3456::1")),
		_single("pdns", fx.dns("api.example.com")), # DNS definitions are not IP resources
	]
	_findings(fx.with_endpoints(pes)) == set()
}

test_public if {
	pes := [
		_single("pub4", fx.ip("54.12.3.4")),
		_single("edge172", fx.ip("172.32.0.1")), # just outside 172.16.0.0/12
		_single("pub6", fx.ip("2600:1f18::10")),
		_single("bad", fx.ip("not-an-ip")),
		_single("ok", fx.ip("10.0.0.1")),
		# not used by Konnect
		fx.pe("other", "SINGLE", {"definition": fx.ip("8.8.8.8")}),
	]
	_findings(fx.with_endpoints(pes)) == {"pub4", "edge172", "pub6", "bad"}
}

test_message if {
	fs := public_ip_resource.deny with input as fx.with_endpoints([_single("pub4", fx.ip("54.12.3.4"))]) with data.config as fx.config
	some f in fs
	f.msg == "Resource configuration pub4, used by Konnect, exposes the publicly routable address 54.12.3.4; point it at a private address."
	fs2 := public_ip_resource.deny with input as fx.with_endpoints([_single("bad", fx.ip("x"))]) with data.config as fx.config
	some g in fs2
	g.msg == "Resource configuration bad, used by Konnect, defines the IP resource \"x\", which is not an IP address; point it at a private address."
}
