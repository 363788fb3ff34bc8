# METADATA
# title: Edge target group does not target exactly the DCGW data plane IPs on the gateway port
# description: >-
#   A target group (backend pool, origin group) behind an edge load balancer should list
#   exactly the DCGW data plane private IPs of the gateway it fronts, on the gateway port.
#   A missing data plane IP loses capacity and zone redundancy; an extra target sends public
#   traffic somewhere other than Kong; another port misses the gateway's listener.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html
# custom:
#   id: DCGW-FW-004
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, load_balancers, target_groups]
#   remediation: >-
#     Register every DCGW data plane private IP (Konnect shows them per data plane group;
#     they are static) as an IP target on the gateway port (`gateway_port`, 443 by default),
#     and deregister any other target.
package dcgw.firewall.edge_targets

import data.dcgw.lib.edge

deny contains f if {
	some tg_id in edge.edge_target_groups
	tg := edge.target_groups_by_id[tg_id]
	targets := object.get(tg, "targets", [])
	ips := {edge.ip_of(t.id) | some t in targets}
	expected := _expected(ips)
	missing := sort(expected - ips)
	extra := sort(ips - expected)
	wrong_port := sort([w |
		some t in targets
		port := object.get(t, "port", object.get(tg, "port", 0))
		port != data.config.gateway_port
		w := {"target": t.id, "port": port}
	])
	(count(missing) + count(extra)) + count(wrong_port) > 0
	f := {
		"resource": tg.id,
		"key": tg.id,
		"msg": sprintf("Edge target group %s should target exactly the DCGW data plane IPs on port %d: %s.", [
			edge.display_name(tg),
			data.config.gateway_port,
			concat("; ", _problems(missing, extra, wrong_port)),
		]),
		"evidence": {
			"load_balancer_ids": sort([lb | some lb in edge.edge_load_balancers; tg.id in edge.target_groups_of_lb[lb]]),
			"expected": sort(expected),
			"gateway_port": data.config.gateway_port,
			"missing": missing,
			"extra": extra,
			"wrong_port": wrong_port,
		},
	}
}

# _expected are the data plane IPs of the Konnect networks the group already targets, or
# of every Konnect network when it targets none of them.
_expected(ips) := expected if {
	networks := {n | some ip in ips; some n in edge.dp_networks_of[ip]}
	count(networks) > 0
	expected := {dp | some n in networks; some dp in edge.dp_ips_by_network[n]}
} else := edge.dp_ip_set

_problems(missing, extra, wrong_port) := [p |
	some p in [
		_list_text("missing", missing),
		_list_text("not a data plane IP", extra),
		_list_text("wrong port", [sprintf("%s:%d", [w.target, w.port]) | some w in wrong_port]),
	]
	p != ""
]

_list_text(_, items) := "" if count(items) == 0

_list_text(label, items) := sprintf("%s %s", [label, concat(", ", items)]) if count(items) > 0
