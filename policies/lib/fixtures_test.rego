# METADATA
# description: >-
#   Shared test fixtures: config holds the defaults of policies.DefaultParams()
#   (policies/params.go). Tests override fields with object.union(config, {...}).
package dcgw.lib.fixtures

config := {
	"gateway_port": 443,
	"allowed_spokes": [],
	"allowed_source_ranges": [],
	"kong_domains": [
		"gateways.konggateway.com",
		"gateways.konghq.com",
		"gateways.konghq.tech",
		"kongcloud.dev",
	],
	"upstream_subnets": [],
	"edge_load_balancers": [],
	"azure_default_konnect_cidr": "10.0.0.0/16",
}
