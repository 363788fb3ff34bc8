package policies

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/version"

	"github.com/dcgw-scan/dcgw-scan/internal/synth"
)

// TestBuiltinRulesLoad loads the real embedded rules: a rule whose metadata is broken
// fails here.
func TestBuiltinRulesLoad(t *testing.T) {
	t.Parallel()
	e, err := New(t.Context(), Options{Params: DefaultParams()})
	if err != nil {
		t.Fatalf("built-in rules do not load:\n%v", err)
	}
	if len(e.Rules()) == 0 {
		t.Fatal("no built-in rules")
	}
	for _, r := range e.Rules() {
		if !r.Builtin || !strings.HasPrefix(r.File, builtinPrefix) {
			t.Errorf("rule %s: Builtin=%v File=%q, want a built-in under %s", r.ID, r.Builtin, r.File, builtinPrefix)
		}
	}
}

// TestBuiltinRegoTests runs every built-in Rego test through RunTests (the production
// compiler) and checks that every built-in rule has tests.
func TestBuiltinRegoTests(t *testing.T) {
	t.Parallel()
	results, err := RunTests(t.Context(), Options{Params: DefaultParams()})
	if err != nil {
		t.Fatalf("RunTests: %v", err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests ran")
	}
	passed := 0
	for _, r := range results {
		switch {
		case r.Err != "":
			t.Errorf("%s:%d: %s.%s: error: %s", r.File, r.Row, r.Package, r.Name, r.Err)
		case r.Fail:
			t.Errorf("%s:%d: %s.%s: FAIL", r.File, r.Row, r.Package, r.Name)
		case r.Pass:
			passed++
		default:
			t.Logf("%s:%d: %s.%s: skipped", r.File, r.Row, r.Package, r.Name)
		}
	}
	t.Logf("%d Rego tests passed", passed)

	// Every rule is referred to by at least one test file.
	e, err := New(t.Context(), Options{Params: DefaultParams()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mods, err := loadModules(nil, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{} // rule packages a test module refers to
	for _, m := range mods {
		if !m.test {
			continue
		}
		ast.WalkRefs(m.ast, func(ref ast.Ref) bool {
			tested[ref.String()] = true
			return false
		})
		for _, imp := range m.ast.Imports {
			tested[imp.Path.String()] = true
		}
	}
	for _, r := range e.Rules() {
		path := "data." + r.Package
		found := false
		for ref := range tested {
			if ref == path || strings.HasPrefix(ref, path+".") || strings.HasPrefix(ref, path+"[") {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("rule %s (%s) has no tests: no *_test.rego refers to %s", r.ID, r.File, path)
		}
	}
}

// TestBuiltinRulesEvaluate runs the real rules on a synthetic estate: every deny
// element must have the right shape and no built-in may fail.
func TestBuiltinRulesEvaluate(t *testing.T) {
	t.Parallel()
	e, err := New(t.Context(), Options{Params: DefaultParams()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	snap := synth.Generate(synth.Options{Networks: 300, Seed: 1})
	res, err := e.Evaluate(t.Context(), snap)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	// A finding's resource is an entity of the snapshot: one with a location, a DNS
	// resolution or a custom domain.
	known := map[string]bool{}
	for _, r := range snap.DNSResolutions {
		known[r.ID] = true
	}
	for _, d := range snap.Konnect.CustomDomains {
		known[d.ID] = true
	}
	perRule := map[string]int{}
	for _, f := range res.Findings {
		perRule[f.RuleID]++
		if f.Provider == "" && !known[f.ResourceID] {
			t.Errorf("finding %s on %s: resource not found in the snapshot", f.RuleID, f.ResourceID)
		}
	}
	t.Logf("%d findings %v, %d not evaluated", len(res.Findings), perRule, len(res.NotEvaluated))
}

// TestBuiltinRegoFormatted checks every built-in Rego file is formatted as `opa fmt`
// of the OPA version the scanner embeds would format it.
func TestBuiltinRegoFormatted(t *testing.T) {
	t.Parallel()
	err := fs.WalkDir(BuiltinFS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return err
		}
		src, err := fs.ReadFile(BuiltinFS(), path)
		if err != nil {
			return err
		}
		got, err := format.SourceWithOpts(path, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			return fmt.Errorf("format %s: %w", path, err)
		}
		if !bytes.Equal(got, src) {
			t.Errorf("policies/%s is not formatted: run opa fmt -w (OPA %s)", path, version.Version)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
