# METADATA
# description: >-
#   What is connected to Kong: the Konnect networks and their attachments, the
#   customer networks peered with them, the hub attachments and route tables that
#   are Kong's, and what Kong's hub route tables reach. Every set is computed from
#   input once and joined through objects keyed by id (linear in the estate).
#   Reads konnect.networks, networks, subnets, peerings, hub_attachments and
#   hub_route_tables: list those in the inputs of a rule that uses this package.
package dcgw.lib.topology

# Konnect attachment kinds that connect by network peering and through a hub.
peering_kinds := {
	"aws-vpc-peering-attachment",
	"azure-vnet-peering-attachment",
	"gcp-vpc-peering-attachment",
}

hub_kinds := {
	"aws-transit-gateway-attachment",
	"azure-vhub-peering-attachment",
}

# kong_cidrs are the CIDRs of the Konnect networks.
kong_cidrs contains n.cidr if some n in input.konnect.networks

# dp_ips are the private IPs of every data plane.
dp_ips contains ip if {
	some n in input.konnect.networks
	some ip in n.data_plane_ips
}

# kong_attachments are the Konnect attachments, each with konnect_network_id added.
kong_attachments contains object.union(a, {"konnect_network_id": n.id}) if {
	some n in input.konnect.networks
	some a in n.attachments
}

# konnect_name is how messages name a Konnect network: its name, else its id.
konnect_name(kn) := kn.name if object.get(kn, "name", "") != ""

else := kn.id

# konnect_networks_by_id indexes the Konnect networks.
konnect_networks_by_id := {n.id: n | some n in input.konnect.networks}

# Kong's own VPC/VNet ids on the provider side, to the Konnect network.
_kong_provider_networks := {n.provider_network_id: n.id |
	some n in input.konnect.networks
	n.provider_network_id != ""
}

# Peering ids named by peering attachments, to the Konnect network.
_attachment_peerings := {a.peering_id: a.konnect_network_id |
	some a in kong_attachments
	a.kind in peering_kinds
	a.peering_id != ""
}

# peering_konnect is the set of [peering id, konnect network id] of peerings with Kong.
peering_konnect contains [p.id, _attachment_peerings[p.id]] if some p in input.peerings

peering_konnect contains [p.id, _kong_provider_networks[p.remote.network_id]] if some p in input.peerings

# kong_peerings are the ids of the peerings that connect to a Konnect network.
kong_peerings contains pair[0] if some pair in peering_konnect

# kong_peering_targets are the ids a customer route may name to send traffic over a
# peering with Kong: the peerings found, and the peering ids Konnect reports (a peering
# of another account may be missing from the snapshot).
kong_peering_targets := kong_peerings | {id | some id, _ in _attachment_peerings}

peerings_by_id := {p.id: p | some p in input.peerings}

# customer_side is the side of a peering with Kong that is the customer's (the local
# side unless the peering was collected from Kong's side).
customer_side(p) := p.remote if {
	_kong_provider_networks[p.local.network_id]
} else := p.local

# connections are the {konnect_network_id, network_id, via} triples of customer networks
# connected to a Konnect network, via "peering" or "hub".
connections contains {"konnect_network_id": a.konnect_network_id, "network_id": a.network_id, "via": "peering"} if {
	some a in kong_attachments
	a.kind in peering_kinds
	a.network_id != ""
}

connections contains {"konnect_network_id": pair[1], "network_id": nid, "via": "peering"} if {
	some pair in peering_konnect
	nid := customer_side(peerings_by_id[pair[0]]).network_id
	nid != ""
}

connections contains {"konnect_network_id": r.konnect_network_id, "network_id": nid, "via": "hub"} if {
	some r in reach
	nid := hub_attachments_by_id[r.attachment_id].network_id
	nid != ""
}

# peered_networks are the customer networks peered with Kong.
peered_networks contains c.network_id if {
	some c in connections
	c.via == "peering"
}

# hub_networks are the networks of the hub attachments Kong can reach.
hub_networks contains c.network_id if {
	some c in connections
	c.via == "hub"
}

connected_networks := peered_networks | hub_networks

# konnect_networks_of[network id] are the Konnect network ids connected to that network.
# (Indexes that rules look up by key are complete objects: a partial rule looked up
# with a bound key is re-evaluated on every lookup.)
konnect_networks_of := {nid: kns |
	some nid in connected_networks
	kns := {c.konnect_network_id | some c in connections; c.network_id == nid}
}

hub_attachments_by_id := {h.id: h | some h in input.hub_attachments}

hub_route_tables_by_id := {t.id: t | some t in input.hub_route_tables}

# _kong_hub_attachment_konnect is the set of [hub attachment id, konnect network id] of
# Kong's attachments on hubs: the id Konnect reports, or an attachment of Kong's own VPC/VNet.
_kong_hub_attachment_konnect contains [a.hub_attachment_id, a.konnect_network_id] if {
	some a in kong_attachments
	a.kind in hub_kinds
	a.hub_attachment_id != ""
}

_kong_hub_attachment_konnect contains [h.id, _kong_provider_networks[h.network_id]] if some h in input.hub_attachments

# On Azure, Konnect names the vHub but not Kong's connection on it: Kong's connection is
# the VNet connection on that hub whose VNet lies in Kong's own subscription (the Konnect
# network's provider account). Subscription ids compare case-insensitively.
_kong_hub_attachment_konnect contains [h.id, kn] if {
	some h in input.hub_attachments
	object.get(h, "provider", "") == "azure"
	some kn in object.get(_azure_kong_subscriptions_by_hub, h.hub_id, set())
	_azure_subscription(object.get(h, "network_id", "")) in _azure_kong_subscriptions[kn]
}

# _azure_kong_subscriptions_by_hub[hub id] are the Konnect networks attached to that vHub.
_azure_kong_subscriptions_by_hub := {hub: kns |
	some hub in {a.hub_id | some a in kong_attachments; a.kind == "azure-vhub-peering-attachment"}
	kns := {a.konnect_network_id | some a in kong_attachments; a.kind == "azure-vhub-peering-attachment"; a.hub_id == hub}
}

# _azure_kong_subscriptions[konnect network id] is Kong's subscription of the network.
_azure_kong_subscriptions := {n.id: {lower(n.provider_account_id)} |
	some n in input.konnect.networks
	object.get(n, "provider_account_id", "") != ""
}

# _azure_subscription is the subscription of an Azure resource id, lower case.
_azure_subscription(id) := lower(parts[2]) if {
	parts := split(id, "/")
	count(parts) > 2
	lower(parts[1]) == "subscriptions"
}

# kong_hub_attachments are the ids of Kong's attachments on hubs.
kong_hub_attachments contains pair[0] if some pair in _kong_hub_attachment_konnect

# kong_hubs are the hubs that carry a Kong attachment.
kong_hubs contains hub if {
	some a in kong_attachments
	a.kind in hub_kinds
	hub := a.hub_id
	hub != ""
}

kong_hubs contains hub_attachments_by_id[id].hub_id if some id in kong_hub_attachments

# kong_route_table_konnect is the set of [hub route table id, konnect network id] of
# the tables that look up Kong's traffic (associated with a Kong hub attachment).
kong_route_table_konnect contains [tid, pair[1]] if {
	some pair in _kong_hub_attachment_konnect
	tid := hub_attachments_by_id[pair[0]].associated_route_table_id
	tid != ""
}

kong_route_table_konnect contains [t.id, kn] if {
	some t in input.hub_route_tables
	some aid in t.associations
	some kn in _konnect_of_kong_hub_attachment[aid]
}

# _konnect_of_kong_hub_attachment[hub attachment id] are the Konnect networks of a Kong
# hub attachment.
_konnect_of_kong_hub_attachment := {aid: kns |
	some [aid, _] in _kong_hub_attachment_konnect
	kns := {kn | some [aid2, kn] in _kong_hub_attachment_konnect; aid2 == aid}
}

# kong_route_tables are the hub route tables associated with a Kong hub attachment.
kong_route_tables contains pair[0] if some pair in kong_route_table_konnect

# Tables by label, for Azure propagation labels. The None route table (label "none")
# stands for "propagate nowhere": it is never a propagation target.
_table_labels := {[l, t.id] | some t in input.hub_route_tables; some l in t.labels; not none_table(t.id)}

# none_table holds for an Azure vHub's None route table (…/hubRouteTables/noneRouteTable).
none_table(tid) if endswith(lower(tid), "/hubroutetables/noneroutetable")

# propagation_labels are the labels an attachment propagates to. An Azure VNet connection
# that names neither a label nor a table propagates to the "default" label (Azure's
# default); "none" means no label.
propagation_labels(h) := {l | some l in h.propagation_labels; lower(l) != "none"} if {
	count(object.get(h, "propagation_labels", [])) > 0
} else := {"default"} if {
	object.get(h, "provider", "") == "azure"
	object.get(h, "kind", "") == "vnet"
	count(object.get(h, "propagated_route_table_ids", [])) == 0
} else := set()

# propagated_tables are the tables an attachment names as propagation targets, the None
# table left out.
propagated_tables(h) := {tid | some tid in object.get(h, "propagated_route_table_ids", []); not none_table(tid)}

_tables_by_label := {label: tids |
	some label in {pair[0] | some pair in _table_labels}
	tids := {pair[1] | some pair in _table_labels; pair[0] == label}
}

# propagations are the {attachment_id, route_table_id} pairs of an attachment whose
# ranges a hub route table learns: listed in the table's propagations, the table listed
# in the attachment's propagated_route_table_ids, or a label of the attachment's
# propagation_labels that the table carries.
propagations contains {"attachment_id": aid, "route_table_id": t.id} if {
	some t in input.hub_route_tables
	some aid in t.propagations
}

propagations contains {"attachment_id": h.id, "route_table_id": tid} if {
	some h in input.hub_attachments
	some tid in propagated_tables(h)
}

propagations contains {"attachment_id": h.id, "route_table_id": tid} if {
	some h in input.hub_attachments
	some label in propagation_labels(h)
	some tid in _tables_by_label[label]
}

# associations are the {attachment_id, route_table_id} pairs of an attachment whose
# traffic a hub route table looks up.
associations contains {"attachment_id": aid, "route_table_id": t.id} if {
	some t in input.hub_route_tables
	some aid in t.associations
}

associations contains {"attachment_id": h.id, "route_table_id": h.associated_route_table_id} if {
	some h in input.hub_attachments
	h.associated_route_table_id != ""
}

# active_route holds for a route that is not a blackhole.
active_route(r) if object.get(r, "state", "") != "blackhole"

# reach is the set of {konnect_network_id, route_table_id, attachment_id, via} of the
# hub attachments a Kong route table reaches: "route" for the next hop of an active
# route, "propagation" for an attachment propagating into the table. Kong's own
# attachments are left out.
reach contains {"konnect_network_id": pair[1], "route_table_id": pair[0], "attachment_id": aid, "via": "route"} if {
	some pair in kong_route_table_konnect
	some r in hub_route_tables_by_id[pair[0]].routes
	active_route(r)
	some aid in r.attachment_ids
	not aid in kong_hub_attachments
}

reach contains {"konnect_network_id": kn, "route_table_id": tid, "attachment_id": aid, "via": "propagation"} if {
	some [tid, aid] in _kong_table_propagations
	not aid in kong_hub_attachments
	some kn in _konnect_of_kong_route_table[tid]
}

# _konnect_of_kong_route_table[route table id] are the Konnect networks whose traffic a
# Kong route table looks up.
_konnect_of_kong_route_table := {tid: kns |
	some [tid, _] in kong_route_table_konnect
	kns := {kn | some [tid2, kn] in kong_route_table_konnect; tid2 == tid}
}

# _kong_table_propagations are the [route table id, attachment id] pairs of propagations
# into a Kong route table: the three sources of propagations, restricted to Kong's
# tables as they are read (every rule that needs what Kong reaches computes this, so it
# does not build the whole propagations set).
_kong_table_propagations contains [tid, aid] if {
	some tid in kong_route_tables
	some aid in hub_route_tables_by_id[tid].propagations
}

_kong_table_propagations contains [tid, h.id] if {
	some h in input.hub_attachments
	some tid in propagated_tables(h)
	tid in kong_route_tables
}

_kong_table_propagations contains [tid, h.id] if {
	some h in input.hub_attachments
	some label in propagation_labels(h)
	some tid in _tables_by_label[label]
	tid in kong_route_tables
}

# reach_via[[route table id, attachment id]] is how the Kong route table reaches the
# attachment ("route", "propagation").
reach_via := {[tid, aid]: vias |
	some [tid, aid] in {[r.route_table_id, r.attachment_id] | some r in reach}
	vias := {r.via | some r in reach; r.route_table_id == tid; r.attachment_id == aid}
}

# next_hop_destinations[[route table id, attachment id]] are the destinations (or prefix
# list ids) of the active routes of a Kong route table with that next hop.
next_hop_destinations := {[tid, aid]: ds |
	some [tid, aid] in {[h[0], h[1]] | some h in _next_hops}
	ds := {h[2] | some h in _next_hops; h[0] == tid; h[1] == aid}
}

_next_hops contains [tid, aid, d] if {
	some tid in kong_route_tables
	some route in hub_route_tables_by_id[tid].routes
	active_route(route)
	some aid in route.attachment_ids
	d := object.get(route, "destination", object.get(route, "prefix_list_id", ""))
}

# reachable_attachments are the hub attachments Kong can reach.
reachable_attachments contains r.attachment_id if some r in reach

# Ranges of a network.

_subnets_network_ids := {s.network_id | some s in input.subnets}

_subnet_ranges := {nid: cidrs |
	some nid in _subnets_network_ids
	cidrs := {c | some s in input.subnets; s.network_id == nid; some c in s.cidrs}
}

networks_by_id := {n.id: n | some n in input.networks}

# network_ranges[network id] is every range of the network: its own CIDRs and every
# subnet range (GCP networks have only subnet ranges; secondary ranges count).
network_ranges := object.union(
	{nid: ranges | some nid, ranges in _subnet_ranges},
	{nid: ranges |
		some nid, n in networks_by_id
		ranges := object.get(_subnet_ranges, nid, set()) | {c | some c in object.get(n, "cidrs", [])}
	},
)

# connected_blocks[network id] are, for each network connected to Kong, its ranges
# (network_ranges) without the subnet ranges that lie inside one of its own CIDRs: the
# blocks to compare with Kong and with the other connected networks. Only connected
# networks: the rules compare nothing else, and an estate has many more networks.
connected_blocks := {nid: blocks |
	some nid in connected_networks
	own := {c | some c in object.get(networks_by_id, [nid, "cidrs"], [])}
	others := {c | some s in input.subnets; s.network_id == nid; some c in s.cidrs} - own
	blocks := own | (others - _inside(own, others))
}

# _inside are the ranges that lie inside one of the CIDRs outers (same family; the
# pairs come from one net.cidr_contains_matches call rather than a within() per pair).
_inside(outers, ranges) := {r |
	some [o, r] in net.cidr_contains_matches(outers, ranges)
	contains(o, ":") == contains(r, ":") # same family
}

# Config lists, empty when data.config leaves them out.
default _config_upstream_subnets := []

_config_upstream_subnets := data.config.upstream_subnets

default _config_allowed_spokes := []

_config_allowed_spokes := data.config.allowed_spokes

# upstream_subnets are the subnets that host upstreams: data.config.upstream_subnets
# when set, else every subnet of a network connected to Kong.
upstream_subnets := {s | some s in _config_upstream_subnets} if {
	count(_config_upstream_subnets) > 0
} else := {s.id | some s in input.subnets; s.network_id in connected_networks}

# allowed_spoke holds for a hub attachment allowed by data.config.allowed_spokes (its id
# or its network id is listed).
allowed_spoke(aid) if aid in _config_allowed_spokes

allowed_spoke(aid) if {
	nid := hub_attachments_by_id[aid].network_id
	nid != ""
	nid in _config_allowed_spokes
}
