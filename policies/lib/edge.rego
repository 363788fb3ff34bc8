# METADATA
# title: Edge and firewall helpers
# description: >-
#   Which load balancers, target groups and firewalls form the customer's public edge in
#   front of Kong Gateway, which firewalls face the gateway, what counts as a Kong hostname,
#   and the small firewall-rule helpers the firewall rules share.
package dcgw.lib.edge

import data.dcgw.lib.netaddr
import data.dcgw.lib.topology

# ---------------------------------------------------------------------------
# Indexes
# ---------------------------------------------------------------------------

target_groups_by_id := {tg.id: tg | some tg in input.target_groups}

firewalls_by_id := {fw.id: fw | some fw in input.firewalls}

prefix_lists_by_id := {pl.id: pl | some pl in input.prefix_lists}

# ip_of strips a host prefix (/32, /128) so an address and its host CIDR compare equal.
ip_of(s) := trim_suffix(trim_suffix(s, "/32"), "/128")

# dp_ip_set holds every DCGW data plane IP, bare (without /32).
dp_ip_set := {ip_of(ip) | some ip in topology.dp_ips}

# Indexes that rules look up by key are complete objects built in one pass: a partial
# rule (`x[k] contains v if ...`) looked up with a bound key is re-evaluated on every
# lookup, which makes the lookups quadratic in the estate. Grouping is done from a set
# of [key, value] pairs with an inner comprehension keyed by equality on the outer key,
# which OPA indexes (one pass over the pairs, not one per key).

# dp_ips_by_network maps a Konnect network id to its data plane IPs, bare.
dp_ips_by_network := {n.id: {ip_of(ip) | some ip in n.data_plane_ips} | some n in input.konnect.networks}

# _dp_ip_networks are the [bare data plane IP, Konnect network id] pairs.
_dp_ip_networks := {[ip_of(ip), n.id] |
	some n in input.konnect.networks
	some ip in n.data_plane_ips
}

# dp_networks_of[ip] are the Konnect networks that hold a data plane IP (two networks
# with the same CIDR in different regions may reuse an address).
dp_networks_of := {ip: nids |
	some [ip, _] in _dp_ip_networks
	nids := {nid | some [ip2, nid] in _dp_ip_networks; ip2 == ip}
}

# ---------------------------------------------------------------------------
# Load balancers and target groups of the edge
# ---------------------------------------------------------------------------

# _lb_target_groups are the [load balancer id, target group id] pairs, from the load
# balancer's own list, its listeners' default actions, and the groups' back references.
_lb_target_groups contains [lb.id, tg_id] if {
	some lb in input.load_balancers
	some tg_id in lb.target_group_ids
}

_lb_target_groups contains [lb.id, tg_id] if {
	some lb in input.load_balancers
	some listener in lb.listeners
	some tg_id in listener.default_action.target_group_ids
}

_lb_target_groups contains [lb_id, tg.id] if {
	some tg in input.target_groups
	some lb_id in tg.load_balancer_ids
}

# target_groups_of_lb[lb_id] is the set of target group ids behind a load balancer.
target_groups_of_lb := {lb_id: tg_ids |
	some [lb_id, _] in _lb_target_groups
	tg_ids := {tg_id | some [lb2, tg_id] in _lb_target_groups; lb2 == lb_id}
}

# dp_target_groups are the target groups with at least one DCGW data plane IP among
# their targets.
dp_target_groups contains tg.id if {
	some tg in input.target_groups
	some t in tg.targets
	ip_of(t.id) in dp_ip_set
}

_configured_edge := {id | some id in data.config.edge_load_balancers}

# edge_load_balancers are the load balancers that front the gateway: the configured
# list when it is not empty, else every internet-facing load balancer with a DCGW data
# plane IP among the targets of one of its target groups.
edge_load_balancers := _configured_edge if {
	count(_configured_edge) > 0
} else := {lb.id |
	some lb in input.load_balancers
	lb.scheme == "internet-facing"
	some tg_id in target_groups_of_lb[lb.id]
	tg_id in dp_target_groups
}

# edge_target_groups are the target groups behind the edge load balancers.
edge_target_groups contains tg_id if {
	some lb_id in edge_load_balancers
	some tg_id in target_groups_of_lb[lb_id]
}

# _firewall_lb_pairs are the [firewall id, load balancer id] pairs of a firewall that
# applies to a load balancer, from either side.
_firewall_lb_pairs contains [fw_id, lb.id] if {
	some lb in input.load_balancers
	some fw_id in lb.firewall_ids
}

_firewall_lb_pairs contains [fw.id, a.id] if {
	some fw in input.firewalls
	some a in fw.attached_to
	a.kind == "load-balancer"
}

# firewall_lbs[fw_id] is the set of load balancers a firewall applies to.
firewall_lbs := {fw_id: lb_ids |
	some [fw_id, _] in _firewall_lb_pairs
	lb_ids := {lb_id | some [fw2, lb_id] in _firewall_lb_pairs; fw2 == fw_id}
}

# edge_firewalls are the firewalls attached to an edge load balancer.
edge_firewalls contains fw_id if {
	some [fw_id, lb_id] in _firewall_lb_pairs
	lb_id in edge_load_balancers
}

# edge_only_firewalls apply to edge load balancers and nothing else: an internet-facing
# edge accepts the internet by design, so their ingress is not a gateway exposure.
edge_only_firewalls contains fw_id if {
	some fw_id in edge_firewalls
	every lb_id in firewall_lbs[fw_id] {
		lb_id in edge_load_balancers
	}
	every a in object.get(firewalls_by_id, [fw_id, "attached_to"], []) {
		a.kind == "load-balancer"
		a.id in edge_load_balancers
	}
}

_resource_gateway_firewalls contains fw_id if {
	some rg in input.resource_gateways
	some fw_id in rg.firewall_ids
}

_resource_gateway_firewalls contains fw.id if {
	some fw in input.firewalls
	some a in fw.attached_to
	a.kind == "resource-gateway"
}

_subnet_networks := {s.id: s.network_id | some s in input.subnets}

# _firewall_network_pairs are the [firewall id, network id] pairs of the networks a
# firewall guards: its own network_id, the networks of the subnets it is attached to
# (attached_to, or the subnet's firewall_ids: an Azure NSG has no network of its own),
# and networks it is attached to directly.
_firewall_network_pairs contains [fw.id, fw.network_id] if {
	some fw in input.firewalls
	object.get(fw, "network_id", "") != ""
}

_firewall_network_pairs contains [fw.id, nid] if {
	some fw in input.firewalls
	some a in fw.attached_to
	a.kind == "subnet"
	nid := _subnet_networks[a.id]
}

_firewall_network_pairs contains [fw.id, a.id] if {
	some fw in input.firewalls
	some a in fw.attached_to
	a.kind == "network"
}

_firewall_network_pairs contains [fw_id, s.network_id] if {
	some s in input.subnets
	some fw_id in s.firewall_ids
}

# firewall_networks[fw_id] are the networks a firewall guards.
firewall_networks := {fw_id: nids |
	some [fw_id, _] in _firewall_network_pairs
	nids := {nid | some [fw2, nid] in _firewall_network_pairs; fw2 == fw_id}
}

# _connected_network_firewalls are the firewalls that guard a network connected to
# Kong: the pairs of _firewall_network_pairs, tested where they are found (no pair set).
_connected_network_firewalls contains fw.id if {
	some fw in input.firewalls
	object.get(fw, "network_id", "") in topology.connected_networks
}

_connected_network_firewalls contains fw.id if {
	some fw in input.firewalls
	some a in fw.attached_to
	a.kind == "subnet"
	a.id in _connected_subnets
}

# _connected_subnets are the subnets of the networks connected to Kong (a set of those,
# not an index of every subnet's network: an estate has many more subnets).
_connected_subnets := {s.id | some s in input.subnets; s.network_id in topology.connected_networks}

_connected_network_firewalls contains fw.id if {
	some fw in input.firewalls
	some a in fw.attached_to
	a.kind == "network"
	a.id in topology.connected_networks
}

_connected_network_firewalls contains fw_id if {
	some s in input.subnets
	s.network_id in topology.connected_networks
	some fw_id in s.firewall_ids
}

# gateway_facing_firewalls protect upstreams or face the gateway: firewalls in a network
# connected to a Konnect network, or attached to a resource gateway, except those that
# only guard edge load balancers.
gateway_facing_firewalls := (_connected_network_firewalls | _resource_gateway_firewalls) - edge_only_firewalls

# ---------------------------------------------------------------------------
# Hostnames
# ---------------------------------------------------------------------------

# norm_host lower-cases a hostname and drops the trailing dot.
norm_host(name) := trim_suffix(lower(name), ".")

_network_hostnames := {norm_host(h) |
	some n in input.konnect.networks
	some h in n.hostnames
}

_kong_suffixes := {concat("", [".", norm_host(d)]) | some d in data.config.kong_domains}

# acme_name is true for ACME challenge names (and Kong's ACME delegation zone): custom
# domains point them at Kong for certificate issuance, not for gateway traffic.
acme_name(name) if "_acme-challenge" in split(norm_host(name), ".")

acme_name(name) if {
	n := norm_host(name)
	some suffix in _kong_suffixes
	endswith(n, concat("", [".acme", suffix]))
}

# kong_hostname is true when name is one of the Konnect networks' own hostnames or lies
# under one of the configured Kong Gateway domains (case-insensitive, trailing dot
# ignored). ACME challenge names are not gateway traffic.
kong_hostname(name) if {
	not acme_name(name)
	norm_host(name) in _network_hostnames
}

kong_hostname(name) if {
	not acme_name(name)
	n := norm_host(name)
	some suffix in _kong_suffixes
	endswith(n, suffix)
}

# ---------------------------------------------------------------------------
# Firewall rules
# ---------------------------------------------------------------------------

# all_protocols holds the spellings of "every protocol".
all_protocols := {"all", "-1", "*", "any"}

_port_protocols := {"tcp", "udp", "sctp", "6", "17", "132"}

# active_allow is true for an allow rule in the given direction that is not disabled.
active_allow(rule, direction) if {
	rule.direction == direction
	rule.action == "allow"
	not rule.disabled
}

# rule_ports is the rule's port ranges, with a port-carrying protocol (or every protocol)
# and no ranges read as every port.
rule_ports(rule) := rule.ports if {
	count(object.get(rule, "ports", [])) > 0
} else := [{"from": 0, "to": 65535}] if {
	lower(rule.protocol) in (all_protocols | _port_protocols)
} else := []

# all_ports is true when the rule covers every protocol or every port (0-65535 or 1-65535).
all_ports(rule) if lower(rule.protocol) in all_protocols

all_ports(rule) if {
	some p in rule_ports(rule)
	p.from <= 1
	p.to >= 65535
}

_addr_text(a) := concat(":", [a.kind, object.get(a, "value", "")])

_ports_text(rule) := concat(",", [sprintf("%d-%d", [p.from, p.to]) | some p in object.get(rule, "ports", [])])

# rule_key is a stable key for a firewall rule: its id, or when it has none a
# description of what it matches (direction|action|protocol|ports|sources|destinations|targets).
rule_key(rule) := rule.id if {
	object.get(rule, "id", "") != ""
} else := concat("|", [
	rule.direction,
	rule.action,
	lower(rule.protocol),
	_ports_text(rule),
	concat(",", sort([_addr_text(a) | some a in object.get(rule, "sources", [])])),
	concat(",", sort([_addr_text(a) | some a in object.get(rule, "destinations", [])])),
	concat(",", sort([_addr_text(a) | some a in object.get(rule, "targets", [])])),
])

_open_values := {"0.0.0.0/0", "::/0", "*", "any", "internet", "0.0.0.0"}

# open_address is true when a rule peer stands for the whole internet: 0.0.0.0/0 or ::/0
# (any /0), kind any, the Internet/*/Any service tag, or a prefix list holding 0.0.0.0/0
# or ::/0. It runs for every peer of every firewall rule, so it is one else chain
# dispatching on the kind (several bodies would all be evaluated) and a snapshot CIDR
# (validated by the loader) is open exactly when it ends in /0.
open_address(a) if {
	a.kind == "any"
} else if {
	a.kind == "cidr"
	_open_cidr(a.value)
} else if {
	a.kind == "service-tag"
	lower(a.value) in _open_values
} else if {
	a.kind == "prefix-list"
	a.value in _open_prefix_lists
}

_open_cidr(v) if {
	endswith(v, "/0")
} else if {
	v in _open_values
}

# _open_prefix_lists are the ids of the prefix lists holding 0.0.0.0/0 or ::/0 (computed
# once, not per firewall rule peer).
_open_prefix_lists contains pl.id if {
	some pl in input.prefix_lists
	some c in pl.cidrs
	netaddr.is_open(c)
}

# address_cidrs is the set of CIDRs an address stands for: its own CIDR, or the entries
# of the prefix list it names. Other kinds (groups, tags, service accounts) have none.
address_cidrs(a) := {a.value} if {
	a.kind == "cidr"
} else := {c | some c in prefix_lists_by_id[a.value].cidrs} if {
	a.kind == "prefix-list"
} else := set()

# resolvable holds for an address whose CIDRs address_cidrs knows: a CIDR, or a prefix
# list the snapshot holds.
resolvable(a) if a.kind == "cidr"

resolvable(a) if {
	a.kind == "prefix-list"
	prefix_lists_by_id[a.value]
}

# ---------------------------------------------------------------------------
# Shadowing by a higher-priority deny
# ---------------------------------------------------------------------------

# Where the provider orders rules (NSG, NACL, GCP), an allow rule is shadowed when a deny
# rule of the same firewall and direction that wins over it matches at least the same
# sources, destinations, targets, protocols and ports. Security groups have no deny rules.

_ordered_kinds := {"azure-nsg", "aws-network-acl", "gcp-firewall"}

_deny_wins(_, deny_rule, allow_rule) if deny_rule.priority < allow_rule.priority

# On GCP a deny beats an allow of equal priority.
_deny_wins(fw, deny_rule, allow_rule) if {
	fw.kind == "gcp-firewall"
	deny_rule.priority == allow_rule.priority
}

_protocol_covers(d, _) if lower(d.protocol) in all_protocols

_protocol_covers(d, a) if lower(d.protocol) == lower(a.protocol)

_ports_cover(d, a) if {
	every p in rule_ports(a) {
		some q in rule_ports(d)
		q.from <= p.from
		q.to >= p.to
	}
}

# _peers_cover: the deny's peer list matches everything the allow's does. An empty list
# means the attached resources themselves; a list with an open peer matches everything.
_peers_cover(dl, _) if {
	some x in dl
	open_address(x)
}

_peers_cover(dl, al) if {
	count(dl) == 0
	count(al) == 0
}

_peers_cover(dl, al) if {
	count(al) > 0
	every x in al {
		_peer_covered(dl, x)
	}
}

_peer_covered(dl, x) if {
	some y in dl
	y.kind == x.kind
	object.get(y, "value", "") == object.get(x, "value", "")
}

_peer_covered(dl, x) if {
	cidrs := address_cidrs(x)
	count(cidrs) > 0
	every c in cidrs {
		some y in dl
		some yc in address_cidrs(y)
		netaddr.within(c, yc)
	}
}

# GCP targets: an empty list applies to every instance of the network.
_targets_cover(d, _) if count(object.get(d, "targets", [])) == 0

_targets_cover(d, a) if {
	count(object.get(a, "targets", [])) > 0
	every x in a.targets {
		_peer_covered(d.targets, x)
	}
}

# shadowed is true when an allow rule of firewall fw never takes effect because a
# higher-priority deny covers it entirely.
shadowed(fw, rule) if {
	fw.kind in _ordered_kinds
	some d in fw.rules
	d.action == "deny"
	not d.disabled
	d.direction == rule.direction
	_deny_wins(fw, d, rule)
	_protocol_covers(d, rule)
	_ports_cover(d, rule)
	_peers_cover(object.get(d, "sources", []), object.get(rule, "sources", []))
	_peers_cover(object.get(d, "destinations", []), object.get(rule, "destinations", []))
	_targets_cover(d, rule)
}

# ---------------------------------------------------------------------------
# Text for messages
# ---------------------------------------------------------------------------

# address_text renders a rule peer for a message: its value, or its kind when it has none.
address_text(a) := a.value if {
	object.get(a, "value", "") != ""
} else := a.kind

# traffic_text renders a rule's protocol and ports for a message ("tcp 443", "all traffic").
traffic_text(rule) := "all traffic" if {
	lower(rule.protocol) in all_protocols
} else := lower(rule.protocol) if {
	count(object.get(rule, "ports", [])) == 0
} else := concat(" ", [lower(rule.protocol), concat(",", [_range_text(p) | some p in rule.ports])])

_range_text(p) := sprintf("%d", [p.from]) if p.from == p.to

_range_text(p) := sprintf("%d-%d", [p.from, p.to]) if p.from != p.to

# ---------------------------------------------------------------------------
# Stateless return traffic
# ---------------------------------------------------------------------------

_return_protocols := {"tcp", "udp", "6", "17"}

# return_traffic is true for an ingress allow of a stateless firewall (network ACL) that
# only opens the ephemeral ports (1024-65535): network ACLs must let replies to the
# subnet's own outbound connections back in, so such a rule is not an exposure by itself.
return_traffic(fw, rule) if {
	fw.kind == "aws-network-acl"
	lower(rule.protocol) in _return_protocols
	count(object.get(rule, "ports", [])) > 0
	every p in rule.ports {
		p.from >= 1024
	}
}

# display_name renders an entity for a message: "name (id)", or the id alone.
display_name(x) := sprintf("%s (%s)", [x.name, x.id]) if {
	object.get(x, "name", "") != ""
} else := x.id
