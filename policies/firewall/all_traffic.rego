# METADATA
# title: Gateway-facing firewall allows all protocols or all ports
# description: >-
#   An ingress allow rule on a firewall that protects upstreams reachable from Kong admits
#   every protocol or every port (0-65535 or 1-65535) from an address-based source (a CIDR,
#   prefix list, service tag or any). Kong Gateway only needs the upstream services' own
#   ports. Rules whose sources are only security groups, network tags or service accounts
#   (members of the customer's own network) are left out.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
# custom:
#   id: DCGW-FW-003
#   severity: medium
#   connectivity: [peering, hub, private-endpoint]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, peerings, hub_attachments, hub_route_tables, subnets, firewalls, prefix_lists, load_balancers, target_groups, resource_gateways]
#   cost: high
#   remediation: >-
#     Limit the rule to the protocol (tcp) and the ports your upstream services listen on.
package dcgw.firewall.all_traffic

import data.dcgw.lib.edge

_address_kinds := {"cidr", "prefix-list", "service-tag", "any"}

deny contains f if {
	some fw_id in edge.gateway_facing_firewalls
	fw := edge.firewalls_by_id[fw_id]
	some rule in fw.rules
	edge.active_allow(rule, "ingress")
	edge.all_ports(rule)
	sources := sort([edge.address_text(a) | some a in rule.sources; a.kind in _address_kinds; not _platform_probe(a)])
	count(sources) > 0
	not edge.shadowed(fw, rule)
	f := {
		"resource": fw.id,
		"key": edge.rule_key(rule),
		"msg": sprintf("%s %s allows %s from %s; allow only the protocol and ports your upstream services use.", [
			fw.kind,
			edge.display_name(fw),
			edge.traffic_text(rule),
			concat(", ", sources),
		]),
		"evidence": {
			"firewall_kind": fw.kind,
			"network_id": object.get(fw, "network_id", ""),
			"rule": rule,
			"sources": sources,
		},
	}
}

# Azure's AzureLoadBalancer tag (168.63.129.16, every NSG's default rule 65001) is the
# platform's health probe source, not a network Kong or anyone else can send from.
_platform_probe(a) if {
	a.kind == "service-tag"
	lower(a.value) == "azureloadbalancer"
}
