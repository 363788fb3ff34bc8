# METADATA
# title: Public DNS record points directly at Kong Gateway
# description: >-
#   A record in a public zone sends clients straight to Kong Gateway (a CNAME or alias to a
#   Kong hostname, or A/AAAA answers that are DCGW data plane IPs) instead of to the
#   customer's own edge (CDN, WAF or load balancer). Traffic then bypasses the edge's TLS,
#   WAF and rate limits. Every member of a weighted, latency or failover set is checked on
#   its own; ACME challenge names, which custom domains point at Kong by design, are skipped.
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/reference/
# custom:
#   id: DCGW-DNS-001
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp]
#   inputs: [konnect.networks, dns_zones, dns_records]
#   remediation: >-
#     Point the public name at your edge instead: a CNAME or alias to your CDN, WAF or
#     internet-facing load balancer, which forwards to the DCGW data plane private IPs on the
#     gateway port. Remove A/AAAA records holding the data plane IPs and CNAMEs to
#     `*.gateways.konggateway.com` from public zones (keep `_acme-challenge` CNAMEs).
package dcgw.dns.record_points_at_gateway

import data.dcgw.lib.edge

_public_zones := {z.id: z | some z in input.dns_zones; not z.private}

_address_types := {"A", "AAAA"}

# _hits(r) are the values of record r that lead straight to Kong Gateway.
_hits(r) := ({h |
	some v in object.get(r, "values", [])
	upper(r.type) == "CNAME"
	edge.kong_hostname(v)
	h := {"kind": "cname", "value": edge.norm_host(v)}
} | {h |
	v := r.alias.dns_name
	edge.kong_hostname(v)
	h := {"kind": "alias", "value": edge.norm_host(v)}
}) | {h |
	some v in object.get(r, "values", [])
	upper(r.type) in _address_types
	edge.ip_of(v) in edge.dp_ip_set
	h := {"kind": "address", "value": v}
}

deny contains f if {
	some r in input.dns_records
	zone := _public_zones[r.zone_id]
	not edge.acme_name(r.fqdn)
	hits := _hits(r)
	count(hits) > 0
	set_id := object.get(r, "set_identifier", "")
	targets := sort([h.value | some h in hits])
	f := {
		"resource": r.id,
		"key": concat("|", [r.fqdn, set_id]),
		"msg": sprintf("Public %s record %s%s in zone %s points directly at Kong Gateway (%s); point it at your edge instead.", [
			upper(r.type),
			r.fqdn,
			_set_text(set_id),
			zone.dns_name,
			concat(", ", targets),
		]),
		"evidence": {
			"zone_id": r.zone_id,
			"zone": zone.dns_name,
			"fqdn": r.fqdn,
			"type": r.type,
			"set_identifier": set_id,
			"routing_policy": object.get(r, "routing_policy", ""),
			"targets": sort([h | some h in hits]),
		},
	}
}

_set_text(set_id) := "" if set_id == ""

_set_text(set_id) := sprintf(" (set %s)", [set_id]) if set_id != ""
