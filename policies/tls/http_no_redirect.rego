# METADATA
# title: Edge HTTP listener does not redirect to HTTPS
# description: >-
#   A plain HTTP listener on a public edge in front of the gateway (an edge load balancer,
#   or a public load balancer or Front Door that forwards to one holding the DCGW data
#   plane IPs; the configured edge_load_balancers when set) should only redirect to HTTPS.
#   Forwarding, or any default action other than a redirect whose protocol is HTTPS, lets
#   API requests and their credentials cross the internet in clear text, or leaves clients
#   that type http:// without the upgrade.
# related_resources:
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions
#   - ref: https://learn.microsoft.com/azure/application-gateway/redirect-http-to-https-portal
# custom:
#   id: DCGW-TLS-002
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, load_balancers, target_groups]
#   remediation: >-
#     Change the HTTP listener's default action to a redirect to HTTPS (ALB: redirect,
#     protocol HTTPS, port 443, HTTP_301; Application Gateway: a redirect configuration to
#     the HTTPS listener; Front Door: "Redirect all traffic to use HTTPS" on the route), or
#     remove the HTTP listener.
package dcgw.tls.http_no_redirect

import data.dcgw.lib.edge
import data.dcgw.lib.tls

deny contains f if {
	some lb_id in tls.gateway_edges
	lb := tls.lbs_by_id[lb_id]
	some l in object.get(lb, "listeners", [])
	tls.plain_http(l.protocol)
	action := object.get(l, "default_action", {})
	not _https_redirect(action)
	f := {
		"resource": lb.id,
		"key": tls.listener_key(l),
		"msg": sprintf("Edge %s %s has a plain HTTP listener %s that %s instead of redirecting to HTTPS; make its default action a redirect to HTTPS.", [
			lb.kind,
			edge.display_name(lb),
			tls.listener_text(l),
			_action_text(action),
		]),
		"evidence": {
			"listener": l,
			"scheme": object.get(lb, "scheme", ""),
		},
	}
}

_https_redirect(action) if {
	action.kind == "redirect"
	upper(object.get(action, "redirect_protocol", "")) == "HTTPS"
}

_action_text(action) := "forwards requests in clear text" if {
	object.get(action, "kind", "") == "forward"
} else := sprintf("redirects to %s", [object.get(action, "redirect_protocol", "the same protocol")]) if {
	object.get(action, "kind", "") == "redirect"
	object.get(action, "redirect_protocol", "") != ""
} else := "redirects without switching to HTTPS" if {
	object.get(action, "kind", "") == "redirect"
} else := "answers with a fixed response" if {
	object.get(action, "kind", "") == "fixed-response"
} else := "has no known default action"
