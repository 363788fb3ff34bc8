# METADATA
# title: Live DNS resolution reaches Kong Gateway directly
# description: >-
#   A public hostname, resolved live, either passes through a Kong Gateway hostname in its
#   CNAME chain or answers with DCGW data plane IPs: clients reach the gateway without the
#   customer's edge in between. This catches what the zone records alone cannot show
#   (records in other providers, delegated zones, third-party CNAME chains).
# related_resources:
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/private-network/
# custom:
#   id: DCGW-DNS-002
#   severity: high
#   connectivity: [edge]
#   providers: [aws, azure, gcp, konnect]
#   inputs: [konnect.networks, dns_resolutions]
#   remediation: >-
#     Find the record in the chain that names the Kong hostname (or holds the data plane IPs)
#     and point it at your edge (CDN, WAF or internet-facing load balancer) instead; the edge
#     forwards to the DCGW data plane private IPs on the gateway port.
package dcgw.dns.resolution_reaches_gateway

import data.dcgw.lib.edge

deny contains f if {
	some res in input.dns_resolutions
	not edge.acme_name(res.hostname)

	# A resolution of Kong's own hostname is not a customer name pointing at Kong.
	not edge.kong_hostname(res.hostname)
	chain := [edge.norm_host(h) | some h in object.get(res, "chain", [])]
	kong_hops := [h | some h in chain; edge.kong_hostname(h)]
	dp_addresses := sort({a | some a in object.get(res, "addresses", []); edge.ip_of(a) in edge.dp_ip_set})
	count(kong_hops) + count(dp_addresses) > 0
	first := _first(kong_hops)
	f := {
		"resource": res.id,
		"msg": _msg(res.hostname, first, dp_addresses),
		"evidence": {
			"hostname": res.hostname,
			"chain": chain,
			"first_kong_hop": first,
			"data_plane_addresses": dp_addresses,
			"addresses": object.get(res, "addresses", []),
			"rcode": object.get(res, "rcode", ""),
			"resolver": object.get(res, "resolver", ""),
		},
	}
}

_first(hops) := hops[0] if count(hops) > 0

_first(hops) := "" if count(hops) == 0

_msg(host, first, _) := sprintf("%s resolves through the Kong Gateway hostname %s; clients reach the gateway without your edge in between.", [host, first]) if first != ""

_msg(host, "", addrs) := sprintf("%s resolves to the DCGW data plane IPs %s; clients reach the gateway without your edge in between.", [host, concat(", ", addrs)])
