package dcgw.hub.unexpected_spoke_test

import data.dcgw.hub.unexpected_spoke
import data.dcgw.lib.fixtures
import data.dcgw.lib.hub_fixtures.config
import data.dcgw.lib.hub_fixtures.with_model

test_violations if {
	got := {[f.resource, f.key] | some f in unexpected_spoke.deny} with input as with_model with data.config as config
	got == {
		["tgw-rtb-kong", "tgw-attach-egress"], # static default route next hop
		["tgw-rtb-kong", "tgw-attach-vpn"], # propagates into Kong's table
		["rt-kong", "conn-f"], # Azure: propagates by label
		["rt-kong", "conn-fw"], # Azure: static route next hop
	}
}

# Empty allowed_spokes allows nothing, and the message says how to allow a spoke.
test_empty_allowed_spokes if {
	got := {[f.resource, f.key] | some f in unexpected_spoke.deny} with input as with_model with data.config as fixtures.config
	got == {
		["tgw-rtb-kong", "tgw-attach-c"], ["tgw-rtb-kong", "tgw-attach-d"],
		["tgw-rtb-kong", "tgw-attach-egress"], ["tgw-rtb-kong", "tgw-attach-vpn"],
		["rt-kong", "conn-f"], ["rt-kong", "conn-fw"],
	}
	some f in unexpected_spoke.deny with input as with_model with data.config as fixtures.config
	f.key == "tgw-attach-c"
	contains(f.msg, "add it to allowed_spokes")
	f.evidence.destinations == ["10.20.0.0/16"]
}

test_compliant if {
	cfg := object.union(fixtures.config, {"allowed_spokes": ["tgw-attach-c", "vpc-d", "tgw-attach-egress", "tgw-attach-vpn", "vnet-f", "conn-fw"]})
	count(unexpected_spoke.deny) == 0 with input as with_model with data.config as cfg
}
