package policies

import (
	"cmp"
	"slices"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// notEvaluated lists, for every rule, the places the snapshot leaves it blind: the
// coverage gaps (snapshot.CoverageGaps) that miss one of the rule's inputs for a
// provider the rule applies to (a rule that names no providers applies to all).
func notEvaluated(rules []Rule, gaps []snapshot.CoverageGap) []NotEvaluated {
	out := []NotEvaluated{}
	for _, g := range gaps {
		for _, r := range rules {
			if !appliesTo(r, g.Provider) || !slices.ContainsFunc(g.Collections, func(c string) bool { return slices.Contains(r.Inputs, c) }) {
				continue
			}
			out = append(out, NotEvaluated{RuleID: r.ID, Scope: g.Where, Reason: g.Reason})
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
