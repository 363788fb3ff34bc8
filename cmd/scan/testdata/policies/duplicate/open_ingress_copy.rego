# METADATA
# title: Copy of a built-in rule under the built-in's id
# description: Test fixture for the end-to-end error cases of dcgw-scan check.
# custom:
#   id: DCGW-FW-001
#   severity: critical
#   inputs: [firewalls]
#   remediation: Give custom rules their own ids.
package acme.firewall.open_ingress_copy

deny contains f if {
	some fw in input.firewalls
	f := {"resource": fw.id, "msg": "copy"}
}
