package dcgw.endpoint.unrequested_exposure_test

import data.dcgw.endpoint.unrequested_exposure
import data.dcgw.lib.ep_fixtures as fx

_findings(inp) := {[f.resource, f.key] | some f in fs} if {
	fs := unrequested_exposure.deny with input as inp with data.config as fx.config
}

_with_attachment(configs) := object.union(fx.estate, {"konnect": fx.konnect([fx.attachment("att-ep", fx.share_arn, configs)])})

# The estate's attachment maps rcfg-a but not its sibling rcfg-b.
test_unmapped_child if {
	_findings(fx.estate) == {["rcfg-group", "rcfg-b"]}
}

test_compliant if {
	_findings(_with_attachment(["rcfg-a", "rcfg-b", "rcfg-single"])) == set()

	# a mapped group asks for all its children
	_findings(_with_attachment(["rcfg-group", "rcfg-single"])) == set()
}

test_unmapped_share_resources if {
	inp := object.union(_with_attachment(["rcfg-a", "rcfg-b"]), {"shares": [fx.share(
		fx.share_arn,
		[fx.principal(fx.kong_account, true)],
		["rcfg-group", "rcfg-single", "arn:aws:ec2:us-east-2:111111111111:subnet/subnet-1"],
	)]})
	_findings(inp) == {
		[fx.share_arn, "rcfg-single"],
		[fx.share_arn, "arn:aws:ec2:us-east-2:111111111111:subnet/subnet-1"],
	}
}

# A configuration that names the share but is missing from its resource list counts.
test_configuration_naming_the_share if {
	pes := array.concat(fx.estate.private_endpoints, [fx.pe("rcfg-extra", "SINGLE", {"share_ids": [fx.share_arn]})])
	inp := object.union(_with_attachment(["rcfg-a", "rcfg-b", "rcfg-single"]), {"private_endpoints": pes})
	_findings(inp) == {[fx.share_arn, "rcfg-extra"]}
}

# ARNs in the share match the ids Konnect maps.
test_arn_resource_ids if {
	inp := object.union(_with_attachment(["rcfg-a", "rcfg-b", "rcfg-single"]), {"shares": [fx.share(
		fx.share_arn,
		[fx.principal(fx.kong_account, true)],
		[fx.rcfg_arn("rcfg-group"), fx.rcfg_arn("rcfg-single")],
	)]})
	_findings(inp) == set()
}

# An attachment that maps nothing yet is not judged.
test_attachment_without_mapping if {
	_findings(_with_attachment([])) == set()
}

test_message if {
	fs := unrequested_exposure.deny with input as fx.estate with data.config as fx.config
	some f in fs
	f.msg == "Child configuration rcfg-b of group rcfg-group is exposed to Konnect through endpoints (att-ep), which does not map it to a domain; remove it from the group or map it."
	f.evidence.mapped == ["rcfg-a", "rcfg-single"]
}
