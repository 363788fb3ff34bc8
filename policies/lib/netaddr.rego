# METADATA
# description: >-
#   Address helpers shared by the rules: address family, CIDR containment and
#   overlap within one family, prefix lengths, and the bucket keys that keep
#   pairwise overlap joins sub-quadratic.
package dcgw.lib.netaddr

# These helpers run once per route, firewall rule or range on large estates, so they
# are kept cheap: a function with several bodies is evaluated body by body (OPA checks
# that they agree), while an else chain stops at the first body that holds; and the
# family of a CIDR or IP is just whether it contains ":".

# family is "ipv4" or "ipv6" for a CIDR or a bare IP.
family(x) := "ipv6" if contains(x, ":")

else := "ipv4"

# is_ipv4 holds for an IPv4 CIDR or address. The predicates below are false (not
# undefined) when they do not hold.
default is_ipv4(_) := false

is_ipv4(x) if not contains(x, ":")

# as_cidr turns a bare IP into a host CIDR (/32 or /128); a CIDR is returned as is.
as_cidr(x) := x if {
	contains(x, "/")
} else := concat("", [x, "/32"]) if {
	not contains(x, ":")
} else := concat("", [x, "/128"])

# prefix_len is the prefix length of a CIDR (32 or 128 for a bare IP).
prefix_len(x) := to_number(split(as_cidr(x), "/")[1])

# is_open holds for 0.0.0.0/0 and ::/0 (any prefix of length 0; a bare IP is a /32 or
# /128). It is a suffix test: prefix_len's split and to_number cost more, and it runs
# once per firewall peer and route.
default is_open(_) := false

is_open(x) if endswith(x, "/0")

# overlaps holds when a and b are of the same family and share an address.
default overlaps(_, _) := false

overlaps(a, b) if {
	contains(a, ":") == contains(b, ":") # same family
	net.cidr_intersects(as_cidr(a), as_cidr(b))
}

# within holds when inner lies entirely inside outer (same family; equal counts).
default within(_, _) := false

within(inner, outer) if {
	contains(inner, ":") == contains(outer, ":") # same family
	net.cidr_contains(as_cidr(outer), as_cidr(inner))
}

# containing is the set of indexes i of the CIDRs outers[i] that contain inner (same
# family): within(inner, outers[i]) for every i, in one net.cidr_contains_matches call.
containing(outers, inner) := {i |
	some [i, _] in net.cidr_contains_matches(outers, as_cidr(inner))
	contains(outers[i], ":") == contains(inner, ":") # same family
}

# overlapping is the subset of the CIDRs cidrs (a set or an array) that overlap x (same
# family), without an overlaps() call per element: two prefixes overlap exactly when one
# contains the other.
overlapping(cidrs, x) := _overlapping({c | some c in cidrs}, x)

# _overlapping works on a set: net.cidr_contains_matches names the matches of a set by
# value but those of an array by index.
_overlapping(cidrs, x) := {c |
	some [c, _] in net.cidr_contains_matches(cidrs, as_cidr(x))
	contains(c, ":") == contains(x, ":") # same family
} | {c |
	some [_, c] in net.cidr_contains_matches(as_cidr(x), cidrs)
	contains(c, ":") == contains(x, ":") # same family
}

# Bucketing for overlap joins.
#
# A range's home bucket is its address truncated to the coarsest level at or below
# its prefix length (IPv4 levels 0, 8, 16, 24; IPv6 levels 0, 16, 32, 48, 64), e.g.
# 10.1.2.0/24 lives in "4/24/10.1.2" and 10.0.0.0/12 in "4/8/10". Two ranges can only
# overlap when the home bucket of the broader one is among the probe buckets of the
# narrower one (its own address truncated to every level up to its home level). So a
# join that puts every range in its home bucket and compares each range only with
# the members of its probe buckets finds every overlapping pair while comparing only
# ranges that share leading bits.
#
#   by_bucket[b] := [x | some x in items; x.bucket == b] if some b in {x.bucket | some x in items}
#   some x in items; some b in net.probe_buckets(x.cidr); some y in by_bucket[b]; net.overlaps(x.cidr, y.cidr)
#
# Each overlapping pair is found once or twice (twice when both share a home bucket);
# order the pair (x.id < y.id) to keep one.

_v4_levels := [0, 8, 16, 24]

_v6_levels := [0, 16, 32, 48, 64]

# home_level is the level of the home bucket of a range.
home_level(x) := max([l | some l in _v4_levels; l <= prefix_len(x)]) if is_ipv4(x)

home_level(x) := max([l | some l in _v6_levels; l <= prefix_len(x)]) if not is_ipv4(x)

# bucket is the home bucket key of a range.
bucket(x) := bucket_at(x, home_level(x))

# probe_buckets are the buckets whose members may overlap x: x's address truncated to
# every level up to its home level.
probe_buckets(x) := {bucket_at(x, l) | some l in _v4_levels; l <= home_level(x)} if is_ipv4(x)

probe_buckets(x) := {bucket_at(x, l) | some l in _v6_levels; l <= home_level(x)} if not is_ipv4(x)

# bucket_at is the key of x's address truncated to level bits (level from the family's levels).
bucket_at(x, level) := sprintf("4/%d/%s", [level, concat(".", array.slice(_v4_octets(x), 0, level / 8))]) if is_ipv4(x)

bucket_at(x, level) := sprintf("6/%d/%s", [level, concat(":", array.slice(_v6_groups(x), 0, level / 16))]) if not is_ipv4(x)

_address(x) := split(as_cidr(x), "/")[0]

_v4_octets(x) := split(_address(x), ".")

# _v6_groups is the eight 16-bit groups of an IPv6 address, lower case without leading
# zeros ("::" expanded; an embedded IPv4 tail counts as two groups).
_v6_groups(x) := array.concat(array.concat(head, _zeros(fill)), tail) if {
	parts := split(lower(_address(x)), "::")
	head := _v6_side(parts[0])
	tail := _v6_tail(parts)
	fill := (8 - count(head)) - _v6_width(tail)
}

_zeros(n) := [] if n <= 0

_zeros(n) := ["0" | some _ in numbers.range(1, n)] if n > 0

_v6_tail(parts) := [] if count(parts) == 1

_v6_tail(parts) := _v6_side(parts[1]) if count(parts) == 2

_v6_side(s) := [] if s == ""

_v6_side(s) := [_v6_norm(g) | some g in split(s, ":")] if s != ""

_v6_norm(g) := "0" if trim_left(g, "0") == ""

_v6_norm(g) := trim_left(g, "0") if trim_left(g, "0") != ""

# _v6_width counts an embedded dotted IPv4 group as two 16-bit groups.
_v6_width(groups) := count(groups) + count([g | some g in groups; contains(g, ".")])

# merge is net.cidr_merge, for packages that import this one as net (the import
# shadows the net.* built-ins there; alias it, e.g. `import data.dcgw.lib.net as netlib`,
# to keep them).
merge(cidrs) := net.cidr_merge(cidrs)
