# METADATA
# description: >-
#   Route lookups on customer route tables: route destinations (prefix lists
#   expanded), longest-prefix match per address family, and whether a route sends
#   traffic to Kong (a peering with Kong or a hub carrying a Kong attachment).
#   Reads prefix_lists besides what dcgw.lib.topology reads.
package dcgw.lib.routes

import data.dcgw.lib.netaddr
import data.dcgw.lib.topology

prefix_lists_by_id := {p.id: p | some p in input.prefix_lists}

route_tables_by_id := {t.id: t | some t in input.route_tables}

# The helpers below run once per route of every table checked, so multi-way choices
# are else chains (evaluated until one holds) rather than several bodies (all evaluated),
# and values that do not depend on the element are computed once.

# destinations is the set of CIDRs a route matches: its destination, or the entries
# of its prefix list.
destinations(r) := {r.destination} if {
	object.get(r, "destination", "") != ""
} else := {c | some c in prefix_lists_by_id[r.prefix_list_id].cidrs} if {
	object.get(r, "prefix_list_id", "") != ""
}

# is_blackhole holds for a route whose target is gone.
is_blackhole(r) if object.get(r, "state", "") == "blackhole"

# is_drop holds for a route that drops on purpose (target kind none).
is_drop(r) if r.target_kind == "none"

# targets_kong holds for an active route over a peering with Kong or to a hub that
# carries a Kong attachment.
targets_kong(r) if {
	r.target_kind == "peering"
	not is_blackhole(r)
	r.target_id in topology.kong_peering_targets
}

targets_kong(r) if {
	r.target_kind == "hub"
	not is_blackhole(r)
	r.target_id in topology.kong_hubs
}

# Among routes of equal prefix length (and priority): static routes win over
# prefix-list routes (AWS), which win over propagated (BGP) routes, which win over
# system routes (Azure: user-defined > BGP > system).
_origin_rank(c) := 3 if {
	c.route.origin == "system"
} else := 2 if {
	c.route.origin == "propagated"
} else := 1 if {
	object.get(c.route, "prefix_list_id", "") != ""
} else := 0

# entries are the {route, destination} of every route of a table and each of its
# destinations (destinations(r) inlined: this runs once per route of every table checked).
entries(routes) := array.concat(
	[{"route": r, "destination": d} |
		some r in routes
		d := object.get(r, "destination", "")
		d != ""
	],
	[{"route": r, "destination": c} |
		some r in routes
		object.get(r, "destination", "") == ""
		some c in prefix_lists_by_id[r.prefix_list_id].cidrs
	],
)

# covering is the set of {route, destination} of the routes whose destination contains
# cidr (same address family), found with one containment test over the whole table.
covering(routes, cidr) := {es[i] |
	es := entries(routes)
	some i in netaddr.containing([e.destination | some e in es], cidr)
}

# best_routes are the covering routes that win the lookup for cidr: longest prefix,
# then lowest priority, then static before prefix-list before propagated before system. Usually one;
# empty when no route covers cidr.
best_routes(routes, cidr) := _best(covering(routes, cidr))

# _best are the winners among the covering routes cands (each tie-break's minimum or
# maximum computed once, not once per candidate).
_best(cands) := set() if count(cands) == 0

_best(cands) := {c | some c in by_prio; _origin_rank(c) == best_rank} if {
	count(cands) > 0
	longest_len := max({netaddr.prefix_len(x.destination) | some x in cands})
	longest := {c | some c in cands; netaddr.prefix_len(c.destination) == longest_len}
	best_prio := min({object.get(x.route, "priority", 0) | some x in longest})
	by_prio := {c | some c in longest; object.get(c.route, "priority", 0) == best_prio}
	best_rank := min({_origin_rank(x) | some x in by_prio})
}

# kong_parts are the destinations strictly inside cidr of active routes to Kong that
# win the lookup for their own destination.
kong_parts(routes, cidr) := [d |
	some r in routes
	targets_kong(r)
	some d in destinations(r)
	netaddr.within(d, cidr)
	netaddr.prefix_len(d) > netaddr.prefix_len(cidr)
	some c in best_routes(routes, d)
	targets_kong(c.route)
]

# covered_by_parts holds when more specific routes to Kong together cover cidr.
covered_by_parts(routes, cidr) if {
	some m in netaddr.merge(kong_parts(routes, cidr))
	netaddr.within(cidr, m)
}

# return_path is how a route table sends traffic to cidr: verdict is
#   ok        the best route goes to Kong (or more specific routes to Kong cover cidr)
#   blackhole the best route's target is gone (state blackhole)
#   drop      the best route drops on purpose (target kind none)
#   elsewhere the best route goes somewhere other than Kong
#   missing   no route covers cidr
# and best is the sorted list of the winning routes.
return_path(routes, cidr) := {"verdict": _verdict(best, routes, cidr), "best": sort([c | some c in best])} if {
	best := best_routes(routes, cidr)
}

_verdict(best, routes, cidr) := "ok" if {
	some c in best
	targets_kong(c.route)
} else := "ok" if {
	covered_by_parts(routes, cidr)
} else := "blackhole" if {
	some c in best
	is_blackhole(c.route)
} else := "drop" if {
	some c in best
	is_drop(c.route)
} else := "missing" if {
	count(best) == 0
} else := "elsewhere"

# Route tables of the upstream subnets.

subnets_by_id := {s.id: s | some s in input.subnets}

_explicit := {[sid, t.id] | some t in input.route_tables; some sid in t.subnet_ids}

_explicit_tables := {sid: tids |
	some sid in {pair[0] | some pair in _explicit}
	tids := {pair[1] | some pair in _explicit; pair[0] == sid}
}

_mains := {[t.network_id, t.id] | some t in input.route_tables; t.main}

_main_tables := {nid: tids |
	some nid in {pair[0] | some pair in _mains}
	tids := {pair[1] | some pair in _mains; pair[0] == nid}
}

# subnet_route_table is the route table a subnet uses: its route_table_id, else a table
# that lists it, else its network's main table.
subnet_route_table(s) := s.route_table_id if {
	object.get(s, "route_table_id", "") != ""
} else := min(_explicit_tables[s.id]) if {
	count(object.get(_explicit_tables, s.id, set())) > 0
} else := min(_main_tables[s.network_id]) if {
	count(object.get(_main_tables, s.network_id, set())) > 0
}

# upstream_tables is the set of {route_table_id, konnect_network_id, subnet_id}: the
# route table of an upstream subnet must route that Konnect network's CIDR to Kong. A
# configured upstream subnet whose network is not connected to Kong is held to every
# Konnect network.
upstream_tables contains {"route_table_id": tid, "konnect_network_id": kn, "subnet_id": s.id} if {
	some s in input.subnets
	s.id in topology.upstream_subnets # a set test per subnet: cheaper than indexing every subnet by id
	tid := subnet_route_table(s)
	some kn in _konnect_networks_for(s.network_id)
}

_konnect_networks_for(nid) := kns if {
	kns := topology.konnect_networks_of[nid]
} else := _all_konnect_networks

_all_konnect_networks := object.keys(topology.konnect_networks_by_id)

# upstream_checks are the {route_table_id, konnect_network_id, subnet_ids} to check,
# one per route table and Konnect network.
upstream_checks contains {"route_table_id": key[0], "konnect_network_id": key[1], "subnet_ids": sort(sids)} if {
	some key, sids in _upstream_subnets_by_check
}

_upstream_subnets_by_check := {[tid, kn]: sids |
	some [tid, kn] in {[u.route_table_id, u.konnect_network_id] | some u in upstream_tables}
	sids := {u.subnet_id | some u in upstream_tables; u.route_table_id == tid; u.konnect_network_id == kn}
}
