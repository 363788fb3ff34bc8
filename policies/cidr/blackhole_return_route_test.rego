package dcgw.cidr.blackhole_return_route_test

import data.dcgw.cidr.blackhole_return_route
import data.dcgw.lib.fixtures
import data.dcgw.lib.route_fixtures.estate

test_violations if {
	got := {[f.resource, f.key] | some f in blackhole_return_route.deny} with input as estate with data.config as fixtures.config
	got == {["rtb-a3", "10.4.0.0/16"], ["rtb-c2", "10.4.0.0/16"]}
}

test_messages_tell_dead_target_from_drop if {
	fs := {f.resource: f | some f in blackhole_return_route.deny} with input as estate with data.config as fixtures.config
	fs["rtb-a3"].evidence.verdict == "blackhole"
	contains(fs["rtb-a3"].msg, "no longer exists (blackhole)")
	contains(fs["rtb-a3"].msg, "peering pcx-1")
	fs["rtb-c2"].evidence.verdict == "drop"
	contains(fs["rtb-c2"].msg, "explicit drop")
}

# A narrow blackhole inside the CIDR is not the best route for the whole CIDR: it is a
# shadowing route (CIDR-005), not this rule's.
test_narrow_blackhole_is_not_best if {
	patched := json.patch(estate, [{"op": "add", "path": "/route_tables/0/routes/-", "value": {"destination": "10.4.9.0/24", "target_kind": "peering", "target_id": "pcx-old", "state": "blackhole"}}])
	got := {[f.resource, f.key] | some f in blackhole_return_route.deny} with input as patched with data.config as fixtures.config
	got == {["rtb-a3", "10.4.0.0/16"], ["rtb-c2", "10.4.0.0/16"]}
}

# A broad blackhole is overridden by the more specific route to Kong (Azure vHub).
test_broad_blackhole_overridden if {
	patched := json.patch(estate, [
		{"op": "add", "path": "/route_tables/7/routes/-", "value": {"destination": "10.0.0.0/8", "target_kind": "none", "state": "active"}},
		{"op": "replace", "path": "/route_tables/2/routes/0/state", "value": "active"},
	])
	count(blackhole_return_route.deny) == 1 with input as patched with data.config as fixtures.config
	some f in blackhole_return_route.deny with input as patched with data.config as fixtures.config
	f.resource == "rtb-c2"
}

test_compliant if {
	cfg := object.union(fixtures.config, {"upstream_subnets": ["sub-a1", "sub-a2", "sub-c1", "sub-f1", "gcp-sub"]})
	count(blackhole_return_route.deny) == 0 with input as estate with data.config as cfg
}
