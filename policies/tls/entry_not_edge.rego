# METADATA
# title: Public hostname does not end at an edge in the customer's accounts
# description: >-
#   In private mode, public traffic must enter through the customer's own edge (CDN, WAF
#   or load balancer). A public entry name (a hostname resolved live, or a Konnect custom
#   domain with DNS data in the snapshot) is followed through its live CNAME chain and the
#   CNAME and alias records of the snapshot's public zones. It is at an edge when one name
#   on that path is the DNS name of an internet-facing load balancer or Front Door of the
#   snapshot (an alias naming its resource id counts), or matches external_edges (names,
#   name suffixes or addresses of edges the snapshot does not describe; the default lists
#   CDN services' domains such as cloudfront.net). It is reported when the path ends at
#   an internal load balancer, or at nothing the snapshot knows. Names that reach Kong Gateway directly (a Kong hostname
#   or a data plane IP on the path) are left to DCGW-DNS-001 and DCGW-DNS-002 (public-mode
#   gateways are reached that way by design); names that do not resolve (NXDOMAIN,
#   SERVFAIL, no data) and ACME challenge names are skipped. A snapshot without any load
#   balancer has no edge to compare with, and the rule reports nothing there. Load
#   balancers carry no addresses in the snapshot, so a name whose A record holds a load
#   balancer's IP (as GCP uses) matches only through external_edges.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
# custom:
#   id: DCGW-TLS-001
#   severity: medium
#   connectivity: [edge]
#   providers: [aws, azure, gcp, konnect]
#   inputs: [konnect.networks, konnect.custom_domains, dns_zones, dns_records, dns_resolutions, load_balancers]
#   remediation: >-
#     Point the public name (CNAME or alias) at your internet-facing load balancer, Front
#     Door or CDN that forwards to the DCGW data plane private IPs. If the edge lives in an
#     account or service the scan does not read (a CDN distribution, another cloud), add
#     that account to the scan or list the edge's DNS name in `external_edges`.
package dcgw.tls.entry_not_edge

import data.dcgw.lib.edge
import data.dcgw.lib.tls

_resolution_pairs := {[edge.norm_host(r.hostname), r] | some r in input.dns_resolutions}

# _resolutions[hostname] are the live resolutions of a hostname.
_resolutions := {h: rs |
	some [h, _] in _resolution_pairs
	rs := {r | some [h2, r] in _resolution_pairs; h2 == h}
}

_domain_pairs := {[edge.norm_host(d.domain), d.id] | some d in input.konnect.custom_domains}

# _custom_domains[domain] is the id of the Konnect custom domain (the smallest id when
# several control planes declare the same domain).
_custom_domains := {h: min(ids) |
	some [h, _] in _domain_pairs
	ids := {id | some [h2, id] in _domain_pairs; h2 == h}
}

_public_zones := {z.id | some z in input.dns_zones; not z.private}

_public_records := [r | some r in input.dns_records; r.zone_id in _public_zones]

_address_types := {"A", "AAAA"}

# The public records as [name, kind, value] triples, grouped by name below (one pass
# over the triples, keyed by equality on the name, which OPA indexes).
_record_triples contains [edge.norm_host(r.fqdn), "next", tls.lb_host(v)] if {
	some r in _public_records
	upper(r.type) == "CNAME"
	some v in object.get(r, "values", [])
}

_record_triples contains [edge.norm_host(r.fqdn), "next", tls.lb_host(v)] if {
	some r in _public_records
	v := r.alias.dns_name
	v != ""
}

_record_triples contains [edge.norm_host(r.fqdn), "address", v] if {
	some r in _public_records
	upper(r.type) in _address_types
	some v in object.get(r, "values", [])
}

_record_triples contains [edge.norm_host(r.fqdn), "resource", t] if {
	some r in _public_records
	t := r.alias.target_resource
	t != ""
}

_by_kind(kind) := {n: vs |
	some [n, k, _] in _record_triples
	k == kind
	vs := {v | some [n2, k2, v] in _record_triples; n2 == n; k2 == kind}
}

# _graph links a name to the names its public CNAME and alias records point at.
_graph := _by_kind("next")

# _record_addresses[name] are the A/AAAA values of the name's public records.
_record_addresses := _by_kind("address")

# _alias_resources[name] are the resources the name's alias records name (Azure).
_alias_resources := _by_kind("resource")

# _entries are the public entry names, lower case: hostnames resolved live and custom
# domains, without ACME names and Kong's own hostnames.
_entries := {h |
	some h in ({h | some h, _ in _resolutions} | {h | some h, _ in _custom_domains})
	not edge.acme_name(h)
	not edge.kong_hostname(h)
}

_ok_rcodes := {"", "NOERROR"}

# _path(h) is what the entry name leads to: the names on its way (the name, the live
# chain, and every name the public records reach from those), the final addresses, and
# the alias target resources.
_path(h) := {"names": names, "addresses": addresses, "resources": resources, "resolved": resolved} if {
	rs := object.get(_resolutions, h, set())
	answered := {r | some r in rs; _answered(r)}
	chain := {tls.lb_host(c) | some r in answered; some c in object.get(r, "chain", [])}
	start := {tls.lb_host(h)} | chain

	# graph.reachable returns only names that have records; add the names they point at.
	reached := graph.reachable(_graph, start)
	names := (start | reached) | {t | some n in reached; some t in _graph[n]}
	live := {a | some r in answered; some a in object.get(r, "addresses", [])}
	addresses := live | {a | some n in names; some a in object.get(_record_addresses, n, set())}
	resources := {t | some n in names; some t in object.get(_alias_resources, n, set())}
	resolved := _resolved(rs, answered, h, names, addresses, resources)
}

# _answered holds for a live resolution that gave an answer.
_answered(r) if {
	upper(object.get(r, "rcode", "")) in _ok_rcodes
	object.get(r, "error", "") == ""
	count(object.get(r, "addresses", [])) + count(object.get(r, "chain", [])) > 0
}

# A name resolved live is judged on its answers; without a live resolution, records in
# the snapshot's public zones are the data.
default _resolved(_, _, _, _, _, _) := false

_resolved(_, answered, _, _, _, _) if count(answered) > 0

_resolved(rs, _, h, names, addresses, resources) if {
	count(rs) == 0
	(count(names - {tls.lb_host(h)}) + count(addresses)) + count(resources) > 0
}

_public_lbs := {lb.id | some lb in input.load_balancers; tls.public_lb(lb)}

_internal_lbs := {lb.id |
	some lb in input.load_balancers
	not tls.public_lb(lb)
}

_external := {trim_left(edge.ip_of(edge.norm_host(e)), ".") | some e in data.config.external_edges}

_external_match(name) if name in _external

_external_match(name) if {
	some e in _external
	endswith(name, concat("", [".", e]))
}

# _reaches_kong: the path names a Kong hostname or holds a data plane IP (DNS rules' job).
_reaches_kong(p) if {
	some n in p.names
	edge.kong_hostname(n)
}

_reaches_kong(p) if {
	some a in p.addresses
	edge.ip_of(a) in edge.dp_ip_set
}

# _at_edge: a public load balancer or an external edge is on the path.
_at_edge(p) if {
	some n in p.names
	some id in object.get(tls.lbs_by_host, n, set())
	id in _public_lbs
}

_at_edge(p) if {
	some t in p.resources
	t in _public_lbs
}

_at_edge(p) if {
	some n in p.names
	_external_match(n)
}

_at_edge(p) if {
	some a in p.addresses
	_external_match(edge.ip_of(a))
}

deny contains f if {
	count(input.load_balancers) > 0
	some h in _entries
	p := _path(h)
	p.resolved
	not _reaches_kong(p)
	not _at_edge(p)
	inner := _internal_on_path(p)
	f := {
		"resource": object.get(_custom_domains, h, h),
		"key": h,
		"msg": _msg(h, p, inner),
		"evidence": {
			"hostname": h,
			"custom_domain": h in object.keys(_custom_domains),
			"names": sort(p.names),
			"addresses": sort(p.addresses),
			"alias_resources": sort(p.resources),
			"internal_load_balancers": sort(inner),
		},
	}
}

_internal_on_path(p) := {id |
	some n in p.names
	some id in object.get(tls.lbs_by_host, n, set())
	id in _internal_lbs
} | {t | some t in p.resources; t in _internal_lbs}

_msg(h, p, inner) := sprintf("Public name %s ends at the internal load balancer %s, which is not an internet-facing edge; point it at your internet-facing edge (CDN, WAF or load balancer) in front of the gateway.", [h, concat(", ", sort(inner))]) if {
	count(inner) > 0
} else := sprintf("Public name %s ends at %s, which is not an internet-facing load balancer, Front Door or listed edge of the scanned accounts; point it at your edge in front of the gateway, or list that edge in external_edges.", [h, _end_text(h, p)])

_end_text(h, p) := concat(", ", sort(p.names - {h})) if {
	count(p.names - {h}) > 0
} else := concat(", ", sort(p.addresses)) if {
	count(p.addresses) > 0
} else := "nothing the snapshot knows"
