# METADATA
# title: Upstream firewall allows SSH
# description: >-
#   Firewalls of networks connected to Kong must not accept SSH.
# custom:
#   id: ACME-FW-001
#   severity: low
#   connectivity: [peering, hub]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, networks, subnets, peerings, hub_attachments, hub_route_tables, firewalls]
#   remediation: Remove the rule; use a bastion-free access path instead.
package acme.firewall.no_ssh

import data.dcgw.lib.topology

deny contains finding if {
	some fw in input.firewalls
	fw.network_id in topology.connected_networks
	some rule in fw.rules
	rule.direction == "ingress"
	rule.action == "allow"
	some port in rule.ports
	port.from <= 22
	port.to >= 22
	finding := {
		"resource": fw.id,
		"key": object.get(rule, "id", "ssh"),
		"msg": sprintf("%s allows SSH", [fw.id]),
	}
}
