package dcgw.endpoint.share_principals_test

import data.dcgw.endpoint.share_principals
import data.dcgw.lib.ep_fixtures as fx

_findings(inp, cfg) := {[f.resource, f.key] | some f in fs} if {
	fs := share_principals.deny with input as inp with data.config as cfg
}

_with_principals(principals) := object.union(fx.estate, {"shares": [fx.share(fx.share_arn, principals, ["rcfg-group", "rcfg-single"])]})

test_compliant if {
	_findings(fx.estate, fx.config) == set()
}

test_other_principals if {
	inp := _with_principals([
		fx.principal(fx.kong_account, true),
		fx.principal("222222222222", true), # another external account
		fx.principal("arn:aws:organizations::111111111111:organization/o-abc", false),
		fx.principal("arn:aws:organizations::111111111111:ou/o-abc/ou-ab12-cdef", false),
		fx.principal("arn:aws:iam::999999999999:role/kong", true), # a role of Konnect's account
		object.union(fx.principal("333333333333", true), {"status": "DISASSOCIATED"}), # gone
	])
	_findings(inp, fx.config) == {
		[fx.share_arn, "222222222222"],
		[fx.share_arn, "arn:aws:organizations::111111111111:organization/o-abc"],
		[fx.share_arn, "arn:aws:organizations::111111111111:ou/o-abc/ou-ab12-cdef"],
	}
}

test_allowed_principals_from_config if {
	inp := _with_principals([fx.principal(fx.kong_account, true), fx.principal("222222222222", true)])
	cfg := object.union(fx.config, {"allowed_share_principals": ["222222222222"]})
	_findings(inp, cfg) == set()
}

# A share the attachment does not name but that carries a configuration Konnect uses.
test_other_share_of_a_kong_configuration if {
	other := "arn:aws:ram:us-east-2:111111111111:resource-share/other"
	inp := object.union(fx.estate, {"shares": array.concat(fx.estate.shares, [
		fx.share(other, [fx.principal("444444444444", true)], ["rcfg-single"]),
		# a share of something Konnect does not use is not this rule's business
		fx.share("arn:aws:ram:us-east-2:111111111111:resource-share/unrelated", [fx.principal("444444444444", true)], ["rcfg-other"]),
	])})
	_findings(inp, fx.config) == {[other, "444444444444"]}
}

# The attachment's share is checked even when the snapshot cannot tie it to a configuration.
test_attachment_share_without_resources if {
	inp := object.union(fx.estate, {
		"private_endpoints": [],
		"shares": [fx.share(fx.share_arn, [fx.principal("222222222222", true)], [])],
	})
	_findings(inp, fx.config) == {[fx.share_arn, "222222222222"]}
}

test_deleted_share_skipped if {
	s := object.union(fx.share(fx.share_arn, [fx.principal("222222222222", true)], ["rcfg-group"]), {"status": "DELETED"})
	_findings(object.union(fx.estate, {"shares": [s]}), fx.config) == set()
}

# Without Konnect's account on the network, every principal is reported.
test_unknown_konnect_account if {
	k := fx.konnect([fx.attachment("att-ep", fx.share_arn, ["rcfg-a"])])
	kn := object.remove(k.networks[0], ["provider_account_id"])
	inp := object.union(fx.estate, {"konnect": {"networks": [kn]}})
	fs := share_principals.deny with input as inp with data.config as fx.config
	count(fs) == 1
	some f in fs
	f.key == fx.kong_account
	contains(f.msg, "unknown")
}

test_message_and_evidence if {
	inp := _with_principals([fx.principal(fx.kong_account, true), fx.principal("222222222222", true)])
	fs := share_principals.deny with input as inp with data.config as fx.config
	some f in fs
	f.msg == "RAM share kong-dcgw (arn:aws:ram:us-east-2:111111111111:resource-share/share-kong), which serves Konnect's resource endpoints, is shared with account 222222222222 (outside your organization), which is not Konnect's account (999999999999); remove that principal from the share."
	f.evidence.external == true
	f.evidence.konnect_accounts == [fx.kong_account]
	f.evidence.resource_configuration_ids == ["rcfg-group", "rcfg-single"]
	f.evidence.attachment_ids == ["att-ep"]
}

# Konnect reports rcfg ids and share ARNs; ARNs for configurations match too.
test_arn_references if {
	inp := object.union(fx.estate, {"shares": [fx.share(fx.share_arn, [fx.principal("222222222222", true)], [fx.rcfg_arn("rcfg-single")])]})
	fs := share_principals.deny with input as inp with data.config as fx.config
	some f in fs
	f.evidence.resource_configuration_ids == ["rcfg-group", "rcfg-single"]
}
