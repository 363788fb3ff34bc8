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
