package dcgw.cidr.shadowed_return_route_test

import data.dcgw.cidr.shadowed_return_route
import data.dcgw.lib.fixtures
import data.dcgw.lib.route_fixtures.estate

test_violations if {
	got := {[f.resource, f.key] | some f in shadowed_return_route.deny} with input as estate with data.config as fixtures.config
	got == {
		["rtb-a1", "10.4.0.0/16|10.4.8.0/24"], # AWS: NAT gateway inside the peering route
		["rt-f", "10.5.0.0/16|10.5.3.0/24"], # Azure: appliance inside the vHub system route
	}
}

test_message if {
	some f in shadowed_return_route.deny with input as estate with data.config as fixtures.config
	f.resource == "rtb-a1"
	contains(f.msg, "nat-gateway nat-1")
	contains(f.msg, "10.4.0.0/16 to peering pcx-1")
}

# GCP: a more specific drop route inside the peering route.
test_gcp_drop if {
	patched := json.patch(estate, [{"op": "add", "path": "/route_tables/8/routes/-", "value": {"destination": "10.6.128.0/17", "target_kind": "none", "priority": 1000}}])
	got := {[f.resource, f.key] | some f in shadowed_return_route.deny} with input as patched with data.config as fixtures.config
	["gcp-net-routes", "10.6.0.0/16|10.6.128.0/17"] in got
	some f in shadowed_return_route.deny with input as patched with data.config as fixtures.config
	f.resource == "gcp-net-routes"
	contains(f.msg, "explicit drop")
}

# Routes outside the CIDR, and more specific routes that also go to Kong, are fine.
test_compliant if {
	cfg := object.union(fixtures.config, {"upstream_subnets": ["sub-a2", "sub-c1", "gcp-sub"]})
	count(shadowed_return_route.deny) == 0 with input as estate with data.config as cfg
}

# The local route of a network that overlaps the Konnect CIDR is DCGW-CIDR-001's
# finding, not a route that takes traffic away; a route without a target id still
# reads well.
test_local_route_and_bare_target if {
	patched := json.patch(estate, [
		{"op": "add", "path": "/route_tables/8/routes/-", "value": {"destination": "10.6.64.0/18", "target_kind": "local", "target_id": "local"}},
		{"op": "add", "path": "/route_tables/8/routes/-", "value": {"destination": "10.6.192.0/18", "target_kind": "internet-gateway"}},
	])
	got := {[f.resource, f.key] | some f in shadowed_return_route.deny} with input as patched with data.config as fixtures.config
	not ["gcp-net-routes", "10.6.0.0/16|10.6.64.0/18"] in got
	["gcp-net-routes", "10.6.0.0/16|10.6.192.0/18"] in got
	some f in shadowed_return_route.deny with input as patched with data.config as fixtures.config
	f.key == "10.6.0.0/16|10.6.192.0/18"
	contains(f.msg, "to internet-gateway instead of Kong")
}
