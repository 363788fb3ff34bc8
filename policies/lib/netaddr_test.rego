package dcgw.lib.netaddr_test

import data.dcgw.lib.netaddr

test_family if {
	netaddr.is_ipv4("10.0.0.0/8")
	netaddr.is_ipv4("192.168.1.1")
	not netaddr.is_ipv4("2001:db8::/32")
	not netaddr.is_ipv4("::1")
}

test_as_cidr if {
	netaddr.as_cidr("10.0.0.1") == "10.0.0.1/32"
	netaddr.as_cidr("fd00::1") == "fd00::1/128"
	netaddr.as_cidr("10.0.0.0/8") == "10.0.0.0/8"
}

test_prefix_len if {
	netaddr.prefix_len("10.0.0.0/8") == 8
	netaddr.prefix_len("10.0.0.1") == 32
	netaddr.prefix_len("fd00::/8") == 8
	netaddr.prefix_len("fd00::1") == 128
}

test_is_open if {
	netaddr.is_open("0.0.0.0/0")
	netaddr.is_open("::/0")
	not netaddr.is_open("0.0.0.0/1")
	not netaddr.is_open("10.0.0.0/8")
}

overlap_cases := [
	{"a": "10.0.0.0/8", "b": "10.1.0.0/16", "want": true},
	{"a": "10.1.0.0/16", "b": "10.0.0.0/8", "want": true},
	{"a": "10.1.0.0/16", "b": "10.2.0.0/16", "want": false},
	{"a": "10.1.0.0/16", "b": "10.1.255.255", "want": true},
	{"a": "0.0.0.0/0", "b": "::/0", "want": false},
	{"a": "2001:db8::/32", "b": "2001:db8:1::/48", "want": true},
	{"a": "2001:db8::/32", "b": "10.0.0.0/8", "want": false},
]

test_overlaps if {
	every c in overlap_cases {
		netaddr.overlaps(c.a, c.b) == c.want
	}
}

# overlaps is undefined (not false) when the ranges do not overlap.
test_overlaps_negative if {
	not netaddr.overlaps("10.1.0.0/16", "10.2.0.0/16")
	not netaddr.overlaps("0.0.0.0/0", "::/0")
}

test_within if {
	netaddr.within("10.1.0.0/16", "10.0.0.0/8")
	netaddr.within("10.1.0.0/16", "10.1.0.0/16")
	netaddr.within("10.1.2.3", "10.1.0.0/16")
	not netaddr.within("10.0.0.0/8", "10.1.0.0/16")
	not netaddr.within("10.1.0.0/16", "::/0")
	netaddr.within("2001:db8:1::/48", "2001:db8::/32")
}

test_buckets if {
	netaddr.bucket("10.1.2.0/24") == "4/24/10.1.2"
	netaddr.bucket("10.1.2.3") == "4/24/10.1.2"
	netaddr.bucket("10.1.0.0/20") == "4/16/10.1"
	netaddr.bucket("10.0.0.0/12") == "4/8/10"
	netaddr.bucket("0.0.0.0/0") == "4/0/"
	netaddr.bucket("2001:db8::/32") == "6/32/2001:db8"
	netaddr.bucket("2001:0DB8:0:1::/64") == "6/64/2001:db8:0:1"
	netaddr.bucket("::/0") == "6/0/"
	netaddr.bucket("::1") == "6/64/0:0:0:0"
	netaddr.probe_buckets("10.1.2.0/24") == {"4/0/", "4/8/10", "4/16/10.1", "4/24/10.1.2"}
	netaddr.probe_buckets("10.0.0.0/12") == {"4/0/", "4/8/10"}
}

# Every overlapping pair of a set of ranges shares a bucket: the broader one's home
# bucket is among the narrower one's probe buckets.
test_bucket_join_finds_every_overlap if {
	ranges := [
		"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.128/25", "10.2.0.0/15",
		"10.3.0.0/16", "192.168.0.0/16", "0.0.0.0/0", "172.16.0.0/12", "172.20.5.0/24",
		"2001:db8::/32", "2001:db8:0:1::/64", "::/0", "fd00::/8",
	]
	by_bucket := {b: {r | some r in ranges; netaddr.bucket(r) == b} | some x in ranges; b := netaddr.bucket(x)}
	joined := {[a, b] |
		some a in ranges
		some k in netaddr.probe_buckets(a)
		some b in by_bucket[k]
		a != b
		netaddr.overlaps(a, b)
	}
	brute := {[a, b] |
		some a in ranges
		some b in ranges
		a != b
		netaddr.overlaps(a, b)
	}
	sym := joined | {[p[1], p[0]] | some p in joined}
	sym == brute
	count(brute) > 20
}

test_merge if {
	netaddr.merge(["10.0.0.0/17", "10.0.128.0/17"]) == {"10.0.0.0/16"}
}

test_overlapping_set_or_array if {
	cidrs := ["10.0.0.0/16", "10.1.0.0/16", "10.0.5.0/24", "fd00::/8"]
	want := {"10.0.0.0/16", "10.0.5.0/24"}
	netaddr.overlapping(cidrs, "10.0.4.0/22") == want
	netaddr.overlapping({c | some c in cidrs}, "10.0.4.0/22") == want
	netaddr.overlapping(cidrs, "10.0.5.7") == want
}
