package snapshot

import "slices"

// SortedSet returns vals sorted without repeats or empty strings, nil when none remain:
// how collectors write lists whose order and duplicates mean nothing (subnet ids,
// labels, addresses), so two collections of one estate are byte-identical.
func SortedSet(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Merge appends every collection and the scopes of o to s (no deduplication: see
// Dedupe). Collectors return partial snapshots that the caller merges into one.
func (s *Snapshot) Merge(o *Snapshot) {
	for _, c := range collections {
		c.list.merge(s, o)
	}
	s.Scopes = append(s.Scopes, o.Scopes...)
}

// Filter is a snapshot with the cloud entities of s that keep accepts (no Konnect
// side, DNS resolutions or scopes).
func (s *Snapshot) Filter(keep func(Entity) bool) *Snapshot {
	out := &Snapshot{}
	for _, c := range collections {
		c.list.filter(out, s, keep)
	}
	return out
}

// Dedupe keeps the first entity of each id in every cloud collection: the same
// resource seen from two accounts or regions (a shared transit gateway, both ends of a
// peering) is one entity.
func (s *Snapshot) Dedupe() {
	for _, c := range collections {
		seen := map[string]bool{}
		c.list.filter(s, s, func(e Entity) bool {
			if seen[e.ID] {
				return false
			}
			seen[e.ID] = true
			return true
		})
	}
}
