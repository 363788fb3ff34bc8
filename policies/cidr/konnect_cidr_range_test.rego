package dcgw.cidr.konnect_cidr_range_test

import data.dcgw.cidr.konnect_cidr_range
import data.dcgw.lib.fixtures

allowed := ["10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16", "198.18.0.0/15"]

reserved := ["10.100.0.0/16", "172.17.0.0/16"]

availability := [
	{"provider": "aws", "region": "us-east-2", "allowed_cidrs": allowed, "reserved_cidrs": reserved},
	{"provider": "azure", "region": "eastus", "allowed_cidrs": allowed, "reserved_cidrs": reserved},
	{"provider": "gcp", "region": "us-central1", "allowed_cidrs": ["10.0.0.0/8"], "reserved_cidrs": ["10.200.0.0/16"]},
]

kn(id, provider, region, cidr) := {"id": id, "provider": provider, "region": region, "cidr": cidr}

findings(networks) := got if {
	snap := {"konnect": {"networks": networks, "availability": availability}}
	got := {[f.resource, f.key] | some f in konnect_cidr_range.deny} with input as snap with data.config as fixtures.config
}

test_table if {
	cases := [
		# compliant: the docs' examples.
		{
			"networks": [
				kn("ok-1", "aws", "us-east-2", "10.4.0.0/16"),
				kn("ok-2", "aws", "us-east-2", "100.68.0.0/20"),
				kn("ok-3", "azure", "eastus", "172.20.0.0/22"),
				kn("ok-4", "azure", "eastus", "192.168.128.0/18"),
				kn("ok-5", "gcp", "us-central1", "10.6.0.0/16"),
			],
			"want": set(),
		},
		# outside every allowed range; just past the end of 172.16.0.0/12.
		{
			"networks": [
				kn("aws-pub", "aws", "us-east-2", "52.0.0.0/16"),
				kn("az-past", "azure", "eastus", "172.32.0.0/16"),
				kn("gcp-172", "gcp", "us-central1", "172.20.0.0/16"),
			],
			"want": {["aws-pub", "outside-allowed"], ["az-past", "outside-allowed"], ["gcp-172", "outside-allowed"]},
		},
		# reserved: inside one, containing one, per region.
		{
			"networks": [
				kn("aws-res", "aws", "us-east-2", "10.100.64.0/20"),
				kn("az-res", "azure", "eastus", "172.16.0.0/12"),
				kn("gcp-res", "gcp", "us-central1", "10.200.0.0/16"),
				kn("gcp-other", "gcp", "us-central1", "10.100.0.0/16"),
			],
			"want": {["aws-res", "reserved|10.100.0.0/16"], ["az-res", "reserved|172.17.0.0/16"], ["gcp-res", "reserved|10.200.0.0/16"]},
		},
		# both at once.
		{"networks": [kn("both", "aws", "us-east-2", "10.0.0.0/7")], "want": {["both", "outside-allowed"], ["both", "reserved|10.100.0.0/16"]}},
		# no entry for the provider or region: not checked.
		{"networks": [kn("unknown-region", "aws", "eu-west-9", "52.0.0.0/16"), kn("unknown-provider", "gcp", "us-east-2", "10.100.0.0/16")], "want": set()},
	]
	every c in cases {
		findings(c.networks) == c.want
	}
}

test_message_names_the_ranges if {
	snap := {"konnect": {"networks": [kn("aws-res", "aws", "us-east-2", "10.100.64.0/20")], "availability": availability}}
	some f in konnect_cidr_range.deny with input as snap with data.config as fixtures.config
	f.msg == "Konnect network aws-res (10.100.64.0/20) overlaps 10.100.0.0/16, which Konnect reserves in aws us-east-2."
}
