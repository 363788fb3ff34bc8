# METADATA
# title: Upstream security group without a description
# description: Test fixture for the end-to-end error cases of dcgw-scan check.
# custom:
#   id: ACME-FW-001
#   severity: low
#   inputs: [firewalls]
#   remediation: Describe every rule.
package acme.firewall.undescribed

deny contains f if {
	some fw in input.firewalls
	some rule in fw.rules
	rule.description == ""
	f := {"resource": fw.id, "msg": "rule without a description"
}
