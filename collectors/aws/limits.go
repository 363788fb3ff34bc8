package aws

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// maxAttempts is MaxAttempts, else the SDK config's, else DefaultMaxAttempts.
func (c *Collector) maxAttempts() int {
	if c.MaxAttempts > 0 {
		return c.MaxAttempts
	}
	return cmp.Or(max(c.Config.RetryMaxAttempts, 0), DefaultMaxAttempts)
}

// callTimeout is CallTimeout, else DefaultCallTimeout.
func (c *Collector) callTimeout() time.Duration {
	return cmp.Or(max(c.CallTimeout, 0), DefaultCallTimeout)
}

// tryTimeout is Timeout, else DefaultTimeout. A try longer than the call timeout
// ends with the call.
func (c *Collector) tryTimeout() time.Duration {
	return cmp.Or(max(c.Timeout, 0), DefaultTimeout)
}

// newRetryer is the SDK's adaptive retryer with maxAttempts tries. The standard
// retryer's retry quota (a shared budget of retries that throttling drains) is off: the
// adaptive rate already slows a throttled client down, and the quota would fail calls
// that the attempts were meant to absorb.
func (c *Collector) newRetryer() aws.Retryer {
	attempts := c.maxAttempts()
	return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.RateLimiter = ratelimit.None
		})
		if c.retryTuning != nil {
			c.retryTuning(o)
		}
	})
}

// TimeoutError is a call that did not end within the call timeout.
type TimeoutError struct {
	// Operation is the service and API operation ("STS GetCallerIdentity").
	Operation string
	// After is the call timeout.
	After time.Duration
	// Err is what the SDK returned when the deadline passed.
	Err error
}

func (e *TimeoutError) Error() string {
	// The scope error names the operation already.
	return fmt.Sprintf("no answer within the call timeout of %s (every try and the waits between them included)", e.After)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// errCallDeadline is the cause of a call's context that ran out of time.
var errCallDeadline = errors.New("call deadline")

// callDeadline returns the middleware that gives every call its deadline. It runs in
// the Initialize step, before the retries of the Finalize step, so the deadline covers
// every try and the backoff between them; the response is decoded before the call
// returns, so nothing reads from the context after it is cancelled.
func (c *Collector) callDeadline() func(*middleware.Stack) error {
	d := c.callTimeout()
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("dcgwScanCallDeadline",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				cctx, cancel := context.WithTimeoutCause(ctx, d, errCallDeadline)
				defer cancel()
				cctx = context.WithValue(cctx, noAnswersKey{}, new(atomic.Int32))
				out, md, err := next.HandleInitialize(cctx, in)
				if err != nil && ctx.Err() == nil && errors.Is(context.Cause(cctx), errCallDeadline) {
					err = &TimeoutError{Operation: awsmiddleware.GetServiceID(ctx) + " " + awsmiddleware.GetOperationName(ctx), After: d, Err: err}
				}
				return out, md, err
			}), middleware.After)
	}
}

// maxNoAnswerTries bounds the tries of a call that gets no answer at all (no
// connection, a reset, no response headers in time): that is the network, not a busy
// API, and the backoff meant for throttling would only draw it out.
const maxNoAnswerTries = 3

// noAnswersKey carries a call's count of tries that got no answer (see noAnswerLimit).
type noAnswersKey struct{}

// NoAnswerError is a call given up after maxNoAnswerTries tries without an answer.
type NoAnswerError struct {
	Tries int
	Err   error
}

func (e *NoAnswerError) Error() string {
	return fmt.Sprintf("no answer in %d tries: %v", e.Tries, e.Err)
}

func (e *NoAnswerError) Unwrap() error { return e.Err }

// RetryableError tells the SDK's retryer not to try again.
func (e *NoAnswerError) RetryableError() bool { return false }

// noAnswerLimit returns the middleware that counts, per call, the tries that got no
// HTTP response and ends the retries at maxNoAnswerTries. It runs in the Finalize step
// after the retry middleware, so once per try; a client without that middleware tries
// once, and the limit has nothing to do.
func noAnswerLimit(stack *middleware.Stack) error {
	if _, ok := stack.Finalize.Get(retryMiddlewareID); !ok {
		return nil
	}
	return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("dcgwScanNoAnswerLimit",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleFinalize(ctx, in)
			count, _ := ctx.Value(noAnswersKey{}).(*atomic.Int32)
			if err != nil && count != nil && ctx.Err() == nil && errors.As(err, new(*smithyhttp.RequestSendError)) {
				if n := int(count.Add(1)); n >= maxNoAnswerTries {
					err = &NoAnswerError{Tries: n, Err: err}
				}
			}
			return out, md, err
		}), retryMiddlewareID, middleware.After)
}

// retryMiddlewareID is the id of the SDK's retry middleware (retry.Attempt).
var retryMiddlewareID = (&retry.Attempt{}).ID()
