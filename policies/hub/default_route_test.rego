package dcgw.hub.default_route_test

import data.dcgw.hub.default_route
import data.dcgw.lib.hub_fixtures.config
import data.dcgw.lib.hub_fixtures.estate

# The ::/0 blackhole in Kong's TGW table and the default route of tgw-2 (no Kong) are not findings.
test_violations if {
	got := {[f.resource, f.key] | some f in default_route.deny} with input as estate with data.config as config
	got == {["tgw-rtb-kong", "0.0.0.0/0"], ["rt-kong", "0.0.0.0/0"]}
}

test_ipv6_default_route if {
	patched := json.patch(estate, [{"op": "replace", "path": "/hub_route_tables/0/routes/3", "value": {"destination": "::/0", "attachment_ids": ["tgw-attach-egress"], "state": "active"}}])
	got := {[f.resource, f.key] | some f in default_route.deny} with input as patched with data.config as config
	["tgw-rtb-kong", "::/0"] in got
}

test_compliant if {
	patched := json.patch(estate, [
		{"op": "remove", "path": "/hub_route_tables/4/routes/0"},
		{"op": "remove", "path": "/hub_route_tables/0/routes/2"},
	])
	count(default_route.deny) == 0 with input as patched with data.config as config
}
