package reach

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestPrefixSet checks prefixSet.overlaps against the plain scan on random prefixes of
// both families, nested ones included.
func TestPrefixSet(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	random := func() netip.Prefix {
		if r.IntN(4) == 0 {
			var b [16]byte
			b[0], b[1], b[2] = 0x20, 0x01, byte(r.IntN(4))
			return netip.PrefixFrom(netip.AddrFrom16(b), 20+r.IntN(40)).Masked()
		}
		a := netip.AddrFrom4([4]byte{10, byte(r.IntN(8)), byte(r.IntN(256)), byte(r.IntN(256))})
		return netip.PrefixFrom(a, 16+r.IntN(17)).Masked()
	}
	var ps []netip.Prefix
	for range 300 {
		ps = append(ps, random())
	}
	set := newPrefixSet(append([]netip.Prefix(nil), ps...))
	seen := map[bool]int{}
	for range 5000 {
		q := random()
		got, want := set.overlaps(q), overlapsAny(q, ps)
		if got != want {
			t.Fatalf("overlaps(%s) = %v, want %v", q, got, want)
		}
		seen[want]++
	}
	if seen[true] < 100 || seen[false] < 100 {
		t.Fatalf("outcomes %v: too few of one kind for the test to mean much", seen)
	}
	if newPrefixSet(nil).overlaps(netip.MustParsePrefix("10.0.0.0/8")) {
		t.Error("the empty set overlaps")
	}
}
