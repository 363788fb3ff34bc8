# METADATA
# title: Gateway-facing firewall open to the internet
# description: >-
#   An ingress allow rule on a firewall that protects upstream services reachable from Kong
#   (a security group, network ACL, NSG or GCP firewall rule in a network connected to a
#   Konnect network, or on a resource gateway) accepts the whole internet: 0.0.0.0/0, ::/0,
#   any, the Internet/*/Any service tag, or a prefix list holding 0.0.0.0/0 or ::/0.
#   Firewalls that only guard edge load balancers are left out, and so are allows fully
#   shadowed by a higher-priority deny and network ACL rules that only admit return traffic
#   on the ephemeral ports.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
#   - ref: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
#   - ref: https://cloud.google.com/firewall/docs/firewalls
# custom:
#   id: DCGW-FW-001
#   severity: critical
#   connectivity: [peering, hub, private-endpoint]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, peerings, hub_attachments, hub_route_tables, subnets, firewalls, prefix_lists, load_balancers, target_groups, resource_gateways]
#   cost: high
#   remediation: >-
#     Replace the internet source with the DCGW data plane private IPs (each as a /32) and
#     any other source you really need (`allowed_source_ranges`), on the service ports only.
#     On Azure do not use the `Internet` or `*` tags; on AWS check prefix lists for
#     `0.0.0.0/0`; on GCP remove `0.0.0.0/0` from `sourceRanges`.
package dcgw.firewall.open_ingress

import data.dcgw.lib.edge

deny contains f if {
	some fw_id in edge.gateway_facing_firewalls
	fw := edge.firewalls_by_id[fw_id]
	some rule in fw.rules
	edge.active_allow(rule, "ingress")
	open := sort([edge.address_text(a) | some a in rule.sources; edge.open_address(a)])
	count(open) > 0
	not edge.return_traffic(fw, rule)
	not edge.shadowed(fw, rule)
	f := {
		"resource": fw.id,
		"key": edge.rule_key(rule),
		"msg": sprintf("%s %s allows %s from the internet (%s) into a network Kong Gateway reaches; allow only the DCGW data plane IPs and the sources you need.", [
			fw.kind,
			edge.display_name(fw),
			edge.traffic_text(rule),
			concat(", ", open),
		]),
		"evidence": {
			"firewall_kind": fw.kind,
			"network_id": object.get(fw, "network_id", ""),
			"rule": rule,
			"open_sources": open,
		},
	}
}
