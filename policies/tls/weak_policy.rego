# METADATA
# title: Edge TLS listener uses a weak TLS policy
# description: >-
#   An HTTPS or TLS listener on a public edge in front of the gateway uses a TLS policy
#   listed in weak_tls_policies. The default list holds the policies that still accept
#   TLS 1.0 or TLS 1.1: the AWS Elastic Load Balancing security policies with TLS 1.0/1.1
#   in their protocol tables (ELBSecurityPolicy-2016-08, -2015-05, -TLS-1-0-2015-04,
#   -TLS-1-1-2017-01, -FS-2018-06, -FS-1-1-2019-08, -TLS13-1-0-2021-06, -TLS13-1-1-2021-06,
#   the 1-0/1-1 FIPS policies of 2023-04 and the 1-0 PQ policies of 2025-09), the Azure
#   Application Gateway predefined policies AppGwSslPolicy20150501 (TLS 1.0 minimum) and
#   AppGwSslPolicy20170401 (TLS 1.1 minimum), and Front Door's minimum TLS version TLS10.
#   Names compare case-insensitively. A listener whose policy was not collected is not
#   reported.
# related_resources:
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html
#   - ref: https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview
# custom:
#   id: DCGW-TLS-003
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, load_balancers, target_groups]
#   remediation: >-
#     Switch the listener to a policy that accepts TLS 1.2 and later only: on AWS
#     ELBSecurityPolicy-TLS13-1-2-2021-06 (or its -Res or PQ variants); on Application
#     Gateway AppGwSslPolicy20220101 (or 20220101S); on Front Door minimum TLS version 1.2.
package dcgw.tls.weak_policy

import data.dcgw.lib.edge
import data.dcgw.lib.tls

_weak := {lower(p) | some p in data.config.weak_tls_policies}

deny contains f if {
	some lb_id in tls.gateway_edges
	lb := tls.lbs_by_id[lb_id]
	some l in object.get(lb, "listeners", [])
	tls.tls_protocol(l.protocol)
	policy := object.get(l, "tls_policy", "")
	lower(policy) in _weak
	f := {
		"resource": lb.id,
		"key": tls.listener_key(l),
		"msg": sprintf("Edge %s %s listener %s uses the TLS policy %s, which accepts TLS 1.0 or 1.1 (listed in weak_tls_policies); switch it to a TLS 1.2+ policy.", [
			lb.kind,
			edge.display_name(lb),
			tls.listener_text(l),
			policy,
		]),
		"evidence": {
			"listener": l,
			"tls_policy": policy,
		},
	}
}
