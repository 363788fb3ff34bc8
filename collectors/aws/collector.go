// Package aws collects the customer's AWS network estate into the normalized snapshot:
// VPCs, routes, peerings, transit gateways, security groups and NACLs, prefix lists,
// load balancers and WAF, Route 53, VPC Lattice resource endpoints and RAM shares, in one
// account or every account of an organization, in every enabled region.
//
// Work is split into units, one per (account, region, service), run with bounded
// concurrency. Each unit records a snapshot.Scope: a unit that fails (access denied, a
// region that is not enabled, throttling past the SDK's retries, a timeout) is a failed
// scope and the others go on, so the rules that needed its data report "not evaluated"
// instead of a clean result. Every call goes through a guard that refuses anything but
// read operations (Describe, List, Get, Search, and STS's identity calls).
//
// Every call has a deadline (CallTimeout, its retries and backoff included), and every
// try a connect and response-header timeout (Timeout), so an endpoint that accepts and
// never answers costs a failed scope of class timeout, not a hung scan. A throttled or
// transiently failing call is tried up to MaxAttempts times with the SDK's adaptive
// retry (exponential backoff with jitter, and a client-side rate that slows down on
// throttling).
package aws

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/errgroup"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Defaults of the Collector's knobs.
const (
	// DefaultConcurrency is how many units run at once. Units spend their time waiting
	// on the network, so this is latency hiding, not CPU. AWS throttles per account and
	// region, and one account-region has at most a unit per service (10), so at most
	// that many of the 128 share a throttle. BenchmarkCollect, 50 ms per call: 4
	// accounts × 4 regions (148 units) take 1.3–1.5× the critical path at 128, 1.6–1.7×
	// at 64, 1.3–1.45× at 256 (README, "Collection").
	DefaultConcurrency = 128
	// DefaultFanout is how many per-item calls one unit makes at once.
	DefaultFanout = 8
	// DefaultUnitTimeout bounds one unit (its scope fails with class timeout after it).
	DefaultUnitTimeout = 5 * time.Minute
	// DefaultMaxAttempts is how many times a call is tried, the first included. The
	// SDK's own default (3) gives up on an account that is throttled three times in a
	// row, which organization-wide scans meet all the time.
	DefaultMaxAttempts = 10
	// DefaultTimeout bounds one try: connecting (TLS included) and then waiting for the
	// response headers.
	DefaultTimeout = 30 * time.Second
	// DefaultCallTimeout bounds one call, every try and the backoff between them
	// included. Ten tries with the SDK's backoff (exponential with jitter, capped at
	// 20 s) wait about a minute on average.
	DefaultCallTimeout = 3 * time.Minute
	// globalCallRegion is where global services (Route 53, Organizations) are called.
	globalCallRegion = "us-east-1"
)

// Collector reads the AWS side of a snapshot. The zero value is not usable: Config must
// hold credentials (config.LoadDefaultConfig gives the standard chain: environment,
// shared profiles, SSO, web identity, instance roles) and a region.
type Collector struct {
	// Config is the base SDK config. Its endpoint resolution is kept, so
	// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> send the calls to emulators and
	// proxies. A nil Retryer gets the SDK's adaptive retry mode with MaxAttempts tries.
	Config aws.Config
	// RoleARN, when set, is assumed first: the estate is the role's account.
	RoleARN string
	// OrgRoleName, when set, scans every active account of the caller's organization
	// by assuming arn:<partition>:iam::<account>:role/<OrgRoleName> in it (the caller's
	// own account is read with the caller's credentials).
	OrgRoleName string
	// ExternalID is passed to AssumeRole when set.
	ExternalID string
	// Regions to read; empty means each account's enabled regions (ec2:DescribeRegions).
	Regions []string
	// Concurrency bounds the units in flight; <= 0 means DefaultConcurrency.
	Concurrency int
	// Fanout bounds one unit's per-item calls in flight; <= 0 means DefaultFanout.
	Fanout int
	// UnitTimeout bounds one unit; <= 0 means DefaultUnitTimeout.
	UnitTimeout time.Duration
	// MaxAttempts is how many times a throttled or transiently failing call is tried,
	// the first included; <= 0 means Config.RetryMaxAttempts (AWS_MAX_ATTEMPTS, a
	// profile's max_attempts) when set, else DefaultMaxAttempts.
	MaxAttempts int
	// Timeout bounds one try of a call: the connection (TLS included) and the wait for
	// the response headers; <= 0 means DefaultTimeout. It applies to the HTTP client
	// the Collector builds (Config.HTTPClient nil or an *awshttp.BuildableClient).
	Timeout time.Duration
	// CallTimeout bounds one call (one page of a list), its tries and the backoff
	// between them included; <= 0 means DefaultCallTimeout. The identity, account and
	// region listings are calls like the others.
	CallTimeout time.Duration
	// Progress, when set, is called after every unit (from several goroutines, one at a time).
	Progress func(Progress)
	// OnCall, when set, is called before every API call is sent (concurrently).
	OnCall func(Call)
	// Logger gets debug lines per unit; nil discards them.
	Logger *slog.Logger

	services []service // nil: allServices (tests narrow it)
	// retryTuning, when set, changes the adaptive retryer's options last (tests make
	// the waits short).
	retryTuning func(*retry.AdaptiveModeOptions)
}

// Progress is how far a collection is.
type Progress struct {
	Accounts, Regions int
	// Done and Total count units; Total grows as accounts and their regions are known.
	Done, Total int
	Calls       int64
	// Failed counts units whose scope failed or is partial.
	Failed int
}

// Call is one API call as the guard saw it.
type Call struct {
	Account, Region string
	// Service is the SDK's service id (EC2, Route 53, …) and Operation its operation name.
	Service, Operation string
	// Action is the IAM action ("ec2:DescribeVpcs").
	Action string
	// Depth is the number of calls this one depends on (pages before it, the list it
	// came from): the longest chain of a collection is max(Depth)+1 calls.
	Depth int
}

// allServices are the services every account and region is read for, those with the
// longest chains of dependent calls first: units take free slots in the order they
// are queued, and a long chain started last would stretch the whole collection.
func allServices() []service {
	all := slices.Concat(edgeServices, ec2Services, latticeServices)
	first := []string{"route53", "ec2-transit-gateways", "ec2-prefix-lists", "elbv2", "lattice", "ec2-vpcs"}
	rank := func(s service) int {
		if i := slices.Index(first, s.name); i >= 0 {
			return i
		}
		return len(first)
	}
	slices.SortStableFunc(all, func(a, b service) int { return cmp.Compare(rank(a), rank(b)) })
	return all
}

// accountKey carries the account a call is made for (the recorder reads it).
type accountKey struct{}

// readOnlyPrefixes are the operation names the guard lets through, besides
// identityOps.
var readOnlyPrefixes = []string{"Describe", "List", "Get", "Search"}

// identityOps are the STS calls that read identity or obtain credentials; they change
// nothing in the estate.
var identityOps = map[string]bool{"GetCallerIdentity": true, "AssumeRole": true}

// ReadOnly reports whether the guard lets operation through.
func ReadOnly(operation string) bool {
	if identityOps[operation] {
		return true
	}
	for _, p := range readOnlyPrefixes {
		if strings.HasPrefix(operation, p) && len(operation) > len(p) && operation[len(p)] >= 'A' && operation[len(p)] <= 'Z' {
			return true
		}
	}
	return false
}

// ErrNotReadOnly is returned for a call the guard refused.
var ErrNotReadOnly = errors.New("refused: not a read-only operation")

// guard returns the middleware that refuses non-read operations and reports each call.
// It runs last in the Initialize step: some clients (vpclattice, wafv2) put the
// operation name in the context from an Initialize middleware of their own, and the
// guard must see it (an empty name is refused, so a miss fails closed).
func (c *Collector) guard(calls *atomic.Int64) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("dcgwScanReadOnlyGuard",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				op := awsmiddleware.GetOperationName(ctx)
				if !ReadOnly(op) {
					return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("%s %s: %w", awsmiddleware.GetServiceID(ctx), op, ErrNotReadOnly)
				}
				calls.Add(1)
				if c.OnCall != nil {
					account, _ := ctx.Value(accountKey{}).(string)
					svc := awsmiddleware.GetServiceID(ctx)
					c.OnCall(Call{
						Account: account, Region: awsmiddleware.GetRegion(ctx), Service: svc, Operation: op,
						Action: iamPrefix(svc) + ":" + op, Depth: depth(ctx),
					})
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
}

// iamPrefix is the IAM service prefix of an SDK service id.
func iamPrefix(serviceID string) string {
	switch serviceID {
	case "Elastic Load Balancing v2":
		return "elasticloadbalancing"
	case "VPC Lattice":
		return "vpc-lattice"
	}
	return strings.ToLower(strings.ReplaceAll(serviceID, " ", ""))
}

// baseConfig is c.Config with the guard, the call counter, the call deadline, a
// retryer and an HTTP client with the try timeouts.
func (c *Collector) baseConfig(calls *atomic.Int64) aws.Config {
	cfg := c.Config.Copy()
	cfg.APIOptions = append(slices.Clone(cfg.APIOptions), c.callDeadline(), noAnswerLimit, c.guard(calls))
	cfg.RetryMaxAttempts = c.maxAttempts()
	if cfg.Retryer == nil {
		cfg.Retryer = c.newRetryer
	}
	if cfg.Region == "" {
		cfg.Region = globalCallRegion
	}
	// One connection pool for every client, big enough to keep the connections of
	// concurrent units alive (the SDK's default keeps 10 per host and closes the rest),
	// and no try that waits forever (the SDK's default has no response-header timeout).
	conc := cmp.Or(max(c.Concurrency, 0), DefaultConcurrency)
	try := c.tryTimeout()
	pooled := func(t *http.Transport) {
		t.MaxIdleConns = max(t.MaxIdleConns, 2*conc)
		t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, conc)
		t.TLSHandshakeTimeout = try
		t.ResponseHeaderTimeout = try
	}
	dialer := func(d *net.Dialer) { d.Timeout = try }
	switch hc := cfg.HTTPClient.(type) {
	case nil:
		cfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(pooled).WithDialerOptions(dialer)
	case *awshttp.BuildableClient:
		cfg.HTTPClient = hc.WithTransportOptions(pooled).WithDialerOptions(dialer)
	}
	return cfg
}

// account is one account to read and the config that reads it.
type account struct {
	id  string
	cfg aws.Config
}

// Collect reads every account and region and never fails: what could not be read is a
// failed or partial scope. It returns only the AWS entities and scopes (no Konnect
// side, no schema version); the caller merges and sorts.
func (c *Collector) Collect(ctx context.Context) *snapshot.Snapshot {
	var calls atomic.Int64
	base := c.baseConfig(&calls)
	services := c.services
	if services == nil {
		services = allServices()
	}
	r := &run{c: c, services: services, calls: &calls}

	accounts, ok := r.accounts(ctx, base)
	if !ok {
		return r.result()
	}
	var units errgroup.Group
	units.SetLimit(cmp.Or(max(c.Concurrency, 0), DefaultConcurrency))
	var wg sync.WaitGroup // one goroutine per account: its regions, then its units
	for _, a := range accounts {
		wg.Go(func() {
			regions := r.regions(ctx, a)
			r.addTotal(len(regions))
			for _, s := range services {
				if s.global {
					r.unit(ctx, &units, a, s, globalCallRegion, "global")
					continue
				}
				for _, region := range regions {
					r.unit(ctx, &units, a, s, region, region)
				}
			}
		})
	}
	wg.Wait()        // every unit has started
	_ = units.Wait() // the units return nil: failures are scopes
	return r.result()
}

// run is one collection in progress.
type run struct {
	c        *Collector
	services []service
	calls    *atomic.Int64

	mu       sync.Mutex
	units    []*unit
	scopes   []snapshot.Scope // scopes of the steps before units (identity, accounts, regions)
	progress Progress
}

// fail records a failed step that is not a unit: everything it would have led to is
// not read.
func (r *run) fail(accountID, region, service, operation string, collections []string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scopes = append(r.scopes, snapshot.Scope{
		Provider: "aws", Account: accountID, Region: region, Service: service,
		Status: snapshot.ScopeFailed, Collections: collections,
		Errors: []snapshot.ScopeError{{Class: classify(err), Operation: operation, Message: message(err)}},
	})
}

// collections are the collections the run's services fill: all of them, or only the
// regional services' (what an account without its region list cannot read).
func (r *run) collections(regionalOnly bool) []string {
	var out []string
	for _, s := range r.services {
		if !regionalOnly || !s.global {
			out = append(out, s.collections...)
		}
	}
	return snapshot.SortedSet(out)
}

// accounts resolves who is calling and which accounts to read.
func (r *run) accounts(ctx context.Context, base aws.Config) ([]account, bool) {
	c := r.c
	if c.RoleARN != "" {
		parsed, err := arn.Parse(c.RoleARN)
		if err != nil || parsed.AccountID == "" {
			r.fail("", "global", "identity", "AssumeRole", r.collections(false), fmt.Errorf("role ARN %q: not an IAM role ARN", c.RoleARN))
			return nil, false
		}
		return []account{{id: parsed.AccountID, cfg: c.assumed(base, c.RoleARN)}}, true
	}
	id, err := sts.NewFromConfig(base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		r.fail("", "global", "identity", "GetCallerIdentity", r.collections(false), err)
		return nil, false
	}
	self := account{id: aws.ToString(id.Account), cfg: base}
	if c.OrgRoleName == "" {
		return []account{self}, true
	}
	partition := "aws"
	if p, err := arn.Parse(aws.ToString(id.Arn)); err == nil {
		partition = p.Partition
	}
	org := base.Copy()
	org.Region = globalCallRegion
	var out []account
	p := organizations.NewListAccountsPaginator(organizations.NewFromConfig(org), &organizations.ListAccountsInput{})
	pctx := context.WithValue(ctx, accountKey{}, self.id)
	for p.HasMorePages() {
		page, err := p.NextPage(pctx)
		pctx = after(pctx)
		if err != nil {
			r.fail(self.id, "global", "organizations", "ListAccounts", r.collections(false), err)
			return nil, false
		}
		for _, a := range page.Accounts {
			if a.State != orgtypes.AccountStateActive && a.Status != orgtypes.AccountStatusActive {
				continue
			}
			aid := aws.ToString(a.Id)
			if aid == self.id {
				out = append(out, self)
				continue
			}
			role := "arn:" + partition + ":iam::" + aid + ":role/" + c.OrgRoleName
			out = append(out, account{id: aid, cfg: c.assumed(base, role)})
		}
	}
	return out, true
}

// assumed is base with the credentials of role.
func (c *Collector) assumed(base aws.Config, role string) aws.Config {
	cfg := base.Copy()
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "dcgw-scan"
		if c.ExternalID != "" {
			o.ExternalID = aws.String(c.ExternalID)
		}
	})
	cfg.Credentials = aws.NewCredentialsCache(provider)
	return cfg
}

// regions are the regions to read in a: the configured ones, or its enabled regions.
// When they cannot be listed, the failure is a scope that covers every regional
// collection, and only the account's global services run.
func (r *run) regions(ctx context.Context, a account) []string {
	if len(r.c.Regions) > 0 {
		return r.c.Regions
	}
	ctx = context.WithValue(ctx, accountKey{}, a.id)
	out, err := ec2.NewFromConfig(a.cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		r.fail(a.id, "global", "regions", "DescribeRegions", r.collections(true), err)
		return nil
	}
	var regions []string
	for _, reg := range out.Regions {
		if s := aws.ToString(reg.OptInStatus); s == "" || s == "opt-in-not-required" || s == "opted-in" {
			regions = append(regions, aws.ToString(reg.RegionName))
		}
	}
	slices.Sort(regions)
	return regions
}

// addTotal counts an account's units once its regions are known.
func (r *run) addTotal(regions int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progress.Accounts++
	r.progress.Regions += regions
	for _, s := range r.services {
		if s.global {
			r.progress.Total++
		} else {
			r.progress.Total += regions
		}
	}
}

// unit runs service s for account a in region (scopeRegion names it in the scope) in
// units, waiting for one of its slots to be free. A failed unit is its scope: it does
// not stop the others.
func (r *run) unit(ctx context.Context, units *errgroup.Group, a account, s service, region, scopeRegion string) {
	units.Go(func() error {
		r.runUnit(ctx, a, s, region, scopeRegion)
		return nil
	})
}

// runUnit runs one unit now and adds it to the run.
func (r *run) runUnit(ctx context.Context, a account, s service, region, scopeRegion string) *unit {
	cfg := a.cfg.Copy()
	cfg.Region = region
	u := &unit{
		account: a.id, region: scopeRegion, cfg: cfg,
		fanout: cmp.Or(max(r.c.Fanout, 0), DefaultFanout),
		scope: snapshot.Scope{
			Provider: "aws", Account: a.id, Region: scopeRegion, Service: s.name,
			Status: snapshot.ScopeOK, Collections: slices.Clone(s.collections),
		},
	}
	uctx, cancel := context.WithTimeout(context.WithValue(ctx, accountKey{}, a.id), cmp.Or(r.c.UnitTimeout, DefaultUnitTimeout))
	start := time.Now()
	s.run(uctx, u)
	cancel()
	if err := ctx.Err(); err != nil && u.scope.Status == snapshot.ScopeOK {
		// Cancelled: whatever the unit read may be incomplete.
		u.fail(s.name, err)
	}
	if r.c.Logger != nil {
		r.c.Logger.Debug("unit done", "scope", u.scope.Key(), "status", u.scope.Status, "took", time.Since(start).Round(time.Millisecond))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.units = append(r.units, u)
	r.progress.Done++
	r.progress.Calls = r.calls.Load()
	if u.scope.Incomplete() {
		r.progress.Failed++
	}
	if r.c.Progress != nil {
		r.c.Progress(r.progress)
	}
	return u
}

// result merges the units' output: one copy of each entity (the same TGW, peering or
// AWS-managed prefix list is seen from several accounts and regions), preferring the
// copy read in its owner's account.
func (r *run) result() *snapshot.Snapshot {
	slices.SortFunc(r.units, func(a, b *unit) int { return cmp.Compare(a.scope.Key(), b.scope.Key()) })
	out := &snapshot.Snapshot{}
	for _, u := range r.units {
		out.Scopes = append(out.Scopes, u.scope)
	}
	out.Scopes = append(out.Scopes, r.scopes...)
	// Owner-collected copies first, then the rest, each in unit order; Dedupe keeps the
	// first copy of every id.
	for _, owner := range []bool{true, false} {
		for _, u := range r.units {
			out.Merge(u.out.Filter(func(e snapshot.Entity) bool { return (e.Account == u.account) == owner }))
		}
	}
	out.Dedupe()
	return out
}
