package dcgw.firewall.all_traffic_test

import data.dcgw.firewall.all_traffic
import data.dcgw.lib.reach_fixtures as fx

_a := fx.dest("subnet-a#sg", "subnet-a", {})

_all := fx.sg_hop("sg-app", "sgr-all", 4)

test_all_traffic_from_data_plane if {
	flows := [fx.flow(fx.kong_dp, _a.key, "all", [], [fx.nacl_hop, _all])]
	findings := all_traffic.deny with input as fx.estate([_a], flows)
	count(findings) == 1
	some f in findings
	f.resource == "sg-app"
	f.key == "sgr-all"
	f.evidence.sources == ["the data plane IPs of kn-1"]
	f.evidence.traffic == ["all traffic"]
	f.path == [fx.nacl_hop, fx.admitting(_all)]
}

test_on_premises_range if {
	src := {"class": "range", "id": "172.16.0.0/12", "addresses": ["172.16.0.0/12"]}
	flows := [fx.flow(src, _a.key, "tcp", fx.p(0, 65535), [fx.nacl_hop, _all])]
	some f in all_traffic.deny with input as fx.estate([_a], flows)
	f.evidence.sources == ["the range 172.16.0.0/12"]
}

test_every_port_of_tcp if {
	flows := [fx.flow(fx.kong_network, _a.key, "tcp", fx.p(0, 65535), [fx.nacl_hop, _all])]
	some f in all_traffic.deny with input as fx.estate([_a], flows)
	f.evidence.traffic == ["tcp 0-65535"]
}

# Compliant twins: the service port only; traffic from the destination's own network
# (the default ACL's allow-all, intra-VPC entries); a security-group reference.
test_service_port_only if {
	flows := [fx.flow(fx.kong_dp, _a.key, "tcp", fx.p(443, 443), [fx.nacl_hop, fx.sg_hop("sg-app", "sgr-dp", 1)])]
	count(all_traffic.deny) == 0 with input as fx.estate([_a], flows)
}

test_within_destination_network if {
	src := {"class": "network", "id": "vpc-app", "addresses": ["10.0.0.0/16"], "within_destination_network": true}
	flows := [fx.flow(src, _a.key, "all", [], [fx.nacl_hop, _all])]
	count(all_traffic.deny) == 0 with input as fx.estate([_a], flows)
}

test_group_reference if {
	src := {"class": "network", "id": "vpc-other", "group_ref": "sg-web"}
	flows := [fx.flow(src, _a.key, "all", [], [fx.nacl_hop, _all])]
	count(all_traffic.deny) == 0 with input as fx.estate([_a], flows)
}
