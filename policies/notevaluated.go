package policies

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// notEvaluated lists, for every rule, the scopes whose failure leaves it blind and
// the input collections no scope collected. A rule is blind in a scope that failed or
// is partial, that fills one of the rule's inputs, and whose provider the rule applies
// to (a rule that names no providers applies to all).
func notEvaluated(rules []Rule, scopes []snapshot.Scope) []NotEvaluated {
	covered := map[string]bool{}
	for _, s := range scopes {
		for _, c := range s.Collections {
			covered[c] = true
		}
	}
	out := []NotEvaluated{}
	for _, r := range rules {
		for _, s := range scopes {
			if s.Status != snapshot.ScopeFailed && s.Status != snapshot.ScopePartial {
				continue
			}
			if len(r.Providers) > 0 && !slices.Contains(r.Providers, s.Provider) {
				continue
			}
			if !slices.ContainsFunc(s.Collections, func(c string) bool { return slices.Contains(r.Inputs, c) }) {
				continue
			}
			out = append(out, NotEvaluated{RuleID: r.ID, Scope: s.Key(), Reason: scopeReason(s)})
		}
		for _, in := range r.Inputs {
			if !covered[in] {
				out = append(out, NotEvaluated{
					RuleID: r.ID,
					Scope:  "collection:" + in,
					Reason: "no scope in the snapshot collected " + in,
				})
			}
		}
	}
	slices.SortFunc(out, func(a, b NotEvaluated) int {
		return cmp.Or(cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Reason, b.Reason))
	})
	return slices.CompactFunc(out, func(a, b NotEvaluated) bool { return a == b })
}

// scopeReason says why a scope did not deliver: its status and each error, as
// "scope failed (denied): DescribeVpcs: not authorized".
func scopeReason(s snapshot.Scope) string {
	if len(s.Errors) == 0 {
		return "scope " + s.Status
	}
	parts := make([]string, len(s.Errors))
	for i, e := range s.Errors {
		msg := e.Message
		if e.Operation != "" {
			msg = e.Operation + ": " + msg
		}
		parts[i] = "(" + e.Class + "): " + msg
	}
	return "scope " + s.Status + " " + strings.Join(parts, "; ")
}
