package policies

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"reflect"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/dcgw-scan/dcgw-scan/reach"
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
	// Disabled are rule ids, or id prefixes ending in "*" ("DCGW-HUB-*"), of rules not
	// to evaluate. A pattern that matches no loaded rule is an error: a typo would
	// otherwise leave the rule on without a word.
	Disabled []string
	// Severities override rules' default severities by id (config "severities"): an
	// organization's own risk rating, e.g. a missing WAF as low. An id that names no
	// loaded rule, or a value that is not a severity, is an error.
	Severities map[string]Severity
	// Parallelism is how many rule groups evaluate at once; 0 means
	// DefaultParallelism. The groups are independent queries over the same read-only
	// input; each running group adds its own working set to the memory in use (1
	// evaluates the groups one after the other).
	Parallelism int
}

// Engine evaluates the built-in and user rules on snapshots. It is compiled and
// prepared once by New and safe for concurrent use.
type Engine struct {
	rules []Rule
	// groups evaluate the rules family by family (groupRules): one evaluation per group
	// binds the deny set of each of its rules to a variable, so the library helpers its
	// rules share (topology, edge, routes) are computed once per group, and what a
	// group built is garbage as soon as it is done. Up to parallelism groups run at
	// once, the costliest first (groupRules). On a large estate that bounds the
	// memory of evaluation to the input plus the work of the groups running, at the
	// price of computing a helper once per group that uses it instead of once.
	groups      []ruleGroup
	parallelism int
	// reach are the reachability model's options (Params.ReachOptions).
	reach reach.Options
}

// ruleGroup is one prepared query over some of the rules.
type ruleGroup struct {
	// rules are indexes into Engine.rules; rules[j]'s deny set is bound to ruleVar(j).
	rules []int
	query rego.PreparedEvalQuery
}

// DefaultParallelism is how many rule groups evaluate at once unless Options say
// otherwise: two, or one on a single core. Each running group adds its working set to
// the memory in use, and the two costliest families take most of the time of a check
// on a large estate, with the others fitting beside them.
func DefaultParallelism() int { return min(runtime.GOMAXPROCS(0), 2) }

// groupRules splits the rules into evaluation groups, one per family (Rule.Family),
// and orders the groups for evaluation: by the highest cost (METADATA custom.cost) of
// their rules, the costliest first, so that with several groups at once a long one
// does not start last; groups of equal cost in the order their rules are found. A
// group lists indexes into found, in order.
func groupRules(found []rulePackage) [][]int {
	byFamily := map[string][]int{}
	cost := map[string]int{}
	var order []string
	for i, r := range found {
		fam := r.Family()
		if _, ok := byFamily[fam]; !ok {
			order = append(order, fam)
		}
		byFamily[fam] = append(byFamily[fam], i)
		cost[fam] = max(cost[fam], r.cost.rank())
	}
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(cost[b], cost[a]) })
	groups := make([][]int, len(order))
	for i, fam := range order {
		groups[i] = byFamily[fam]
	}
	return groups
}

// enabled drops the rules that match a disabled pattern (an id, or a prefix ending in
// "*"); every pattern must match some rule.
func enabled(found []rulePackage, disabled []string) ([]rulePackage, error) {
	if len(disabled) == 0 {
		return found, nil
	}
	matches := func(pattern, id string) bool {
		if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
			return strings.HasPrefix(id, prefix)
		}
		return pattern == id
	}
	used := make([]bool, len(disabled))
	kept := found[:0:0]
	for _, r := range found {
		off := false
		for i, p := range disabled {
			if matches(p, r.ID) {
				used[i], off = true, true
			}
		}
		if !off {
			kept = append(kept, r)
		}
	}
	var errs []error
	for i, p := range disabled {
		if !used[i] {
			errs = append(errs, fmt.Errorf("disabled rule %q matches no rule", p))
		}
	}
	return kept, errors.Join(errs...)
}

// overrideSeverities sets the severities the config gives by rule id.
func overrideSeverities(found []rulePackage, by map[string]Severity) error {
	var errs []error
	for _, id := range slices.Sorted(maps.Keys(by)) {
		sev := by[id]
		if sev.Rank() < 0 {
			errs = append(errs, fmt.Errorf("severities: %s: %q is not a severity (critical, high, medium, low or info)", id, sev))
			continue
		}
		i := slices.IndexFunc(found, func(r rulePackage) bool { return r.ID == id })
		if i < 0 {
			errs = append(errs, fmt.Errorf("severities: %q names no rule that is loaded and enabled", id))
			continue
		}
		found[i].Severity = sev
	}
	return errors.Join(errs...)
}

// ruleVar is the query variable rule i's deny set is bound to.
func ruleVar(i int) string { return fmt.Sprintf("rule%d", i) }

// New loads the rules, checks their metadata, compiles them once and prepares one
// query for all the rules not disabled. A rule that cannot run is an error, never
// skipped.
func New(ctx context.Context, opts Options) (*Engine, error) {
	mods, err := loadModules(opts.Builtin, opts.Dirs, false)
	if err != nil {
		return nil, err
	}
	found, err := findRules(mods)
	if err != nil {
		return nil, err
	}
	if found, err = enabled(found, opts.Disabled); err != nil {
		return nil, err
	}
	if err := overrideSeverities(found, opts.Severities); err != nil {
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
	e := &Engine{rules: make([]Rule, len(found))}
	for i, r := range found {
		e.rules[i] = r.Rule
	}
	e.reach = engineReachOptions(opts.Params)
	e.parallelism = opts.Parallelism
	if e.parallelism <= 0 {
		e.parallelism = DefaultParallelism()
	}
	for _, idx := range groupRules(found) {
		body := make(ast.Body, 0, len(idx))
		for j, i := range idx {
			deny := ast.NewTerm(found[i].path.Append(ast.StringTerm("deny")))
			body = append(body, ast.Equality.Expr(ast.VarTerm(ruleVar(j)), deny))
		}
		query, err := rego.New(
			rego.Compiler(compiler),
			rego.Store(store),
			rego.ParsedQuery(body),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("prepare rules: %w", err)
		}
		e.groups = append(e.groups, ruleGroup{rules: idx, query: query})
	}
	return e, nil
}

// configStore is an in-memory store holding params as data.config. A list the
// caller left nil becomes an empty list (a map an empty object), not null, so rules can
// iterate it.
func configStore(params Params) (storage.Store, error) {
	pv := reflect.ValueOf(&params).Elem()
	for i := range pv.NumField() {
		f := pv.Field(i)
		switch {
		case !f.CanSet() || !f.IsZero():
		case f.Kind() == reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
		case f.Kind() == reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
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

// Input is a snapshot made ready for evaluation: the policy input document (the
// snapshot's JSON form plus the derived reach member, see inputValue), and what the
// results need from the snapshot (its scopes, its coverage gaps and where each entity
// lives). Once it is made, the snapshot's entity collections are no longer read
// (ConsumeInput releases them while it converts).
type Input struct {
	value  ast.Value
	scopes []snapshot.Scope
	gaps   []snapshot.CoverageGap
	locs   locationIndex
}

// NewInput converts the snapshot for evaluation by this engine (the reachability
// model is built with the engine's parameters).
func (e *Engine) NewInput(snap *snapshot.Snapshot) (*Input, error) { return e.newInput(snap, false) }

// ConsumeInput is NewInput for a caller that needs nothing but the scopes from the
// snapshot afterwards (and the Document's spans): it drops each entity collection as
// soon as it is converted, and leaves the snapshot as ReleaseEntities does, so a large
// estate is never held twice in memory.
func (e *Engine) ConsumeInput(snap *snapshot.Snapshot) (*Input, error) { return e.newInput(snap, true) }

func (e *Engine) newInput(snap *snapshot.Snapshot, consume bool) (*Input, error) {
	if snap == nil {
		return nil, errors.New("evaluate: no snapshot")
	}
	in := &Input{scopes: slices.Clone(snap.Scopes), gaps: snap.CoverageGaps(), locs: locations(snap)}
	value, err := inputValue(snap, newReachInput(reach.Build(snap, e.reach)), consume)
	if err != nil {
		return nil, fmt.Errorf("convert snapshot to policy input: %w", err)
	}
	in.value = value
	return in, nil
}

// Evaluate runs every rule on the snapshot: NewInput, then EvaluateInput.
func (e *Engine) Evaluate(ctx context.Context, snap *snapshot.Snapshot) (*Result, error) {
	in, err := e.NewInput(snap)
	if err != nil {
		return nil, err
	}
	return e.EvaluateInput(ctx, in)
}

// EvaluateInput runs every rule on a converted snapshot. Findings come from the data
// that was read; a rule is also reported as not evaluated where a coverage gap of the
// snapshot misses one of its inputs (a failed or partial scope, a collection no scope
// collected). A rule that fails at run time (a built-in error, a malformed deny
// element) makes it fail.
func (e *Engine) EvaluateInput(ctx context.Context, in *Input) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("evaluate rules: %w", err)
	}
	perRule := make([][]Finding, len(e.rules))
	if err := e.evalGroups(ctx, in, perRule); err != nil {
		return nil, err
	}

	res := &Result{
		Rules:            e.Rules(),
		Findings:         []Finding{},
		NotEvaluated:     notEvaluated(e.rules, in.gaps),
		IncompleteScopes: incompleteScopes(in.scopes),
	}
	for _, fs := range perRule {
		res.Findings = append(res.Findings, fs...)
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if l, ok := in.locs.of(f.ResourceID); ok {
			f.Provider, f.Account, f.Region = l.provider, l.account, l.region
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

// groupWorkers is how many groups evaluate at once: parallelism, unless the live heap
// (the input, mostly) already takes more than 2/5 of the soft memory limit. Each group
// evaluating holds its own intermediate values; two at once on a large estate leave the
// garbage collector so little room under the limit that it runs nearly nonstop, and one
// at a time is then as fast (the idle core marks) with a lower peak. Measured on the
// 10k synthetic estate, 2 cores, the limit 900 MiB: wall 22.3/21.8 s in parallel, 22.7/21.6 s
// one at a time; CPU 36.0/35.3 s against 32.9/31.7 s; peak RSS 1035 against 955 MB.
func groupWorkers(parallelism int, live, limit uint64) int {
	if parallelism > 1 && limit > 0 && live > limit/5*2 {
		return 1
	}
	return parallelism
}

// heapNow is the live heap as of the last garbage collection and the soft memory
// limit (0 when there is none).
func heapNow() (live, limit uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = s[0].Value.Uint64()
	}
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		limit = uint64(l)
	}
	return live, limit
}

// evalGroups evaluates every group, up to e.parallelism at once, taking them in the
// order of e.groups. Each group fills its own rules' entries of perRule. A failure
// stops the groups still running; the error reported is that of the first group (in
// that order) that failed on its own, not one stopped because another failed.
func (e *Engine) evalGroups(ctx context.Context, in *Input, perRule [][]Finding) error {
	live, limit := heapNow()
	workers := groupWorkers(min(e.parallelism, len(e.groups)), live, limit)
	if workers <= 1 {
		for _, g := range e.groups {
			if err := e.evalGroup(ctx, g, in, perRule); err != nil {
				return err
			}
		}
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(e.groups))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if errs[i] = e.evalGroup(ctx, e.groups[i], in, perRule); errs[i] != nil {
					cancel()
				}
			}
		})
	}
	for i := range e.groups {
		next <- i
	}
	close(next)
	wg.Wait()
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || (isCanceled(first) && !isCanceled(err))) {
			first = err
		}
	}
	return first
}

// isCanceled holds for the error of an evaluation stopped by a cancelled context.
func isCanceled(err error) bool {
	var te *topdown.Error
	return errors.Is(err, context.Canceled) || (errors.As(err, &te) && te.Code == topdown.CancelErr)
}

// evalGroup evaluates one group's rules and decodes their deny sets into perRule.
func (e *Engine) evalGroup(ctx context.Context, g ruleGroup, in *Input, perRule [][]Finding) error {
	rs, err := g.query.Eval(ctx, rego.EvalParsedInput(in.value))
	if err != nil {
		return e.ruleError(err)
	}
	if len(rs) == 0 {
		// deny is a partial set, so it is always defined; no result means a
		// package's deny vanished, which the metadata check rules out.
		return errors.New("evaluate rules: a deny set is undefined")
	}
	for j, i := range g.rules {
		if perRule[i], err = e.decodeRule(i, rs[0].Bindings[ruleVar(j)]); err != nil {
			return err
		}
	}
	return nil
}

// ruleError names the rule an evaluation error comes from, found by the file OPA
// locates the error in; an error in a shared library file names no rule.
func (e *Engine) ruleError(err error) error {
	var te *topdown.Error
	if errors.As(err, &te) && te.Location != nil {
		for _, r := range e.rules {
			if r.File == te.Location.File {
				return fmt.Errorf("rule %s (%s): %w", r.ID, r.File, err)
			}
		}
	}
	return fmt.Errorf("evaluate rules: %w", err)
}

// decodeRule decodes rule i's deny set.
func (e *Engine) decodeRule(i int, v any) ([]Finding, error) {
	r := e.rules[i]
	elems, ok := v.([]any)
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
	for _, k := range slices.Sorted(maps.Keys(obj)) {
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
		case "path":
			hops, err := decodePath(v)
			if err != nil {
				return Finding{}, fmt.Errorf("path: %w", err)
			}
			f.Path = hops
		default:
			return Finding{}, fmt.Errorf("unknown key %q (want resource, msg, key, evidence, path)", k)
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

// decodePath decodes a deny element's path: an array of hops as input.reach.flows
// carries them (reach.Hop); a member a hop does not have is an error.
func decodePath(v any) ([]reach.Hop, error) {
	if _, ok := v.([]any); !ok {
		return nil, fmt.Errorf("want an array of hops, got %s", typeName(v))
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var hops []reach.Hop
	if err := dec.Decode(&hops); err != nil {
		return nil, fmt.Errorf("want hops as in input.reach.flows[_].hops: %w", err)
	}
	for i, h := range hops {
		if h.ResourceID == "" {
			return nil, fmt.Errorf("hop %d: resource_id: missing or empty", i)
		}
	}
	return hops, nil
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
