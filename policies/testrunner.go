package policies

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego test.
type TestResult struct {
	Package string
	Name    string
	// File and Row locate the test rule.
	File string
	Row  int
	Pass bool
	Fail bool
	// Err is the error the test raised (a built-in error, a timeout), if any; a
	// test with an error is not also counted as failed.
	Err      string
	Duration time.Duration
}

// RunTests runs the Rego tests (test_* rules in *_test.rego files) of the built-in
// rules and the user directories, compiled as the engine compiles rules: the same
// capabilities, strict built-in errors, data.config = opts.Params. The rule metadata is
// checked as New checks it. Every result comes back, sorted by file, row and name; a
// failing test is a result, not an error.
func RunTests(ctx context.Context, opts Options) ([]TestResult, error) {
	mods, err := loadModules(opts.Builtin, opts.Dirs, true)
	if err != nil {
		return nil, err
	}
	if _, err := findRules(mods); err != nil {
		return nil, err
	}
	store, err := configStore(opts.Params)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*ast.Module, len(mods))
	for _, m := range mods {
		byName[m.name] = m.ast
	}
	ch, err := tester.NewRunner().
		SetCompiler(newCompiler()).
		SetStore(store).
		SetModules(byName).
		RaiseBuiltinErrors(true).
		RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("compile policies: %w", err)
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{
			Package: r.Package,
			Name:    r.Name,
			Pass:    r.Pass(),
			Fail:    r.Fail && r.Error == nil, // an error is reported as Err, as opa test does

			Duration: r.Duration,
		}
		if r.Location != nil {
			tr.File, tr.Row = r.Location.File, r.Location.Row
		}
		if r.Error != nil {
			tr.Err = r.Error.Error()
		}
		out = append(out, tr)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("run rego tests: %w", err)
	}
	slices.SortFunc(out, func(a, b TestResult) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Row, b.Row),
			cmp.Compare(a.Package, b.Package), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}
