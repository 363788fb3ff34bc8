package dcgw.hub.kong_propagation_test

import data.dcgw.hub.kong_propagation
import data.dcgw.lib.fixtures
import data.dcgw.lib.hub_fixtures.config
import data.dcgw.lib.hub_fixtures.with_model

test_violations if {
	got := {[f.resource, f.key] | some f in kong_propagation.deny} with input as with_model with data.config as config
	got == {
		["tgw-rtb-spokes", "tgw-attach-kong"], # AWS: table propagation, e is associated and not allowed
		["rt-spokes", "conn-kong"], # Azure: label propagation, conn-f is associated and not allowed
	}
}

# tgw-rtb-shared is associated only with d, allowed by its network id.
test_allowed_spokes_only if {
	got := {[f.resource, f.key] | some f in kong_propagation.deny} with input as with_model with data.config as fixtures.config
	got == {
		["tgw-rtb-spokes", "tgw-attach-kong"],
		["tgw-rtb-shared", "tgw-attach-kong"],
		["rt-spokes", "conn-kong"],
	}
	some f in kong_propagation.deny with input as with_model with data.config as fixtures.config
	f.resource == "tgw-rtb-spokes"
	f.evidence.spokes == ["tgw-attach-c", "tgw-attach-e"]
}

test_compliant if {
	cfg := object.union(fixtures.config, {"allowed_spokes": ["tgw-attach-c", "tgw-attach-e", "vpc-d", "conn-f"]})
	count(kong_propagation.deny) == 0 with input as with_model with data.config as cfg
}
