package dcgw.hub.default_route_table_test

import data.dcgw.hub.default_route_table
import data.dcgw.lib.hub_fixtures.config
import data.dcgw.lib.hub_fixtures.estate

test_violations if {
	got := {[f.resource, f.key] | some f in default_route_table.deny} with input as estate with data.config as config
	got == {
		["tgw-1", "default_route_table_association"], ["tgw-1", "default_route_table_propagation"],
		["vhub-1", "default_route_table_association"], ["vhub-1", "default_route_table_propagation"],
	}
}

test_compliant if {
	patched := json.patch(estate, [
		{"op": "replace", "path": "/hubs/0/default_route_table_association", "value": false},
		{"op": "remove", "path": "/hubs/0/default_route_table_propagation"},
		{"op": "replace", "path": "/hubs/2/default_route_table_association", "value": false},
		{"op": "replace", "path": "/hubs/2/default_route_table_propagation", "value": false},
	])
	count(default_route_table.deny) == 0 with input as patched with data.config as config
}
