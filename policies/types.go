package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/reach"
)

// Severity is a rule's severity. The order is info < low < medium < high < critical.
type Severity string

// Severities, lowest first.
const (
	SeverityInfo     Severity = "info"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Rank orders severities: info 0 … critical 4; an unknown severity is -1.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 0
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return -1
}

// ParseSeverity checks a severity name.
func ParseSeverity(s string) (Severity, error) {
	sev := Severity(s)
	if sev.Rank() < 0 {
		return "", fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", s)
	}
	return sev, nil
}

// Rule is a rule's metadata, decoded from its METADATA block.
type Rule struct {
	// ID is the stable rule id, DCGW-<FAMILY>-NNN for built-in rules.
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	// Connectivity are the connectivity types it applies to: peering, hub, private-endpoint, edge.
	Connectivity []string `json:"connectivity,omitempty"`
	// Providers are the providers it applies to: aws, azure, gcp, konnect.
	Providers []string `json:"providers,omitempty"`
	// Inputs are the snapshot collections the rule reads (see snapshot.Collections).
	Inputs      []string `json:"inputs,omitempty"`
	Remediation string   `json:"remediation"`
	Links       []string `json:"links,omitempty"`
	// Package is the Rego package path without the data. prefix.
	Package string `json:"package"`
	// File and Row locate the METADATA block.
	File string `json:"file"`
	Row  int    `json:"row"`
	// Builtin is true for rules embedded in the binary.
	Builtin bool `json:"builtin"`
}

// Family is the rule family taken from the id (CIDR in DCGW-CIDR-001), or "CUSTOM".
func (r Rule) Family() string {
	var fam string
	if n, _ := fmt.Sscanf(r.ID, "DCGW-%s", &fam); n == 1 {
		for i := len(fam) - 1; i >= 0; i-- {
			if fam[i] == '-' {
				return fam[:i]
			}
		}
	}
	return "CUSTOM"
}

// Finding is one violation: a rule, a resource, and what is wrong with it.
type Finding struct {
	RuleID   string   `json:"rule_id"`
	Severity Severity `json:"severity"`
	// ResourceID is the id of the offending entity in the snapshot.
	ResourceID string `json:"resource_id"`
	// Key tells two findings of one rule on one resource apart (a rule id, a CIDR
	// pair); it is part of the fingerprint, so it must be stable across runs.
	Key     string `json:"key,omitempty"`
	Message string `json:"message"`
	// Evidence is the data behind the verdict (CIDRs, rule, route).
	Evidence map[string]any `json:"evidence,omitempty"`
	// Path is the ordered hops of the traffic behind the verdict (route entries,
	// peerings, firewall rules), for rules that decide on the reachability model: a deny
	// element's "path", taken from input.reach.flows[_].hops.
	Path []reach.Hop `json:"path,omitempty"`
	// Provider, Account and Region locate the resource, looked up from the snapshot.
	Provider string `json:"provider,omitempty"`
	Account  string `json:"account,omitempty"`
	Region   string `json:"region,omitempty"`
}

// Fingerprint identifies the finding across runs, whatever its message or the lines of
// its resource: the hex SHA-256 of the rule id, the canonical resource id and the key,
// NUL-separated. SARIF uses it as partialFingerprints.primaryLocationLineHash.
func (f Finding) Fingerprint() string {
	sum := sha256.Sum256([]byte(f.RuleID + "\x00" + CanonicalResourceID(f.ResourceID) + "\x00" + f.Key))
	return hex.EncodeToString(sum[:])
}

// CanonicalResourceID trims id and lower-cases Azure resource ids, which Azure treats
// case-insensitively (and returns in varying case).
func CanonicalResourceID(id string) string {
	id = strings.TrimSpace(id)
	if strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
		return strings.ToLower(id)
	}
	return id
}

// RulesDocURL is where the rule reference lives; a rule's anchor is its lower-cased id.
const RulesDocURL = "https://github.com/dcgw-scan/dcgw-scan/blob/main/docs/rules.md#"

// HelpURI is the rule's first link, or its entry in the rule reference.
func (r Rule) HelpURI() string {
	for _, l := range r.Links {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return RulesDocURL + strings.ToLower(r.ID)
}

// NotEvaluated says a rule could not be evaluated for a scope, and why.
type NotEvaluated struct {
	RuleID string `json:"rule_id"`
	// Scope is the scope key (provider/account/region/service), or the collection
	// when no scope covered it.
	Scope  string `json:"scope"`
	Reason string `json:"reason"`
}

// Result is the outcome of evaluating every rule on one snapshot.
type Result struct {
	Rules        []Rule         `json:"rules"`
	Findings     []Finding      `json:"findings"`
	NotEvaluated []NotEvaluated `json:"not_evaluated"`
	// IncompleteScopes are the keys of the snapshot's scopes that failed or are
	// partial, whether or not a rule reads what they would have collected.
	IncompleteScopes []string `json:"incomplete_scopes"`
}

// Incomplete reports whether some scope failed or some rule could not be evaluated
// somewhere: such a scan is never clean.
func (r *Result) Incomplete() bool { return len(r.NotEvaluated) > 0 || len(r.IncompleteScopes) > 0 }
