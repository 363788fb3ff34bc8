package policies

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// estateFacts is what notEvaluated needs of the snapshot besides its scopes.
type estateFacts struct {
	// clouds are the providers of the Konnect networks: their side of the estate takes
	// part even when the snapshot holds no scope of theirs.
	clouds []string
	// kongHubs are the hubs that Kong's hub attachments use.
	kongHubs []kongHub
}

// kongHub is a hub a Konnect attachment uses, as the snapshot has it.
type kongHub struct {
	id, attachment    string
	provider, account string
	region            string
	// found is false when the snapshot has no hub with the attachment's hub id.
	found bool
}

// estateOf reads the estateFacts facts from a snapshot (before its entities are released).
func estateOf(snap *snapshot.Snapshot) estateFacts {
	var e estateFacts
	hubs := map[string]snapshot.Hub{}
	for _, h := range snap.Hubs {
		hubs[h.ID] = h
	}
	for _, n := range snap.Konnect.Networks {
		if n.Provider != "" && n.Provider != "konnect" {
			e.clouds = append(e.clouds, n.Provider)
		}
		for _, a := range n.Attachments {
			if a.HubID == "" {
				continue
			}
			k := kongHub{id: a.HubID, attachment: a.ID, provider: n.Provider}
			if h, ok := hubs[a.HubID]; ok {
				k.provider, k.account, k.region, k.found = h.Provider, h.Account, h.Region, true
			}
			e.kongHubs = append(e.kongHubs, k)
		}
	}
	slices.Sort(e.clouds)
	e.clouds = slices.Compact(e.clouds)
	return e
}

// notEvaluated lists, for every rule, the scopes whose failure leaves it blind and
// the input collections nobody collected. A rule is blind in a scope that failed or
// is partial, that fills one of the rule's inputs, and whose provider the rule applies
// to (a rule that names no providers applies to all). An input is uncollected when a
// provider that fills it (snapshot.Sources) takes part in the estateFacts but no scope of
// that provider collected it. Konnect and live DNS always take part: every rule is
// about Kong's side too. A cloud takes part when the snapshot has a scope of it or a
// Konnect network on it.
//
// Kong's hubs get their own check: the rules that read hub route tables are blind on a
// hub Kong is attached to when no scope of the hub's account and region collected hub
// route tables (AWS shows a transit gateway's route tables only to its owner, so a
// scan of the spoke accounts alone never sees them), and the hub rules are blind when
// the hub is not in the snapshot at all.
func notEvaluated(rules []Rule, scopes []snapshot.Scope, est estateFacts) []NotEvaluated {
	present := map[string]bool{"konnect": true, "dns": true}
	covered := map[string]bool{} // provider + "/" + collection
	for _, s := range scopes {
		present[s.Provider] = true
		for _, c := range s.Collections {
			covered[s.Provider+"/"+c] = true
		}
	}
	for _, c := range est.clouds {
		present[c] = true
	}
	out := []NotEvaluated{}
	for _, r := range rules {
		for _, s := range scopes {
			if !s.Incomplete() {
				continue
			}
			if !appliesTo(r, s.Provider) {
				continue
			}
			if !slices.ContainsFunc(s.Collections, func(c string) bool { return slices.Contains(r.Inputs, c) }) {
				continue
			}
			out = append(out, NotEvaluated{RuleID: r.ID, Scope: s.Key(), Reason: "scope " + s.Problem()})
		}
		for _, in := range r.Inputs {
			for _, p := range snapshot.Sources[in] {
				if !present[p] || !appliesTo(r, p) || covered[p+"/"+in] {
					continue
				}
				out = append(out, NotEvaluated{
					RuleID: r.ID,
					Scope:  p + ":" + in,
					Reason: "no " + p + " scope in the snapshot collected " + in,
				})
			}
		}
	}
	out = append(out, kongHubsNotEvaluated(rules, scopes, est.kongHubs, present)...)
	slices.SortFunc(out, func(a, b NotEvaluated) int {
		return cmp.Or(cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Reason, b.Reason))
	})
	return slices.CompactFunc(out, func(a, b NotEvaluated) bool { return a == b })
}

// appliesTo reports whether rule r covers provider p. Konnect and DNS data serve every
// rule, whatever clouds it names.
func appliesTo(r Rule, p string) bool {
	return len(r.Providers) == 0 || p == "konnect" || p == "dns" || slices.Contains(r.Providers, p)
}

// incompleteScopes are the keys of the scopes that failed or are partial, sorted.
func incompleteScopes(scopes []snapshot.Scope) []string {
	out := []string{}
	for _, s := range scopes {
		if s.Incomplete() {
			out = append(out, s.Key())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// kongHubsNotEvaluated are the rules blind on a hub Kong is attached to: its route
// tables were not collected (no scope of its account and region filled
// hub_route_tables), or the hub itself is not in the snapshot though its cloud takes
// part.
func kongHubsNotEvaluated(rules []Rule, scopes []snapshot.Scope, hubs []kongHub, present map[string]bool) []NotEvaluated {
	var out []NotEvaluated
	for _, h := range hubs {
		var need []string
		var where, why string
		switch {
		case !h.found && present[h.provider]:
			need = []string{"hubs", "hub_attachments", "hub_route_tables"}
			where = h.provider + ":hub " + h.id
			why = fmt.Sprintf("Kong's hub %s (Konnect attachment %s) is not in the snapshot: no scanned account and region holds it; scan its owner", h.id, h.attachment)
		case h.found && !tablesCollected(scopes, h):
			need = []string{"hub_route_tables"}
			where = h.provider + "/" + h.account + "/" + h.region + ":hub_route_tables"
			why = fmt.Sprintf("the route tables of Kong's hub %s were not collected: no scope of its owner %s in %s read hub route tables (AWS shows a transit gateway's route tables only to its owner); scan that account", h.id, h.account, h.region)
		default:
			continue
		}
		for _, r := range rules {
			if !appliesTo(r, h.provider) || !slices.ContainsFunc(r.Inputs, func(c string) bool { return slices.Contains(need, c) }) {
				continue
			}
			out = append(out, NotEvaluated{RuleID: r.ID, Scope: where, Reason: why})
		}
	}
	return out
}

// tablesCollected reports whether a scope of hub h's provider and account, in its
// region (or a global one: Azure lists per subscription), collected hub route tables.
func tablesCollected(scopes []snapshot.Scope, h kongHub) bool {
	return slices.ContainsFunc(scopes, func(s snapshot.Scope) bool {
		return s.Provider == h.provider && s.Account == h.account &&
			(s.Region == h.region || s.Region == "global" || s.Region == "") &&
			slices.Contains(s.Collections, "hub_route_tables")
	})
}
