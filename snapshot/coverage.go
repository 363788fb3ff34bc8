package snapshot

import (
	"fmt"
	"slices"
)

// A CoverageGap is data that the snapshot does not hold, or holds only in part: the
// collections missing for one provider at one place, and why. A rule that reads one
// of the collections and applies to the provider is blind there.
type CoverageGap struct {
	// Provider is the provider whose data is missing.
	Provider string
	// Where names the place for people: a scope key (Scope.Key), provider:collection
	// for a collection no scope of the provider collected, or a place of the estate
	// such as a hub's account and region.
	Where string
	// Collections are the missing collections, by their names in Collections.
	Collections []string
	// Reason says why they are missing, for people.
	Reason string
}

// CoverageGaps lists what the snapshot's scopes left out:
//
//   - every failed or partial scope, with the collections it fills (a failed scope
//     still counts as having collected them for the next case: its own gap says it
//     failed);
//   - every collection that a provider taking part in the estate fills (Sources) but
//     no scope of that provider collected. Konnect and live DNS always take part, as
//     every estate has a Kong side; a cloud takes part when the snapshot has a scope of
//     it or a Konnect network on it;
//   - for every hub a Konnect attachment uses: its route tables when no scope of the
//     hub's account and region (or a global scope of its account) collected
//     hub_route_tables, as AWS shows a transit gateway's route tables only to its
//     owner and a scan of the spoke accounts alone never sees them; and the hub, its
//     attachments and route tables when the hub is not in the snapshot though its
//     cloud takes part.
//
// The snapshot's entities must not have been released.
func (s *Snapshot) CoverageGaps() []CoverageGap {
	var gaps []CoverageGap
	present := map[string]bool{"konnect": true, "dns": true}
	covered := map[string]bool{} // provider + "/" + collection
	for _, sc := range s.Scopes {
		present[sc.Provider] = true
		for _, c := range sc.Collections {
			covered[sc.Provider+"/"+c] = true
		}
		if sc.Incomplete() {
			gaps = append(gaps, CoverageGap{Provider: sc.Provider, Where: sc.Key(), Collections: sc.Collections, Reason: "scope " + sc.Problem()})
		}
	}
	for _, n := range s.Konnect.Networks {
		if n.Provider != "" && n.Provider != "konnect" {
			present[n.Provider] = true
		}
	}
	for _, c := range Collections {
		for _, p := range Sources[c] {
			if present[p] && !covered[p+"/"+c] {
				gaps = append(gaps, CoverageGap{Provider: p, Where: p + ":" + c, Collections: []string{c},
					Reason: "no " + p + " scope in the snapshot collected " + c})
			}
		}
	}
	return append(gaps, s.kongHubGaps(present)...)
}

// kongHubGaps are the gaps of the hubs the Konnect attachments use (CoverageGaps);
// present holds the providers taking part in the estate.
func (s *Snapshot) kongHubGaps(present map[string]bool) []CoverageGap {
	hubs := map[string]Hub{}
	for _, h := range s.Hubs {
		hubs[h.ID] = h
	}
	var gaps []CoverageGap
	for _, n := range s.Konnect.Networks {
		for _, a := range n.Attachments {
			if a.HubID == "" {
				continue
			}
			h, found := hubs[a.HubID]
			switch {
			case !found && present[n.Provider]:
				gaps = append(gaps, CoverageGap{
					Provider:    n.Provider,
					Where:       n.Provider + ":hub " + a.HubID,
					Collections: []string{"hubs", "hub_attachments", "hub_route_tables"},
					Reason:      fmt.Sprintf("Kong's hub %s (Konnect attachment %s) is not in the snapshot: no scanned account and region holds it; scan its owner", a.HubID, a.ID),
				})
			case found && !s.collectedIn(h.Provider, h.Account, h.Region, "hub_route_tables"):
				gaps = append(gaps, CoverageGap{
					Provider:    h.Provider,
					Where:       h.Provider + "/" + h.Account + "/" + h.Region + ":hub_route_tables",
					Collections: []string{"hub_route_tables"},
					Reason:      fmt.Sprintf("the route tables of Kong's hub %s were not collected: no scope of its owner %s in %s read hub route tables (AWS shows a transit gateway's route tables only to its owner); scan that account", h.ID, h.Account, h.Region),
				})
			}
		}
	}
	return gaps
}

// collectedIn reports whether a scope of the provider and account, in the region or
// a global one (Azure lists per subscription), collected the collection.
func (s *Snapshot) collectedIn(provider, account, region, collection string) bool {
	return slices.ContainsFunc(s.Scopes, func(sc Scope) bool {
		return sc.Provider == provider && sc.Account == account &&
			(sc.Region == region || sc.Region == "global" || sc.Region == "") &&
			slices.Contains(sc.Collections, collection)
	})
}
