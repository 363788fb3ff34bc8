package policies

import (
	"cmp"
	"slices"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// notEvaluated lists, for every rule, the scopes whose failure leaves it blind and
// the input collections nobody collected. A rule is blind in a scope that failed or
// is partial, that fills one of the rule's inputs, and whose provider the rule applies
// to (a rule that names no providers applies to all). An input is uncollected when a
// provider that fills it (snapshot.Sources) takes part in the estate but no scope of
// that provider collected it. Konnect and live DNS always take part: every rule is
// about Kong's side too. A cloud takes part when the snapshot has a scope of it.
func notEvaluated(rules []Rule, scopes []snapshot.Scope) []NotEvaluated {
	present := map[string]bool{"konnect": true, "dns": true}
	covered := map[string]bool{} // provider + "/" + collection
	for _, s := range scopes {
		present[s.Provider] = true
		for _, c := range s.Collections {
			covered[s.Provider+"/"+c] = true
		}
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
