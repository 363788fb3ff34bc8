package dcgw.dns.record_points_at_gateway_test

import data.dcgw.dns.record_points_at_gateway
import data.dcgw.lib.fixtures

_konnect := {"networks": [{
	"id": "kn-1",
	"provider": "aws",
	"cidr": "10.100.0.0/16",
	"data_plane_ips": ["10.100.1.10", "10.100.2.10"],
	"hostnames": ["9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com"],
}]}

_zones := [
	{"id": "Z-PUB", "provider": "aws", "dns_name": "example.com"},
	{"id": "Z-PRIV", "provider": "aws", "dns_name": "internal.example.com", "private": true, "network_ids": ["vpc-app"]},
	{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.org", "provider": "azure", "dns_name": "example.org"},
	{"id": "projects/p/managedZones/example-net", "provider": "gcp", "dns_name": "example.net", "private": false},
]

_record(id, zone, fqdn, type, values) := {"id": id, "provider": "aws", "zone_id": zone, "fqdn": fqdn, "type": type, "values": values}

_findings(records) := {[f.resource, f.key] | some f in fs} if {
	fs := record_points_at_gateway.deny with input as {"konnect": _konnect, "dns_zones": _zones, "dns_records": records}
		with data.config as fixtures.config
}

test_compliant if {
	records := [
		# CNAME to the customer's own edge
		_record("r-api", "Z-PUB", "api.example.com", "CNAME", ["d111.cloudfront.net"]),
		# Route 53 alias to the edge ALB
		object.union(_record("r-apex", "Z-PUB", "example.com", "A", []), {"alias": {"dns_name": "dualstack.alb-1.us-east-2.elb.amazonaws.com.", "hosted_zone_id": "Z35SXDOTRQ7X7K"}}),
		# ACME challenge CNAME of a custom domain: legitimate
		_record("r-acme", "Z-PUB", "_acme-challenge.api.example.com", "CNAME", ["_acme-challenge.9e454bcfec.acme.gateways.konggateway.com."]),
		# an ACME name is never gateway traffic, even when its target is misspelt
		_record("r-acme2", "Z-PUB", "_acme-challenge.old.example.com", "CNAME", ["9e454bcfec.gateways.konggateway.com"]),
		# A record with a public address that is not a data plane IP
		_record("r-www", "Z-PUB", "www.example.com", "A", ["203.0.113.10"]),
		# private zone pointing at the data plane: private resolution, allowed here
		_record("r-priv", "Z-PRIV", "gw.internal.example.com", "A", ["10.100.1.10"]),
		# record of a zone missing from the snapshot: cannot tell public from private
		_record("r-nozone", "Z-GONE", "x.example.com", "CNAME", ["abc.gateways.konggateway.com"]),
	]
	_findings(records) == set()
}

test_violations if {
	records := [
		# AWS CNAME straight to the per-control-plane name (upper case, trailing dot)
		_record("r-cname", "Z-PUB", "api.example.com", "CNAME", ["9E454BCFEC.gateways.konggateway.com."]),
		# AWS alias to the network's edge hostname
		object.union(_record("r-alias", "Z-PUB", "example.com", "A", []), {"alias": {"dns_name": "9cb1c8dbab.aws-us-east-2.edge.gateways.konggateway.com."}}),
		# Azure A record holding a data plane IP
		object.union(_record("/subscriptions/s/.../A/gw", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.org", "gw.example.org", "A", ["10.100.2.10"]), {"provider": "azure"}),
		# GCP CNAME to a legacy Kong domain
		object.union(_record("projects/p/managedZones/example-net/rrsets/old.example.net./CNAME", "projects/p/managedZones/example-net", "old.example.net", "CNAME", ["abc.gateways.konghq.com."]), {"provider": "gcp"}),
	]
	_findings(records) == {
		["r-cname", "api.example.com|"],
		["r-alias", "example.com|"],
		["/subscriptions/s/.../A/gw", "gw.example.org|"],
		["projects/p/managedZones/example-net/rrsets/old.example.net./CNAME", "old.example.net|"],
	}
}

# A weighted set: the primary points at the edge, the secondary straight at Kong.
test_weighted_set_members_checked_alone if {
	primary := object.union(_record("r-w1", "Z-PUB", "api.example.com", "CNAME", ["d111.cloudfront.net"]), {"set_identifier": "primary", "routing_policy": "weighted", "weight": 90})
	secondary := object.union(_record("r-w2", "Z-PUB", "api.example.com", "CNAME", ["9e454bcfec.gateways.konggateway.com"]), {"set_identifier": "secondary", "routing_policy": "weighted", "weight": 10})
	_findings([primary, secondary]) == {["r-w2", "api.example.com|secondary"]}
}

test_evidence if {
	r := _record("r-a", "Z-PUB", "gw.example.com", "A", ["10.100.1.10", "203.0.113.1", "10.100.2.10"])
	fs := record_points_at_gateway.deny with input as {"konnect": _konnect, "dns_zones": _zones, "dns_records": [r]}
		with data.config as fixtures.config
	count(fs) == 1
	some f in fs
	f.evidence.targets == [{"kind": "address", "value": "10.100.1.10"}, {"kind": "address", "value": "10.100.2.10"}]
	f.evidence.zone == "example.com"
	f.msg == "Public A record gw.example.com in zone example.com points directly at Kong Gateway (10.100.1.10, 10.100.2.10); point it at your edge instead."
}
