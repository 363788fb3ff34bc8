# METADATA
# title: Konnect resource configuration exposes more ports or protocols than the service needs
# description: >-
#   Clients of a VPC Lattice resource configuration can reach every port of its port
#   ranges, whatever the security groups say about the service itself. When
#   endpoint_allowed_ports has an entry for the configuration (keyed by its id or ARN,
#   its name, or the domain name Konnect maps to it; a child falls back to its group's
#   entry), every port range outside those ports is reported. Without an entry the rule
#   fails closed on ranges: any range of more than one port (1-65535, 8000-8100) is
#   reported, single ports are accepted. A port range that cannot be read and a protocol
#   other than TCP (the only one Lattice defines) are reported too.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-configuration.html
#   - ref: https://developer.konghq.com/dedicated-cloud-gateways/aws-resource-endpoints/
# custom:
#   id: DCGW-EP-003
#   severity: medium
#   connectivity: [private-endpoint]
#   providers: [aws]
#   inputs: [konnect.networks, private_endpoints, shares]
#   remediation: >-
#     Set the resource configuration's port ranges to the ports the service listens on
#     (for example `443`), or, when a range is intended, list it for that configuration in
#     `endpoint_allowed_ports` (for example `endpoint_allowed_ports: {rcfg-0123: ["8000-8100"]}`).
package dcgw.endpoint.wide_ports

import data.dcgw.lib.endpoint

_port_config := c if {
	c := object.get(data.config, "endpoint_allowed_ports", {})
	is_object(c)
} else := {}

# _entry_keys are the keys under which endpoint_allowed_ports may list a configuration.
_entry_keys(pe) := (({pe.id, endpoint.short_id(pe.id)} | {n | n := object.get(pe, "name", ""); n != ""}) | object.get(endpoint.domains_of_endpoint, pe.id, set())) - {""}

_own_entry(pe) := {r |
	some k in _entry_keys(pe)
	some r in object.get(_port_config, k, [])
}

_has_own_entry(pe) if {
	some k in _entry_keys(pe)
	_port_config[k]
}

_group_entry(pe) := {r |
	some g in object.get(endpoint.parents_of, pe.id, set())
	some r in _own_entry(endpoint.endpoints_by_id[g])
}

_has_group_entry(pe) if {
	some g in object.get(endpoint.parents_of, pe.id, set())
	_has_own_entry(endpoint.endpoints_by_id[g])
}

# _allowed(pe) are the configured port range strings for pe; undefined without an entry.
_allowed(pe) := _own_entry(pe) if _has_own_entry(pe)

else := _group_entry(pe) if _has_group_entry(pe)

deny contains f if {
	some id in endpoint.kong_endpoints
	pe := endpoint.endpoints_by_id[id]
	some item in endpoint.port_items(object.get(pe, "port_ranges", []))
	problem := _problem(pe, item)
	f := {
		"resource": pe.id,
		"key": concat(":", ["ports", item]),
		"msg": sprintf("Resource configuration %s, used by Konnect, %s.", [endpoint.display_name(pe), problem]),
		"evidence": {
			"port_range": item,
			"port_ranges": object.get(pe, "port_ranges", []),
			"allowed_ports": _allowed_text(pe),
			"konnect_domains": sort(object.get(endpoint.domains_of_endpoint, id, set())),
		},
	}
}

deny contains f if {
	some id in endpoint.kong_endpoints
	pe := endpoint.endpoints_by_id[id]
	protocol := object.get(pe, "protocol", "")
	protocol != ""
	upper(protocol) != "TCP"
	f := {
		"resource": pe.id,
		"key": "protocol",
		"msg": sprintf("Resource configuration %s, used by Konnect, uses protocol %s; resource configurations for Konnect should expose TCP only.", [endpoint.display_name(pe), protocol]),
		"evidence": {"protocol": protocol},
	}
}

# _problem says what is wrong with one port range item, or is undefined.
_problem(pe, item) := sprintf("has a port range %q that is not a port or a port range (1-65535); fix it or review it", [item]) if {
	not _valid(item)
} else := sprintf("exposes ports %s, beyond the ports allowed for it in endpoint_allowed_ports (%s); narrow its port ranges", [item, concat(", ", sort(_allowed(pe)))]) if {
	allowed := {p | some a in _allowed(pe); p := endpoint.parse_range(a)}
	not endpoint.within_any(endpoint.parse_range(item), allowed)
} else := sprintf("exposes the port range %s (%d ports); set its port ranges to the ports the service listens on, or allow the range in endpoint_allowed_ports", [item, _span(item)]) if {
	not _allowed(pe)
	p := endpoint.parse_range(item)
	p.from != p.to
}

_valid(item) if endpoint.valid_range(endpoint.parse_range(item))

_span(item) := (p.to - p.from) + 1 if p := endpoint.parse_range(item)

_allowed_text(pe) := sort(a) if {
	a := _allowed(pe)
} else := null
