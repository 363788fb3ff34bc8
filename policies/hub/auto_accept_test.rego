package dcgw.hub.auto_accept_test

import data.dcgw.hub.auto_accept
import data.dcgw.lib.hub_fixtures.config
import data.dcgw.lib.hub_fixtures.estate

# tgw-2 auto-accepts too but carries no Kong attachment.
test_violations if {
	got := {[f.resource, object.get(f, "key", "")] | some f in auto_accept.deny} with input as estate with data.config as config
	got == {["tgw-1", ""]}
}

test_azure_hub if {
	patched := json.patch(estate, [{"op": "add", "path": "/hubs/2/auto_accept_shared_attachments", "value": true}])
	got := {f.resource | some f in auto_accept.deny} with input as patched with data.config as config
	got == {"tgw-1", "vhub-1"}
}

test_compliant if {
	patched := json.patch(estate, [{"op": "replace", "path": "/hubs/0/auto_accept_shared_attachments", "value": false}])
	count(auto_accept.deny) == 0 with input as patched with data.config as config
}
