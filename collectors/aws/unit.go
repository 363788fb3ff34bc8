package aws

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// service is one kind of unit of work: a group of read operations of one AWS API that
// fills some snapshot collections. A unit is a service run in one account and region
// (global services once per account, in region "global").
type service struct {
	// name is the scope's service: ec2-vpcs, route53, elbv2, …
	name string
	// global services (Route 53) run once per account.
	global bool
	// collections are the snapshot collections the unit fills (the scope's Collections).
	collections []string
	// actions are the IAM actions the unit may call ("ec2:DescribeVpcs"): the read-only
	// allow-list and `dcgw-scan iam-policy aws` come from them.
	actions []string
	// run collects into u; it records every failure on u and never panics on a
	// missing field.
	run func(ctx context.Context, u *unit)
}

// unit is one (account, region, service) piece of work in progress.
type unit struct {
	account string
	// region is the AWS region the clients call ("us-east-1" for global services,
	// whose scope region is "global").
	region string
	// cfg is the account's config with region set; its APIOptions carry the
	// read-only guard and call recorder, so clients built from it need nothing else.
	cfg aws.Config
	// fanout bounds the per-item calls a unit makes at once (target health per target
	// group, routes per TGW route table, …).
	fanout int

	mu    sync.Mutex
	scope snapshot.Scope
	// out holds what the unit collected. Only the unit's own goroutine appends to it;
	// fan-out workers write their results into slots of a slice made beforehand, or
	// call add.
	out snapshot.Snapshot
}

// add runs f on the unit's output under its lock, for fan-out workers.
func (u *unit) add(f func(out *snapshot.Snapshot)) {
	u.mu.Lock()
	defer u.mu.Unlock()
	f(&u.out)
}

// fail records that operation failed: the scope is failed (or partial for a truncated
// answer) with the error's class. The unit goes on with what it can still read, but a
// failed scope is never taken as complete.
func (u *unit) fail(operation string, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.scope.Fail(classify(err), operation, message(err))
}

// partial records a gap in the data itself (a truncated answer, a value that does not
// parse and was left out): the scope becomes partial unless it already failed.
func (u *unit) partial(operation, class, msg string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.scope.Note(class, operation, msg)
}

// forEach runs f for i in [0, n) with at most u.fanout at once. Callers pass the
// context their list calls ended with (see after), so the per-item calls count as
// depending on the list. f records its own failures.
func (u *unit) forEach(ctx context.Context, n int, f func(ctx context.Context, i int)) {
	var g errgroup.Group
	g.SetLimit(max(u.fanout, 1))
	for i := range n {
		g.Go(func() error {
			f(ctx, i)
			return nil
		})
	}
	_ = g.Wait()
}

// ErrTruncated marks an answer the API itself says is incomplete
// (SearchTransitGatewayRoutes' AdditionalRoutesAvailable on its last page).
var ErrTruncated = errors.New("the answer is truncated")

// classify maps an SDK error to a snapshot.ScopeError class.
func classify(err error) string {
	if errors.Is(err, ErrTruncated) {
		return snapshot.ClassTruncated
	}
	var timeout *TimeoutError
	if errors.As(err, &timeout) || errors.Is(err, context.DeadlineExceeded) {
		return snapshot.ClassTimeout
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorCode()
		switch {
		case code == "OptInRequired" || code == "SubscriptionRequiredException" ||
			strings.Contains(code, "NotSubscribed"):
			return snapshot.ClassDisabled
		case strings.Contains(code, "AccessDenied") || code == "UnauthorizedOperation" ||
			code == "AuthFailure" || code == "UnauthorizedException" || code == "AccessDeniedException" ||
			code == "AuthorizationError" || code == "NotAuthorized" ||
			// Credentials the service rejects: expired, mistyped, or not valid there.
			code == "InvalidClientTokenId" || code == "ExpiredToken" || code == "ExpiredTokenException" ||
			code == "SignatureDoesNotMatch" || code == "UnrecognizedClientException":
			return snapshot.ClassDenied
		case strings.Contains(code, "Throttl") || code == "RequestLimitExceeded" ||
			code == "TooManyRequestsException" || code == "SlowDown" || code == "PriorRequestNotComplete":
			return snapshot.ClassThrottled
		case strings.Contains(code, "NotFound") || strings.HasPrefix(code, "NoSuch"):
			return snapshot.ClassNotFound
		}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return snapshot.ClassTimeout
	}
	return snapshot.ClassOther
}

// message is the error as a scope message: the API's code and message when it has
// them (the SDK's full error chain repeats the operation and request ids).
func message(err error) string {
	var timeout *TimeoutError
	if errors.As(err, &timeout) {
		return timeout.Error()
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		msg := apiErr.ErrorMessage()
		if msg == "" {
			return apiErr.ErrorCode()
		}
		return apiErr.ErrorCode() + ": " + msg
	}
	return err.Error()
}

// depthKey carries how many dependent calls precede a call (see after).
type depthKey struct{}

// after returns ctx for a call that depends on one more call than ctx's: the next
// page of a list, or a per-item call after the list it came from. The call recorder
// uses the depth to find the critical path of a collection (the longest chain of
// calls that cannot run in parallel); it changes nothing else.
func after(ctx context.Context) context.Context {
	return context.WithValue(ctx, depthKey{}, depth(ctx)+1)
}

// depth is the number of dependent calls before a call made with ctx.
func depth(ctx context.Context) int {
	d, _ := ctx.Value(depthKey{}).(int)
	return d
}

// str is *p, or "" for nil.
func str(p *string) string { return aws.ToString(p) }

// parallel runs fs at once and waits for them: the independent lists of a unit, so its
// wall time is its longest chain of calls, not their sum. Each f that pages keeps its
// own context (after(ctx) counts the calls of one chain).
func parallel(fs ...func()) {
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Go(f)
	}
	wg.Wait()
}
