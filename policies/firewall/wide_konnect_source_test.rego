package dcgw.firewall.wide_konnect_source_test

import data.dcgw.firewall.wide_konnect_source
import data.dcgw.lib.reach_fixtures as fx

_a := fx.dest("subnet-a#sg", "subnet-a", {})

_kong := fx.sg_hop("sg-app", "sgr-kong", 2)

test_konnect_range_admitted if {
	flows := [fx.flow(fx.kong_network, _a.key, "tcp", fx.p(443, 443), [fx.nacl_hop, _kong])]
	findings := wide_konnect_source.deny with input as fx.estate([_a], flows)
	count(findings) == 1
	some f in findings
	f.resource == "sg-app"
	f.key == "sgr-kong"
	f.evidence.konnect_cidrs == ["10.100.0.0/16"]
	f.evidence.data_plane_ips == ["10.100.1.10", "10.100.2.10"]
	f.path == [fx.nacl_hop, fx.admitting(_kong)]
	contains(f.msg, "admits tcp 443 from the Konnect network 10.100.0.0/16, not only its data plane IPs")
}

# Compliant twin: only the data plane IPs are admitted (no kong-network flow).
test_data_plane_ips_only if {
	flows := [fx.flow(fx.kong_dp, _a.key, "tcp", fx.p(443, 443), [fx.nacl_hop, fx.sg_hop("sg-app", "sgr-dp", 1)])]
	count(wide_konnect_source.deny) == 0 with input as fx.estate([_a], flows)
}

# A range the config allows is not reported.
test_allowed_source_range if {
	flows := [fx.flow(fx.kong_network, _a.key, "tcp", fx.p(443, 443), [fx.nacl_hop, _kong])]
	count(wide_konnect_source.deny) == 0 with input as fx.estate([_a], flows)
		with data.config.allowed_source_ranges as ["10.100.0.0/16"]
}

# Internet-wide sources are DCGW-FW-001's.
test_internet_wide_rule_left_to_fw001 if {
	flows := [fx.flow(fx.kong_network, _a.key, "tcp", fx.p(22, 22), [fx.nacl_hop, fx.sg_hop("sg-app", "sgr-ssh", 0)])]
	count(wide_konnect_source.deny) == 0 with input as fx.estate([_a], flows)
}

# An implicit rule (Azure's AllowVnetInBound default, not in the snapshot) is reported
# by its name.
test_implicit_default_rule_named if {
	vnet := {
		"kind": "filter", "resource_id": "nsg-app", "resource_kind": "azure-nsg", "key": "AllowVnetInBound",
		"action": "allow", "direction": "ingress", "implicit": true,
	}
	flows := [fx.flow(fx.kong_network, _a.key, "all", [], [vnet])]
	some f in wide_konnect_source.deny with input as fx.estate([_a], flows)
	f.resource == "nsg-app"
	f.key == "AllowVnetInBound"
	contains(f.msg, "azure-nsg nsg-app rule AllowVnetInBound admits all traffic")
}

# Traffic within the destination's own network is not Kong's.
test_within_destination_network if {
	src := object.union(fx.kong_network, {"within_destination_network": true})
	flows := [fx.flow(src, _a.key, "tcp", fx.p(443, 443), [fx.nacl_hop, _kong])]
	count(wide_konnect_source.deny) == 0 with input as fx.estate([_a], flows)
}
