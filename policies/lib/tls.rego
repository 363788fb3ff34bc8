# METADATA
# description: >-
#   Edge helpers for the TLS rules: which load balancers are public, which front the
#   gateway (the edge load balancers of dcgw.lib.edge, plus public load balancers that
#   forward to a load balancer holding the DCGW data plane IPs, as Azure Front Door does
#   through Private Link to an internal load balancer), and protocol spellings. Reads
#   konnect.networks, load_balancers and target_groups: list those in the inputs of a
#   rule that uses it.
package dcgw.lib.tls

import data.dcgw.lib.edge

lbs_by_id := {lb.id: lb | some lb in input.load_balancers}

# public_lb holds for an internet-facing load balancer; Front Door is always public.
public_lb(lb) if lb.scheme == "internet-facing"

public_lb(lb) if lb.kind == "azure-front-door"

# lb_host normalizes a load balancer DNS name or a DNS answer for comparison: lower
# case, no trailing dot, no "dualstack." prefix (Route 53 aliases to ELB use it).
lb_host(name) := trim_prefix(edge.norm_host(name), "dualstack.")

_lb_name_pairs := {[lb_host(lb.dns_name), lb.id] |
	some lb in input.load_balancers
	object.get(lb, "dns_name", "") != ""
}

# lbs_by_host[normalized DNS name] are the ids of the load balancers with that name.
lbs_by_host := {h: ids |
	some [h, _] in _lb_name_pairs
	ids := {id | some [h2, id] in _lb_name_pairs; h2 == h}
}

# lbs_named(x) are the ids of the load balancers x names, by id or by DNS name.
lbs_named(x) := {x} | object.get(lbs_by_host, lb_host(x), set()) if {
	lbs_by_id[x]
} else := object.get(lbs_by_host, lb_host(x), set())

# gateway_lbs are the load balancers (any scheme) with a DCGW data plane IP among the
# targets of one of their target groups.
gateway_lbs := {lb_id |
	some lb_id, tg_ids in edge.target_groups_of_lb
	some tg_id in tg_ids
	tg_id in edge.dp_target_groups
}

# fronting_lbs are the load balancers with a target that is a gateway load balancer
# (named by id or DNS name): Front Door through Private Link to an internal load
# balancer, an NLB with an ALB target group.
fronting_lbs := {lb_id |
	some lb_id, tg_ids in edge.target_groups_of_lb
	some tg_id in tg_ids
	some t in object.get(edge.target_groups_by_id, [tg_id, "targets"], [])
	some named in lbs_named(t.id)
	named in gateway_lbs
	named != lb_id
}

_configured := {id | some id in data.config.edge_load_balancers}

# gateway_edges are the public entries in front of the gateway: the configured
# edge_load_balancers when set, else the edge load balancers (internet-facing, DCGW data
# plane IPs among their targets) and the public load balancers that front a load
# balancer holding the data plane IPs.
gateway_edges := _configured if {
	count(_configured) > 0
} else := edge.edge_load_balancers | {id |
	some id in fronting_lbs
	public_lb(lbs_by_id[id])
}

# plain_http holds for a protocol name that carries HTTP without TLS (ELB HTTP,
# Application Gateway Http, Front Door HttpOnly forwarding, GCP HTTP).
plain_http(protocol) if lower(protocol) in {"http", "httponly"}

# tls_protocol holds for a listener protocol that terminates TLS.
tls_protocol(protocol) if lower(protocol) in {"https", "tls"}

# listener_key is a stable key for a listener: its id, else protocol:port.
listener_key(l) := l.id if {
	object.get(l, "id", "") != ""
} else := sprintf("%s:%d", [upper(l.protocol), object.get(l, "port", 0)])

# listener_text renders a listener for a message ("HTTP:80").
listener_text(l) := sprintf("%s:%d", [l.protocol, object.get(l, "port", 0)])
