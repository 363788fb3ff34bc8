package reach

import (
	"net/netip"
	"slices"
	"strings"
)

// parsePrefix reads a CIDR or a bare IP (as a host prefix), masked. ok is false for
// anything else (a service tag, an empty value).
func parsePrefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// parsePrefixes parses every value that parses and drops the rest.
func parsePrefixes(ss []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		if p, ok := parsePrefix(s); ok {
			out = append(out, p)
		}
	}
	return out
}

// within reports whether inner lies entirely inside outer (same family).
func within(inner, outer netip.Prefix) bool {
	return inner.Addr().BitLen() == outer.Addr().BitLen() && outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// overlapsAny reports whether p overlaps one of ps.
func overlapsAny(p netip.Prefix, ps []netip.Prefix) bool {
	for _, q := range ps {
		if p.Overlaps(q) {
			return true
		}
	}
	return false
}

// withinAny reports whether p lies inside one of ps.
func withinAny(p netip.Prefix, ps []netip.Prefix) bool {
	for _, q := range ps {
		if within(p, q) {
			return true
		}
	}
	return false
}

// overlapsOutside reports whether rule prefix p shares an address with set minus the
// host prefixes except: p overlaps some prefix s of set and does not lie entirely inside
// the excepted hosts (a prefix of at most one address that is one of them).
func overlapsOutside(p netip.Prefix, set, except []netip.Prefix) bool {
	for _, s := range set {
		if !p.Overlaps(s) {
			continue
		}
		// The overlap is the smaller of the two prefixes.
		ov := p
		if s.Bits() > p.Bits() {
			ov = s
		}
		if ov.IsSingleIP() && slices.Contains(except, ov) {
			continue
		}
		if !ov.IsSingleIP() {
			// A prefix of two or more addresses is not covered by a few host exclusions
			// unless every address is excluded; with /31 and /32 ranges that is rare, so
			// count the excluded hosts inside it.
			n := 0
			for _, e := range except {
				if within(e, ov) {
					n++
				}
			}
			if ov.Addr().Is4() && ov.Bits() >= 31 && n >= 1<<(32-ov.Bits()) {
				continue
			}
		}
		return true
	}
	return false
}

// isOpen reports whether p is a whole address family (0.0.0.0/0 or ::/0).
func isOpen(p netip.Prefix) bool { return p.Bits() == 0 }

// prefixSet answers whether a prefix overlaps any of many prefixes in O(log n): per
// address family, the prefixes as intervals sorted by first address with the running
// maximum of their last addresses.
type prefixSet struct {
	v4, v6 intervals
}

type intervals struct {
	first, maxLast []netip.Addr
}

func newPrefixSet(ps []netip.Prefix) prefixSet {
	var v4, v6 []netip.Prefix
	for _, p := range ps {
		if p.Addr().Is4() {
			v4 = append(v4, p)
		} else {
			v6 = append(v6, p)
		}
	}
	return prefixSet{v4: newIntervals(v4), v6: newIntervals(v6)}
}

func newIntervals(ps []netip.Prefix) intervals {
	slices.SortFunc(ps, func(a, b netip.Prefix) int { return a.Masked().Addr().Compare(b.Masked().Addr()) })
	iv := intervals{first: make([]netip.Addr, len(ps)), maxLast: make([]netip.Addr, len(ps))}
	for i, p := range ps {
		iv.first[i] = p.Masked().Addr()
		iv.maxLast[i] = lastAddr(p)
		if i > 0 && iv.maxLast[i-1].Compare(iv.maxLast[i]) > 0 {
			iv.maxLast[i] = iv.maxLast[i-1]
		}
	}
	return iv
}

// overlaps reports whether p shares an address with a prefix of the set: among the
// intervals that start at or before p's last address, the one ending last ends at or
// after p's first.
func (s prefixSet) overlaps(p netip.Prefix) bool {
	iv := s.v6
	if p.Addr().Is4() {
		iv = s.v4
	}
	last := lastAddr(p)
	n, _ := slices.BinarySearchFunc(iv.first, last, func(a, t netip.Addr) int {
		if a.Compare(t) <= 0 {
			return -1
		}
		return 1
	})
	return n > 0 && iv.maxLast[n-1].Compare(p.Masked().Addr()) >= 0
}

// lastAddr is the last address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	p = p.Masked()
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
