package dcgw.endpoint.onward_sharing_test

import data.dcgw.endpoint.onward_sharing
import data.dcgw.lib.ep_fixtures as fx

_findings(inp) := {f.resource | some f in fs} if {
	fs := onward_sharing.deny with input as inp with data.config as fx.config
}

_onward := {"allow_onward_sharing": true}

test_compliant if {
	_findings(fx.estate) == set()
}

test_single_and_group if {
	pes := [
		fx.pe("rcfg-group", "GROUP", object.union({"child_ids": ["rcfg-a"], "share_ids": [fx.share_arn]}, _onward)),
		# its group carries the flag: reported once, on the group
		fx.pe("rcfg-a", "CHILD", object.union({"parent_id": "rcfg-group"}, _onward)),
		fx.pe("rcfg-single", "SINGLE", _onward),
		# not used by Konnect
		fx.pe("rcfg-other", "SINGLE", _onward),
	]
	_findings(fx.with_endpoints(pes)) == {"rcfg-group", "rcfg-single"}
}

test_child_flag_alone if {
	pes := [
		fx.pe("rcfg-group", "GROUP", {"child_ids": ["rcfg-a"], "share_ids": [fx.share_arn]}),
		fx.pe("rcfg-a", "CHILD", object.union({"parent_id": "rcfg-group"}, _onward)),
	]
	_findings(fx.with_endpoints(pes)) == {"rcfg-a"}
}

test_message if {
	fs := onward_sharing.deny with input as fx.with_endpoints([fx.pe("rcfg-single", "SINGLE", _onward)]) with data.config as fx.config
	some f in fs
	f.msg == "Resource configuration rcfg-single (SINGLE), used by Konnect, allows association to shareable service networks; turn that off so it cannot be shared beyond Konnect's account."
	f.evidence.konnect_network_ids == ["kn-1"]
}
