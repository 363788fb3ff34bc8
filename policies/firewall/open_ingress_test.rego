package dcgw.firewall.open_ingress_test

import data.dcgw.firewall.open_ingress
import data.dcgw.lib.reach_fixtures as fx

_a := fx.dest("subnet-a#sg", "subnet-a", {})

_b := fx.dest("subnet-b#sg", "subnet-b", {})

_ssh := fx.sg_hop("sg-app", "sgr-ssh", 0)

# One rule that admits the internet to two subnets is one finding, naming the rule and
# both subnets, with the path of one of them.
test_internet_flow_is_one_finding_per_rule if {
	flows := [
		fx.flow(fx.internet, _a.key, "tcp", fx.p(22, 22), [fx.nacl_hop, _ssh]),
		fx.flow(fx.internet, _b.key, "tcp", fx.p(22, 22), [fx.nacl_hop, _ssh]),
	]
	findings := open_ingress.deny with input as fx.estate([_a, _b], flows)
	count(findings) == 1
	some f in findings
	f.resource == "sg-app"
	f.key == "sgr-ssh"
	f.evidence.destinations == ["subnet-a in vpc-app", "subnet-b in vpc-app"]
	f.evidence.traffic == ["tcp 22"]
	f.evidence.internet_route == false
	f.path == [fx.nacl_hop, fx.admitting(_ssh)]
	contains(f.msg, "aws-security-group app (sg-app) rule sgr-ssh admits tcp 22 from the internet")
	contains(f.msg, "no internet route today")
}

# With an internet route, the path starts with it and the message says so.
test_internet_route_leads_the_path if {
	route := {"kind": "route", "resource_id": "rtb-a", "key": "0.0.0.0/0", "action": "forward", "target": "igw-1"}
	routed := object.union(_a, {"internet_route": true, "internet_route_hop": route})
	fl := fx.flow(fx.internet, _a.key, "tcp", fx.p(22, 22), [fx.nacl_hop, _ssh])
	findings := open_ingress.deny with input as fx.estate([routed], [fl])
	some f in findings
	f.path == [route, fx.nacl_hop, fx.admitting(_ssh)]
	f.evidence.internet_route == true
	contains(f.msg, "an internet gateway route reaches it today")
}

# Compliant twin: the model admits only the data plane IPs (a default allow-all ACL in
# front of a tight group gives no internet flow), so nothing is reported.
test_no_internet_flow_no_finding if {
	flows := [fx.flow(fx.kong_dp, _a.key, "tcp", fx.p(443, 443), [fx.nacl_hop, fx.sg_hop("sg-app", "sgr-dp", 1)])]
	count(open_ingress.deny) == 0 with input as fx.estate([_a], flows)
}

# The edge takes the internet by design: its flows are DCGW-FW-006's.
test_edge_destination_left_out if {
	e := fx.edge_dest("alb#sg-alb", [443])
	flows := [fx.flow(fx.internet, e.key, "tcp", fx.p(443, 443), [fx.sg_hop("sg-alb", "sgr-https", 0)])]
	count(open_ingress.deny) == 0 with input as fx.estate([e], flows)
}

# Two rules admitting the internet are two findings.
test_two_rules_two_findings if {
	other := fx.sg_hop("sg-app", "sgr-all", 4)
	flows := [
		fx.flow(fx.internet, _a.key, "tcp", fx.p(22, 22), [fx.nacl_hop, _ssh]),
		fx.flow(fx.internet, _a.key, "all", [], [fx.nacl_hop, other]),
	]
	keys := {f.key | some f in open_ingress.deny} with input as fx.estate([_a], flows)
	keys == {"sgr-ssh", "sgr-all"}
}
