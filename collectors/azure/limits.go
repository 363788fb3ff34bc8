package azure

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Defaults of the Collector's tries and deadlines.
const (
	// DefaultMaxAttempts is how many times a call is tried, the first included (the
	// SDK's default is 4).
	DefaultMaxAttempts = 10
	// DefaultTimeout bounds one try: connecting (TLS included) and then waiting for the
	// response headers.
	DefaultTimeout = 30 * time.Second
	// DefaultCallTimeout bounds one call (one page of a list), every try and the waits
	// between them included.
	DefaultCallTimeout = 3 * time.Minute
	// maxRetryDelay caps one wait between tries without a Retry-After.
	maxRetryDelay = 20 * time.Second
)

// withLimits is a copy of c whose ClientOptions carry the tries, the call deadline and,
// unless a transport is given, an HTTP client with the try timeouts.
func (c *Collector) withLimits() *Collector {
	out := *c
	var o arm.ClientOptions
	if c.ClientOptions != nil {
		o = *c.ClientOptions
	}
	// MaxRetries counts the tries after the first; 0 means the SDK's default, below 0 none.
	switch {
	case c.MaxAttempts > 1:
		o.Retry.MaxRetries = int32(c.MaxAttempts - 1)
	case c.MaxAttempts == 1:
		o.Retry.MaxRetries = -1
	case o.Retry.MaxRetries == 0:
		o.Retry.MaxRetries = DefaultMaxAttempts - 1
	}
	// The SDK caps one wait at 60 s: ten tries would then outlast the default call
	// timeout. 20 s (AWS's cap) keeps them within it.
	if o.Retry.MaxRetryDelay == 0 {
		o.Retry.MaxRetryDelay = maxRetryDelay
	}
	call := cmp.Or(max(c.CallTimeout, 0), DefaultCallTimeout)
	o.PerCallPolicies = append(slices.Clone(o.PerCallPolicies), callDeadline{call})
	o.PerRetryPolicies = append(slices.Clone(o.PerRetryPolicies), noAnswerLimit{})
	if o.Transport == nil {
		try := cmp.Or(max(c.Timeout, 0), DefaultTimeout)
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = (&net.Dialer{Timeout: try, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = try
		t.ResponseHeaderTimeout = try
		o.Transport = &http.Client{Transport: t}
	}
	out.ClientOptions = &o
	return &out
}

// TimeoutError is a call that did not end within the call timeout.
type TimeoutError struct {
	// Path is the request's URL path.
	Path string
	// After is the call timeout.
	After time.Duration
	// Err is what the SDK returned when the deadline passed.
	Err error
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("GET %s: no answer within the call timeout of %s (every try and the waits between them included)", e.Path, e.After)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// errCallDeadline is the cause of a call's context that ran out of time.
var errCallDeadline = errors.New("call deadline")

// callDeadline is the per-call policy that gives every call its deadline: it runs
// before the retry policy, so the deadline covers every try and the waits between
// them. The body is read before the pipeline returns, so nothing reads from the
// context after it is cancelled.
type callDeadline struct{ d time.Duration }

// Do implements policy.Policy.
func (p callDeadline) Do(req *policy.Request) (*http.Response, error) {
	parent := req.Raw().Context()
	ctx, cancel := context.WithTimeoutCause(parent, p.d, errCallDeadline)
	defer cancel()
	ctx = context.WithValue(ctx, noAnswersKey{}, new(atomic.Int32))
	resp, err := req.WithContext(ctx).Next()
	if err != nil && parent.Err() == nil && errors.Is(context.Cause(ctx), errCallDeadline) {
		err = &TimeoutError{Path: req.Raw().URL.Path, After: p.d, Err: err}
	}
	return resp, err
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

// NonRetriable tells the SDK's retry policy not to try again.
func (e *NoAnswerError) NonRetriable() {}

// noAnswerLimit is the per-try policy that counts, per call, the tries that got no
// HTTP response and ends the retries at maxNoAnswerTries.
type noAnswerLimit struct{}

// Do implements policy.Policy.
func (noAnswerLimit) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	ctx := req.Raw().Context()
	if count, _ := ctx.Value(noAnswersKey{}).(*atomic.Int32); err != nil && count != nil && ctx.Err() == nil {
		if n := int(count.Add(1)); n >= maxNoAnswerTries {
			err = &NoAnswerError{Tries: n, Err: err}
		}
	}
	return resp, err
}
