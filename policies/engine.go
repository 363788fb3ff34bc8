package policies

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Options say which rules to load and with which config.
type Options struct {
	// Dirs are user rule directories (--policy DIR, repeatable), read recursively for
	// *.rego; *_test.rego files are Rego tests and only RunTests loads them.
	Dirs []string
	// Params become data.config.
	Params Params
	// Builtin overrides the embedded rules (tests); nil means the embedded policies/ tree.
	Builtin fs.FS
}

// Engine evaluates the built-in and user rules on snapshots. It is compiled and
// prepared once by New and safe for concurrent use.
type Engine struct {
	rules    []Rule
	prepared []rego.PreparedEvalQuery // prepared[i] evaluates data.<rules[i].Package>.deny
}

// New loads the rules, checks their metadata, compiles them once and prepares one
// query per rule. A rule that cannot run is an error, never skipped.
func New(ctx context.Context, opts Options) (*Engine, error) {
	mods, err := loadModules(opts.Builtin, opts.Dirs, false)
	if err != nil {
		return nil, err
	}
	found, err := findRules(mods)
	if err != nil {
		return nil, err
	}
	compiler, err := compile(mods)
	if err != nil {
		return nil, err
	}
	store, err := configStore(opts.Params)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		rules:    make([]Rule, len(found)),
		prepared: make([]rego.PreparedEvalQuery, len(found)),
	}
	for i, r := range found {
		e.rules[i] = r.Rule
		query := ast.NewBody(ast.NewExpr(ast.NewTerm(r.path.Append(ast.StringTerm("deny")))))
		pq, err := rego.New(
			rego.Compiler(compiler),
			rego.Store(store),
			rego.ParsedQuery(query),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("prepare rule %s (%s): %w", r.ID, r.File, err)
		}
		e.prepared[i] = pq
	}
	return e, nil
}

// configStore is an in-memory store holding params as data.config. A list the
// caller left nil becomes an empty list, not null, so rules can iterate it.
func configStore(params Params) (storage.Store, error) {
	pv := reflect.ValueOf(&params).Elem()
	for i := range pv.NumField() {
		if f := pv.Field(i); f.Kind() == reflect.Slice && f.IsNil() && f.CanSet() {
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
		}
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	var config map[string]any
	if err := json.Unmarshal(raw, &config); err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	return inmem.NewFromObjectWithOpts(map[string]any{"config": config}, inmem.OptRoundTripOnWrite(false)), nil
}

// Rules returns the loaded rules sorted by id.
func (e *Engine) Rules() []Rule { return slices.Clone(e.rules) }

// Evaluate runs every rule on the snapshot. Findings come from the data that was
// read; a rule whose inputs come from a failed or partial scope, or from a collection
// no scope collected, is also reported as not evaluated there. A rule that fails at
// run time (a built-in error, a malformed deny element) makes Evaluate fail.
func (e *Engine) Evaluate(ctx context.Context, snap *snapshot.Snapshot) (*Result, error) {
	if snap == nil {
		return nil, errors.New("evaluate: no snapshot")
	}
	input, err := inputValue(snap)
	if err != nil {
		return nil, fmt.Errorf("convert snapshot to policy input: %w", err)
	}

	perRule := make([][]Finding, len(e.rules))
	errs := make([]error, len(e.rules))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(e.rules)) {
		wg.Go(func() {
			for i := range next {
				perRule[i], errs[i] = e.evalRule(ctx, i, input)
			}
		})
	}
	for i := range e.rules {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	res := &Result{
		Rules:            e.Rules(),
		Findings:         []Finding{},
		NotEvaluated:     notEvaluated(e.rules, snap.Scopes),
		IncompleteScopes: incompleteScopes(snap.Scopes),
	}
	for _, fs := range perRule {
		res.Findings = append(res.Findings, fs...)
	}
	if len(res.Findings) > 0 {
		locs := locations(snap)
		for i := range res.Findings {
			f := &res.Findings[i]
			if l, ok := locs[f.ResourceID]; ok {
				f.Provider, f.Account, f.Region = l.provider, l.account, l.region
			}
		}
	}
	sort.Slice(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		return cmp.Or(
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.ResourceID, b.ResourceID),
			cmp.Compare(a.Key, b.Key),
			cmp.Compare(a.Message, b.Message),
		) < 0
	})
	return res, nil
}

// evalRule evaluates rule i and decodes its deny set.
func (e *Engine) evalRule(ctx context.Context, i int, input ast.Value) ([]Finding, error) {
	r := e.rules[i]
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("rule %s (%s): %w", r.ID, r.File, err)
	}
	rs, err := e.prepared[i].Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("rule %s (%s): %w", r.ID, r.File, err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		// deny is a partial set, so it is always defined; an empty result means
		// the package's deny vanished, which the metadata check rules out.
		return nil, fmt.Errorf("rule %s (%s): deny is undefined", r.ID, r.File)
	}
	elems, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, fmt.Errorf("rule %s (%s): deny is not a set", r.ID, r.File)
	}
	out := make([]Finding, 0, len(elems))
	for _, el := range elems {
		f, err := decodeFinding(el)
		if err != nil {
			return nil, fmt.Errorf("rule %s (%s): deny element %s: %w", r.ID, r.File, brief(el), err)
		}
		f.RuleID, f.Severity = r.ID, r.Severity
		out = append(out, f)
	}
	return out, nil
}

// decodeFinding checks the shape of one deny element: an object with a non-empty
// string resource and msg, an optional string key and an optional object evidence.
func decodeFinding(el any) (Finding, error) {
	obj, ok := el.(map[string]any)
	if !ok {
		return Finding{}, errors.New(`want an object {"resource": id, "msg": text, "key": k, "evidence": {...}}`)
	}
	var f Finding
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := obj[k]
		switch k {
		case "resource", "msg", "key":
			s, ok := v.(string)
			if !ok {
				return Finding{}, fmt.Errorf("%s: want a string, got %s", k, typeName(v))
			}
			switch k {
			case "resource":
				f.ResourceID = s
			case "msg":
				f.Message = s
			case "key":
				f.Key = s
			}
		case "evidence":
			m, ok := v.(map[string]any)
			if !ok {
				return Finding{}, fmt.Errorf("evidence: want an object, got %s", typeName(v))
			}
			f.Evidence = m
		default:
			return Finding{}, fmt.Errorf("unknown key %q (want resource, msg, key, evidence)", k)
		}
	}
	if f.ResourceID == "" {
		return Finding{}, errors.New("resource: missing or empty")
	}
	if f.Message == "" {
		return Finding{}, errors.New("msg: missing or empty")
	}
	return f, nil
}

// brief renders a deny element for an error message, cut to a readable length.
func brief(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const max = 200
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
