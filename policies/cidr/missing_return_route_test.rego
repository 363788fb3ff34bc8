package dcgw.cidr.missing_return_route_test

import data.dcgw.cidr.missing_return_route
import data.dcgw.lib.fixtures
import data.dcgw.lib.route_fixtures.estate

test_violations if {
	got := {[f.resource, f.key] | some f in missing_return_route.deny} with input as estate with data.config as fixtures.config
	got == {
		["rtb-a2", "10.4.0.0/16"],
		["rtb-main", "10.4.0.0/16"],
		["rt-b", "10.5.0.0/16"],
		["gcp-net2-routes", "10.6.0.0/16"],
	}
}

test_messages if {
	fs := {f.resource: f | some f in missing_return_route.deny} with input as estate with data.config as fixtures.config
	contains(fs["rtb-main"].msg, "no route covering")
	contains(fs["rtb-a2"].msg, "internet-gateway igw-1")
	fs["rtb-main"].evidence.subnet_ids == ["sub-a4"]
}

# With upstream_subnets configured, only those subnets' tables are checked, even in a
# network not connected to Kong.
test_configured_upstream_subnets if {
	cfg := object.union(fixtures.config, {"upstream_subnets": ["sub-a1", "sub-x1"]})
	got := {[f.resource, f.key] | some f in missing_return_route.deny} with input as estate with data.config as cfg
	got == {["rtb-x", "10.4.0.0/16"], ["rtb-x", "10.5.0.0/16"], ["rtb-x", "10.6.0.0/16"]}
}

test_compliant if {
	cfg := object.union(fixtures.config, {"upstream_subnets": ["sub-a1", "sub-c1", "sub-f1", "gcp-sub"]})
	count(missing_return_route.deny) == 0 with input as estate with data.config as cfg
}
