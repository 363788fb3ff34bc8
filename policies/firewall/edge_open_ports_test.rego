package dcgw.firewall.edge_open_ports_test

import data.dcgw.firewall.edge_open_ports
import data.dcgw.lib.reach_fixtures as fx

_edge := fx.edge_dest("alb#sg-alb", [443])

test_ssh_beside_https_listener if {
	hop := fx.sg_hop("sg-alb", "sgr-alb-ssh", 1)
	flows := [
		fx.flow(fx.internet, _edge.key, "tcp", fx.p(443, 443), [fx.sg_hop("sg-alb", "sgr-https", 0)]),
		fx.flow(fx.internet, _edge.key, "tcp", fx.p(22, 22), [hop]),
	]
	findings := edge_open_ports.deny with input as fx.estate([_edge], flows)
	count(findings) == 1
	some f in findings
	f.resource == "sg-alb"
	f.key == "sgr-alb-ssh"
	f.evidence.listener_ports == [443]
	f.path == [fx.admitting(hop)]
	contains(f.msg, "admits tcp 22 from the internet to the edge load balancer alb-edge, whose listeners use 443")
}

# Compliant twin: 443 to the HTTPS listener.
test_listener_port_only if {
	flows := [fx.flow(fx.internet, _edge.key, "tcp", fx.p(443, 443), [fx.sg_hop("sg-alb", "sgr-https", 0)])]
	count(edge_open_ports.deny) == 0 with input as fx.estate([_edge], flows)
}

# A range that covers the listener port and more is beyond it.
test_range_wider_than_listener if {
	flows := [fx.flow(fx.internet, _edge.key, "tcp", fx.p(80, 443), [fx.sg_hop("sg-alb", "sgr-https", 0)])]
	count(edge_open_ports.deny) == 1 with input as fx.estate([_edge], flows)
}

test_all_traffic if {
	flows := [fx.flow(fx.internet, _edge.key, "all", [], [fx.sg_hop("sg-alb", "sgr-https", 0)])]
	count(edge_open_ports.deny) == 1 with input as fx.estate([_edge], flows)
}

# Traffic from Kong or other networks is not the edge's internet exposure.
test_non_internet_sources if {
	flows := [fx.flow(fx.kong_dp, _edge.key, "tcp", fx.p(22, 22), [fx.sg_hop("sg-alb", "sgr-alb-ssh", 1)])]
	count(edge_open_ports.deny) == 0 with input as fx.estate([_edge], flows)
}
