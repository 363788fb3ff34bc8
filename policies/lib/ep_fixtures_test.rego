# METADATA
# description: >-
#   Test fixtures of the endpoint and tls rules: config is fixtures.config with the
#   defaults of the endpoint and edge parameters of policies.DefaultParams() (a Go test
#   checks they agree), and estate is a resource endpoint set-up in AWS shapes that
#   the endpoint tests vary: one Konnect network whose attachment maps a child of a group
#   and a single configuration, both carried by one RAM share to Konnect's account.
package dcgw.lib.ep_fixtures

import data.dcgw.lib.fixtures

config := object.union(fixtures.config, {
	"allowed_share_principals": [],
	"endpoint_allowed_ports": {},
	"weak_tls_policies": [
		"ELBSecurityPolicy-2016-08",
		"ELBSecurityPolicy-2015-05",
		"ELBSecurityPolicy-TLS-1-0-2015-04",
		"ELBSecurityPolicy-TLS-1-1-2017-01",
		"ELBSecurityPolicy-FS-2018-06",
		"ELBSecurityPolicy-FS-1-1-2019-08",
		"ELBSecurityPolicy-TLS13-1-0-2021-06",
		"ELBSecurityPolicy-TLS13-1-1-2021-06",
		"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
		"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
		"ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
		"ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
		"AppGwSslPolicy20150501",
		"AppGwSslPolicy20170401",
		"TLS10",
	],
	"external_edges": [
		"cloudfront.net",
		"azurefd.net",
		"azureedge.net",
		"akamaiedge.net",
		"edgekey.net",
		"edgesuite.net",
		"fastly.net",
		"fastlylb.net",
	],
})

# Konnect's AWS account and the customer's.
kong_account := "999999999999"

customer := "111111111111"

# rcfg_arn is the ARN of a resource configuration of the customer's account.
rcfg_arn(id) := sprintf("arn:aws:vpc-lattice:us-east-2:%s:resourceconfiguration/%s", [customer, id])

share_arn := sprintf("arn:aws:ram:us-east-2:%s:resource-share/share-kong", [customer])

# pe is a resource configuration with the given id, type and extra fields.
pe(id, type, extra) := object.union(
	{"id": id, "provider": "aws", "account": customer, "region": "us-east-2", "kind": "aws-lattice-resource-configuration", "type": type, "protocol": "TCP", "state": "ACTIVE"},
	extra,
)

ip(v) := {"kind": "ip", "value": v}

dns(v) := {"kind": "dns", "value": v}

# attachment is Konnect's resource endpoint attachment mapping the given configurations.
attachment(id, share, configs) := {
	"id": id, "name": "endpoints", "kind": "aws-resource-endpoint-attachment", "state": "ready",
	"share_id": share,
	"resource_configs": [{"id": c, "domain_name": concat("", [c, ".internal"]), "state": "ready"} | some c in configs],
}

konnect(attachments) := {"networks": [{
	"id": "kn-1", "provider": "konnect", "name": "prod", "cidr": "10.100.0.0/16", "region": "us-east-2",
	"provider_account_id": kong_account, "data_plane_ips": ["10.100.1.10"],
	"attachments": attachments,
}]}

share(id, principals, resources) := {
	"id": id, "provider": "aws", "account": customer, "region": "us-east-2", "name": "kong-dcgw",
	"status": "ACTIVE", "allow_external_principals": true,
	"principals": principals, "resource_ids": resources,
}

principal(id, external) := {"id": id, "external": external, "status": "ASSOCIATED"}

# estate: the group rcfg-group (children rcfg-a and rcfg-b) and the single rcfg-single
# behind resource gateway rgw-1 in vpc-1; the attachment maps rcfg-a and rcfg-single, so
# rcfg-b is exposed without being asked for.
estate := {
	"konnect": konnect([attachment("att-ep", share_arn, ["rcfg-a", "rcfg-single"])]),
	"private_endpoints": [
		pe("rcfg-group", "GROUP", {"child_ids": ["rcfg-a", "rcfg-b"], "resource_gateway_id": "rgw-1", "share_ids": [share_arn]}),
		pe("rcfg-a", "CHILD", {"parent_id": "rcfg-group", "definition": ip("10.0.1.10"), "port_ranges": ["443"]}),
		pe("rcfg-b", "CHILD", {"parent_id": "rcfg-group", "definition": dns("inventory.corp.internal"), "port_ranges": ["8080"]}),
		pe("rcfg-single", "SINGLE", {"resource_gateway_id": "rgw-1", "definition": ip("10.0.1.20"), "port_ranges": ["443"]}),
	],
	"resource_gateways": [{"id": "rgw-1", "provider": "aws", "name": "kong-endpoints", "network_id": "vpc-1", "firewall_ids": ["sg-rgw"]}],
	"shares": [share(share_arn, [principal(kong_account, true)], ["rcfg-group", "rcfg-single"])],
	"networks": [{"id": "vpc-1", "provider": "aws", "kind": "aws-vpc", "cidrs": ["10.0.0.0/16"]}],
	"firewalls": [{"id": "sg-rgw", "provider": "aws", "kind": "aws-security-group", "network_id": "vpc-1", "stateful": true, "rules": []}],
}

# with_endpoints replaces the estate's resource configurations.
with_endpoints(pes) := object.union(estate, {"private_endpoints": pes})

# ---------------------------------------------------------------------------
# Edge estate for the tls rules
# ---------------------------------------------------------------------------

# lb is a load balancer with the given fields.
lb(id, kind, scheme, extra) := object.union({"id": id, "provider": "aws", "kind": kind, "scheme": scheme}, extra)

tg(id, protocol, targets) := {"id": id, "provider": "aws", "protocol": protocol, "port": 443, "targets": [{"id": t} | some t in targets]}

listener(protocol, port, extra) := object.union({"protocol": protocol, "port": port}, extra)

forward(tgs) := {"kind": "forward", "target_group_ids": tgs}

https_redirect := {"kind": "redirect", "redirect_protocol": "HTTPS"}

dp_ips := ["10.100.1.10", "10.100.2.10"]

# edge_estate: an ALB edge done right (alb-edge); an Application Gateway edge with an HTTP
# forwarding listener, a weak policy, HTTP re-origination and no WAF (agw-edge); a Front
# Door without WAF in front of an internal load balancer holding the data plane IPs
# (afd -> ilb); an NLB passing TLS through (nlb-pass); an NLB terminating TLS with a weak
# policy in front of a TCP group (nlb-tls); an internal ALB re-originating over HTTP
# (alb-int); a public ALB that does not front Kong (alb-web).
edge_estate := {
	"konnect": {"networks": [{
		"id": "kn-1", "provider": "konnect", "cidr": "10.100.0.0/16",
		"data_plane_ips": dp_ips, "hostnames": ["prod.gateways.konggateway.com"],
	}]},
	"load_balancers": [
		lb("alb-edge", "aws-alb", "internet-facing", {
			"dns_name": "edge-1.us-east-2.elb.amazonaws.com", "waf_id": "arn:aws:wafv2:us-east-2:111111111111:regional/webacl/edge/1",
			"listeners": [
				listener("HTTPS", 443, {"id": "l-https", "tls_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "default_action": forward(["tg-dp"])}),
				listener("HTTP", 80, {"id": "l-http", "default_action": https_redirect}),
			],
			"target_group_ids": ["tg-dp"],
		}),
		lb("agw-edge", "azure-application-gateway", "internet-facing", {
			"provider": "azure", "dns_name": "agw.eastus.cloudapp.azure.com",
			"listeners": [
				listener("Https", 443, {"tls_policy": "AppGwSslPolicy20170401", "default_action": forward(["pool-dp"])}),
				listener("Http", 80, {"default_action": forward(["pool-dp"])}),
			],
		}),
		lb("afd", "azure-front-door", "", {
			"provider": "azure", "dns_name": "api-x.z01.azurefd.net",
			"listeners": [
				listener("Https", 443, {"tls_policy": "TLS12", "default_action": forward(["og-ilb"])}),
				listener("Http", 80, {"default_action": https_redirect}),
			],
			"target_group_ids": ["og-ilb"],
		}),
		lb("ilb", "azure-load-balancer", "internal", {
			"provider": "azure",
			"listeners": [listener("Tcp", 443, {"default_action": forward(["ilb-pool"])})],
			"target_group_ids": ["ilb-pool"],
		}),
		lb("nlb-pass", "aws-nlb", "internet-facing", {
			"dns_name": "nlb-pass.elb.us-east-2.amazonaws.com",
			"listeners": [listener("TCP", 443, {"default_action": forward(["tg-tcp"])})],
		}),
		lb("nlb-tls", "aws-nlb", "internet-facing", {
			"listeners": [listener("TLS", 443, {"tls_policy": "ELBSecurityPolicy-2016-08", "default_action": forward(["tg-tcp2"])})],
		}),
		lb("alb-int", "aws-alb", "internal", {
			"dns_name": "internal-alb-int-1.us-east-2.elb.amazonaws.com",
			"listeners": [listener("HTTP", 80, {"default_action": forward(["tg-int"])})],
			"target_group_ids": ["tg-int"],
		}),
		lb("alb-web", "aws-alb", "internet-facing", {
			"dns_name": "web-1.us-east-2.elb.amazonaws.com",
			"listeners": [listener("HTTP", 80, {"default_action": forward(["tg-web"])})],
			"target_group_ids": ["tg-web"],
		}),
	],
	"target_groups": [
		tg("tg-dp", "HTTPS", dp_ips),
		object.union(tg("pool-dp", "Http", dp_ips), {"provider": "azure", "load_balancer_ids": ["agw-edge"]}),
		object.union(tg("og-ilb", "Https", ["ilb"]), {"provider": "azure"}),
		object.union(tg("ilb-pool", "Tcp", dp_ips), {"provider": "azure"}),
		object.union(tg("tg-tcp", "TCP", dp_ips), {"load_balancer_ids": ["nlb-pass"]}),
		object.union(tg("tg-tcp2", "TCP", dp_ips), {"load_balancer_ids": ["nlb-tls"]}),
		tg("tg-int", "HTTP", dp_ips),
		tg("tg-web", "HTTP", ["10.0.0.5"]),
	],
}
