# METADATA
# title: Konnect resource configuration points at an IP address that is not private
# description: >-
#   An IP resource definition of a VPC Lattice resource configuration that Konnect uses
#   should be a private address: IPv4 in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or
#   100.64.0.0/10 (the ranges Lattice accepts), IPv6 in the unique local range fc00::/7.
#   A publicly routable address takes Kong's upstream traffic out of the private path
#   (IPv6 addresses from the VPC's own globally routable range included: they are
#   reachable from the internet wherever a route and a security group allow it). A value
#   that is not an IP address at all is reported for review.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-configuration.html
#   - ref: https://datatracker.ietf.org/doc/html/rfc1918
#   - ref: https://datatracker.ietf.org/doc/html/rfc4193
# custom:
#   id: DCGW-EP-004
#   severity: high
#   connectivity: [private-endpoint]
#   providers: [aws]
#   inputs: [konnect.networks, private_endpoints, shares]
#   remediation: >-
#     Point the resource configuration at the service's private address (or at an internal
#     Network Load Balancer in front of it) instead of a public one; use a DNS resource
#     definition resolving to private addresses when the address changes.
package dcgw.endpoint.public_ip_resource

import data.dcgw.lib.endpoint
import data.dcgw.lib.netaddr

_private_v4 := ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]

_private_v6 := ["fc00::/7"]

deny contains f if {
	some id in endpoint.kong_endpoints
	pe := endpoint.endpoints_by_id[id]
	pe.definition.kind == "ip"
	value := pe.definition.value
	problem := _problem(value)
	f := {
		"resource": pe.id,
		"msg": sprintf("Resource configuration %s, used by Konnect, %s; point it at a private address.", [endpoint.display_name(pe), problem]),
		"evidence": {
			"definition": pe.definition,
			"private_ranges": array.concat(_private_v4, _private_v6),
		},
	}
}

_problem(value) := sprintf("defines the IP resource %q, which is not an IP address", [value]) if {
	not net.cidr_is_valid(netaddr.as_cidr(value))
} else := sprintf("exposes the publicly routable address %s", [value]) if {
	not _private(value)
}

_private(value) if {
	some r in _private_v4
	netaddr.within(value, r)
}

_private(value) if {
	some r in _private_v6
	netaddr.within(value, r)
}
