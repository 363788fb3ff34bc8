# METADATA
# title: Public edge in front of the gateway has no WAF
# description: >-
#   An internet-facing Application Load Balancer, Application Gateway or Front Door in
#   front of the gateway (see DCGW-TLS-002 for which load balancers count) has no web
#   application firewall associated (no WAFv2 web ACL, no WAF policy). Kong's private
#   mode expects the customer's edge to filter public traffic before it reaches the
#   gateway. Network Load Balancers and other layer-4 edges cannot carry a WAF and are not
#   reported. The severity is a default: override it per rule in the config when a WAF is
#   optional in your estate.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
#   - ref: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
#   - ref: https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview
# custom:
#   id: DCGW-TLS-005
#   severity: medium
#   connectivity: [edge]
#   providers: [aws, azure]
#   inputs: [konnect.networks, load_balancers, target_groups]
#   remediation: >-
#     Associate a web ACL with the load balancer (AWS WAF: AssociateWebACL with the ALB's
#     ARN), attach a WAF policy to the Application Gateway (WAF_v2 SKU), or a security
#     policy with a WAF policy to the Front Door endpoint.
package dcgw.tls.missing_waf

import data.dcgw.lib.edge
import data.dcgw.lib.tls

_waf_kinds := {"aws-alb", "azure-application-gateway", "azure-front-door"}

deny contains f if {
	some lb_id in tls.gateway_edges
	lb := tls.lbs_by_id[lb_id]
	lb.kind in _waf_kinds
	tls.public_lb(lb)
	object.get(lb, "waf_id", "") == ""
	f := {
		"resource": lb.id,
		"msg": sprintf("Internet-facing %s %s fronts Kong Gateway without a web application firewall; associate a WAF web ACL or policy with it.", [
			lb.kind,
			edge.display_name(lb),
		]),
		"evidence": {
			"kind": lb.kind,
			"scheme": object.get(lb, "scheme", ""),
		},
	}
}
