package policies

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// builtinID is the form of a built-in rule id; user rules may not use the prefix.
var builtinID = regexp.MustCompile(`^DCGW-(ATT|CIDR|DNS|FW|HUB|EP|TLS)-[0-9]{3}$`)

const builtinIDPrefix = "DCGW-"

// Values accepted in METADATA custom.
var (
	knownConnectivity = []string{"edge", "hub", "peering", "private-endpoint"}
	knownProviders    = []string{"aws", "azure", "gcp", "konnect"}
	customKeys        = []string{"connectivity", "cost", "id", "inputs", "providers", "remediation", "severity"}
)

// cost is a rule's evaluation cost on a large estate relative to the other rules
// (METADATA custom.cost): low, medium or high, medium when the rule does not say. The
// engine starts the groups with the costliest rules first.
type cost string

// costs are the known costs, cheapest first.
var costs = []cost{"low", "medium", "high"}

// rank orders costs: low 0, medium 1, high 2; an unknown cost is -1.
func (c cost) rank() int { return slices.Index(costs, c) }

// rulePackage is a rule found in the modules: its metadata, the package it lives in
// and what the engine needs to schedule it.
type rulePackage struct {
	Rule
	path ast.Ref // data.<package>
	cost cost
}

// locError is a problem at a place in a .rego file.
type locError struct {
	file string
	row  int
	msg  string
}

func (e locError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.row, e.msg) }

// joinLocErrors sorts errs by file, row and message and joins them.
func joinLocErrors(errs []locError) error {
	slices.SortFunc(errs, func(a, b locError) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.row, b.row), cmp.Compare(a.msg, b.msg))
	})
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}

// pkgInfo gathers what the modules of one package say about it.
type pkgInfo struct {
	path    ast.Ref
	builtin bool
	// meta are the package-scope annotations that carry custom, with their file.
	meta []annotated
	// deny are the rules whose head starts with deny, with their file.
	deny []denyRule
}

type annotated struct {
	file string
	a    *ast.Annotations
}

type denyRule struct {
	file string
	rule *ast.Rule
}

// findRules reads the rule metadata of every non-test module and checks it: a rule is
// a package with a package-scope METADATA block that has custom.id and a partial set
// rule deny. The rules come back sorted by id.
func findRules(mods []module) ([]rulePackage, error) {
	var order []string
	pkgs := map[string]*pkgInfo{}
	for _, m := range mods {
		if m.test {
			continue
		}
		key := m.ast.Package.Path.String()
		p, ok := pkgs[key]
		if !ok {
			p = &pkgInfo{path: m.ast.Package.Path, builtin: m.builtin}
			pkgs[key] = p
			order = append(order, key)
		}
		for _, a := range m.ast.Annotations {
			if a.Scope == "package" && a.Custom != nil {
				p.meta = append(p.meta, annotated{file: m.name, a: a})
			}
		}
		for _, r := range m.ast.Rules {
			if ref := r.Head.Ref(); len(ref) > 0 && ref[0].Equal(ast.VarTerm("deny")) {
				p.deny = append(p.deny, denyRule{file: m.name, rule: r})
			}
		}
	}

	var errs []locError
	var rules []rulePackage
	for _, key := range order {
		p := pkgs[key]
		pkgName := strings.TrimPrefix(key, "data.")
		if len(p.meta) == 0 {
			if len(p.deny) > 0 {
				d := p.deny[0]
				errs = append(errs, locError{d.file, d.rule.Location.Row,
					fmt.Sprintf("package %s defines deny but has no METADATA block with custom.id above its package line", pkgName)})
			}
			continue
		}
		for _, extra := range p.meta[1:] {
			errs = append(errs, locError{extra.file, extra.a.Location.Row,
				fmt.Sprintf("package %s has a second METADATA block with custom (first at %s:%d); one rule per package",
					pkgName, p.meta[0].file, p.meta[0].a.Location.Row)})
		}
		r, rerrs := decodeRule(p, pkgName)
		errs = append(errs, rerrs...)
		if r.ID != "" {
			rules = append(rules, r)
		}
	}

	// Stable: of two rules with one id, the one loaded first (built-in before user
	// directories, then by path) is the original and the other the duplicate.
	slices.SortStableFunc(rules, func(a, b rulePackage) int { return cmp.Compare(a.ID, b.ID) })
	for i := 1; i < len(rules); i++ {
		if prev, r := rules[i-1], rules[i]; prev.ID == r.ID {
			errs = append(errs, locError{r.File, r.Row,
				fmt.Sprintf("duplicate rule id %s (also at %s:%d)", r.ID, prev.File, prev.Row)})
		}
	}
	if len(errs) > 0 {
		return nil, joinLocErrors(errs)
	}
	return rules, nil
}

// decodeRule turns the package's first custom METADATA block into a rule and checks
// it and the package's deny rules.
func decodeRule(p *pkgInfo, pkgName string) (rulePackage, []locError) {
	meta := p.meta[0]
	a := meta.a
	rp := rulePackage{path: p.path, cost: "medium"}
	r := &rp.Rule
	*r = Rule{
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Package:     pkgName,
		File:        meta.file,
		Row:         a.Location.Row,
		Builtin:     p.builtin,
	}
	for _, rr := range a.RelatedResources {
		r.Links = append(r.Links, rr.Ref.String())
	}

	var errs []locError
	label := "package " + pkgName
	fail := func(format string, args ...any) {
		errs = append(errs, locError{r.File, r.Row, label + ": " + fmt.Sprintf(format, args...)})
	}

	var severity string
	for _, k := range slices.Sorted(maps.Keys(a.Custom)) {
		v := a.Custom[k]
		var err error
		switch k {
		case "id":
			r.ID, err = customString(v)
		case "severity":
			severity, err = customString(v)
		case "remediation":
			r.Remediation, err = customString(v)
			r.Remediation = strings.TrimSpace(r.Remediation)
		case "connectivity":
			r.Connectivity, err = customList(v)
		case "providers":
			r.Providers, err = customList(v)
		case "inputs":
			r.Inputs, err = customList(v)
		case "cost":
			var c string
			if c, err = customString(v); err == nil {
				rp.cost = cost(c)
			}
		default:
			err = fmt.Errorf("unknown key (want one of %s)", strings.Join(customKeys, ", "))
		}
		if err != nil {
			// The label is not known yet; fixed below once the id is read.
			errs = append(errs, locError{r.File, r.Row, fmt.Sprintf("METADATA custom.%s: %v", k, err)})
		}
	}
	if r.ID != "" {
		label = "rule " + r.ID
	}
	for i := range errs {
		errs[i].msg = label + ": " + errs[i].msg
	}

	if r.ID == "" {
		fail("METADATA custom.id is missing")
	} else if p.builtin && !builtinID.MatchString(r.ID) {
		fail("built-in rule id %q does not match %s", r.ID, builtinID)
	} else if !p.builtin && strings.HasPrefix(r.ID, builtinIDPrefix) {
		fail("rule id %q: the %s prefix is reserved for built-in rules", r.ID, builtinIDPrefix)
	}
	if severity == "" {
		fail("METADATA custom.severity is missing")
	} else if sev, err := ParseSeverity(severity); err != nil {
		fail("METADATA custom.severity: %v", err)
	} else {
		r.Severity = sev
	}
	if r.Title == "" {
		fail("METADATA title is missing")
	}
	if r.Description == "" {
		fail("METADATA description is missing")
	}
	if r.Remediation == "" {
		fail("METADATA custom.remediation is missing")
	}
	for _, c := range r.Connectivity {
		if !slices.Contains(knownConnectivity, c) {
			fail("METADATA custom.connectivity: unknown connectivity %q (want %s)", c, strings.Join(knownConnectivity, ", "))
		}
	}
	for _, pr := range r.Providers {
		if !slices.Contains(knownProviders, pr) {
			fail("METADATA custom.providers: unknown provider %q (want %s)", pr, strings.Join(knownProviders, ", "))
		}
	}
	if rp.cost.rank() < 0 {
		fail("METADATA custom.cost: unknown cost %q (want low, medium or high)", rp.cost)
	}
	if len(r.Inputs) == 0 {
		fail("METADATA custom.inputs is missing (list the snapshot collections the rule reads)")
	}
	for _, in := range r.Inputs {
		if !snapshot.IsCollection(in) {
			fail("METADATA custom.inputs: unknown snapshot collection %q", in)
		}
	}

	for _, d := range p.deny {
		if len(d.rule.Head.Ref()) == 1 && len(d.rule.Head.Args) == 0 && d.rule.Head.RuleKind() == ast.MultiValue {
			continue
		}
		errs = append(errs, locError{d.file, d.rule.Location.Row,
			label + ": deny must be a partial set rule (deny contains f if { ... })"})
	}
	if len(p.deny) == 0 {
		fail("no deny rule: a rule package must define deny as a partial set (deny contains f if { ... })")
	}
	return rp, errs
}

// customString reads a string METADATA value.
func customString(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %s", typeName(v))
	}
	return s, nil
}

// customList reads a list of strings METADATA value.
func customList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings, got %s", typeName(v))
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("want a list of strings, got an element of type %s", typeName(x))
		}
		out = append(out, s)
	}
	return out, nil
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	default:
		return "number"
	}
}
