# METADATA
# title: Traffic is re-originated to Kong Gateway over plain HTTP
# description: >-
#   A target group (backend pool with its HTTP settings, origin group) that sends traffic
#   to Kong Gateway (a DCGW data plane private IP, or a Kong Gateway hostname, among its
#   targets) uses plain HTTP, so requests decrypted at the edge cross the network in clear
#   text. Re-originate over HTTPS, or pass TLS through at layer 4. A TCP target group is
#   L4 passthrough when its load balancer's listeners that forward to it are TCP too; it
#   is reported when a TLS listener forwards to it, since the listener then decrypts and
#   sends clear text onward.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-routing-configuration
# custom:
#   id: DCGW-TLS-004
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, load_balancers, target_groups]
#   remediation: >-
#     Set the target group's protocol to HTTPS (ALB target group HTTPS on the gateway port;
#     Application Gateway backend setting HTTPS; Front Door forwarding protocol HTTPS only),
#     or use a TLS listener with a TLS target group, or a TCP listener with a TCP target
#     group to pass TLS through to Kong.
package dcgw.tls.plain_http_to_kong

import data.dcgw.lib.edge
import data.dcgw.lib.tls

# _kong_target_groups are the target groups with a data plane IP or a Kong hostname among
# their targets.
_kong_target_groups := edge.dp_target_groups | {tg.id |
	some tg in input.target_groups
	some t in object.get(tg, "targets", [])
	edge.kong_hostname(t.id)
}

# _tls_listeners_to[tg id] are the TLS listeners that forward to a target group.
_tls_listener_pairs := {[tg_id, sprintf("%s %s", [lb.id, tls.listener_text(l)])] |
	some lb in input.load_balancers
	some l in object.get(lb, "listeners", [])
	lower(l.protocol) == "tls"
	some tg_id in object.get(l, ["default_action", "target_group_ids"], [])
}

deny contains f if {
	some tg_id in _kong_target_groups
	tg := edge.target_groups_by_id[tg_id]
	protocol := object.get(tg, "protocol", "")
	tls.plain_http(protocol)
	f := _finding(tg, protocol, sprintf("uses %s", [protocol]), [])
}

deny contains f if {
	some tg_id in _kong_target_groups
	tg := edge.target_groups_by_id[tg_id]
	protocol := object.get(tg, "protocol", "")
	lower(protocol) == "tcp"
	listeners := sort({l | some [t, l] in _tls_listener_pairs; t == tg_id})
	count(listeners) > 0
	f := _finding(tg, protocol, sprintf("uses TCP behind the TLS listener %s, which decrypts", [concat(", ", listeners)]), listeners)
}

_finding(tg, protocol, what, listeners) := {
	"resource": tg.id,
	"msg": sprintf("Target group %s sends traffic to Kong Gateway in clear text: it %s; re-originate over HTTPS or pass TLS through.", [
		edge.display_name(tg),
		what,
	]),
	"evidence": {
		"protocol": protocol,
		"port": object.get(tg, "port", 0),
		"load_balancer_ids": sort(object.get(edge.target_groups_of_lb, tg.id, set()) | {id | some id in object.get(tg, "load_balancer_ids", [])}),
		"kong_targets": sort({t.id | some t in object.get(tg, "targets", []); _kong_target(t.id)}),
		"tls_listeners": listeners,
	},
}

_kong_target(id) if edge.ip_of(id) in edge.dp_ip_set

_kong_target(id) if edge.kong_hostname(id)
