// Package konnect reads the Kong Konnect side of a Dedicated Cloud Gateway estate
// (networks, their attachments and private DNS, data plane IPs, custom domains and the
// allowed network ranges) from the cloud-gateways REST API and turns it into the
// snapshot's Konnect model. It only ever sends GET requests.
package konnect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is the only host that serves /v2/cloud-gateways (konnect-api.md §1.1).
const DefaultBaseURL = "https://global.api.konghq.com"

// Defaults of a Client's tries and deadlines.
const (
	// DefaultMaxAttempts is how many times a request is tried, the first included.
	DefaultMaxAttempts = 10
	// DefaultTimeout bounds one try: connecting (TLS included) and then waiting for the
	// response headers.
	DefaultTimeout = 30 * time.Second
	// DefaultCallTimeout bounds one request, every try and the waits between them
	// included.
	DefaultCallTimeout = 3 * time.Minute
	// maxNoAnswerTries bounds the tries of a request that gets no answer at all (no
	// connection, a reset, no response headers in time): that is the network, not a
	// busy API, and the backoff meant for throttling would only draw it out.
	maxNoAnswerTries = 3
)

// Limits on what a response may make the client do.
const (
	maxBodyBytes  = 32 << 20 // a list page larger than this is not a Konnect answer
	maxErrorBytes = 64 << 10
	maxDetailLen  = 300 // characters of an error body quoted in a message
)

// Client is a small typed client for the read paths of the Konnect cloud-gateways API.
// It is safe for concurrent use.
type Client struct {
	base  *url.URL
	http  *http.Client
	token string

	httpSet       bool          // http came from WithHTTPClient
	tryTimeout    time.Duration // connect and response-header timeout of the client's own transport
	callTimeout   time.Duration // one request, its tries and waits included
	maxAttempts   int           // tries per request, the first included
	baseDelay     time.Duration // first backoff after a 5xx or transport error
	maxDelay      time.Duration // cap on one backoff
	maxRetryAfter time.Duration // cap on one Retry-After wait
	sleep         func(ctx context.Context, d time.Duration) error
	now           func() time.Time

	pageSize int
	maxPages int
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (transport, proxy, timeout); the try timeout of
// WithTimeouts is then the client's business.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) { c.http, c.httpSet = h, true }
}

// WithTimeouts sets how long one try may take to connect and to get the response
// headers (on the client's own transport), and how long one request may take, every
// try and the waits between them included.
func WithTimeouts(try, call time.Duration) Option {
	return func(c *Client) { c.tryTimeout, c.callTimeout = try, call }
}

// WithRetry sets the number of tries per request (the first included) and the bounds
// of the exponential backoff after a 5xx or a transport error.
func WithRetry(attempts int, baseDelay, maxDelay time.Duration) Option {
	return func(c *Client) {
		c.maxAttempts, c.baseDelay, c.maxDelay = attempts, baseDelay, maxDelay
	}
}

// WithMaxAttempts sets the number of tries per request (the first included), keeping
// the backoff.
func WithMaxAttempts(attempts int) Option { return func(c *Client) { c.maxAttempts = attempts } }

// WithMaxRetryAfter caps how long one 429 Retry-After may make the client wait.
func WithMaxRetryAfter(d time.Duration) Option { return func(c *Client) { c.maxRetryAfter = d } }

// WithSleep replaces the wait between tries (tests make it instant and record it).
// It must return early with ctx's error when ctx is done.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = sleep }
}

// WithClock sets the clock an HTTP-date Retry-After is measured against.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithPaging sets the page size asked for and the most pages read from one list
// before it is reported truncated.
func WithPaging(pageSize, maxPages int) Option {
	return func(c *Client) { c.pageSize, c.maxPages = pageSize, maxPages }
}

// NewClient returns a client for the API at baseURL (DefaultBaseURL in production; a
// test server or a proxy otherwise) that authenticates with the personal or system
// account access token. The token is sent only over https, or over plain http to a
// loopback address.
func NewClient(baseURL, token string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("konnect client: empty access token")
	}
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, errors.New("konnect client: base URL does not parse") // the text could quote a token
	}
	if u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("konnect client: base URL of %s://%s must be scheme://host[/path] only, without user, query or fragment", u.Scheme, u.Host)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return nil, fmt.Errorf("konnect client: base URL %s://%s: the token is sent only over https (or http to loopback)", u.Scheme, u.Host)
	}
	c := &Client{
		base:          u,
		token:         token,
		tryTimeout:    DefaultTimeout,
		callTimeout:   DefaultCallTimeout,
		maxAttempts:   DefaultMaxAttempts,
		baseDelay:     500 * time.Millisecond,
		maxDelay:      30 * time.Second,
		maxRetryAfter: 2 * time.Minute,
		sleep:         sleepContext,
		now:           time.Now,
		pageSize:      100,
		maxPages:      100,
	}
	for _, o := range opts {
		o(c)
	}
	switch {
	case c.httpSet && c.http == nil, c.sleep == nil, c.now == nil:
		return nil, errors.New("konnect client: nil HTTP client, sleep or clock option")
	case c.maxAttempts < 1, c.pageSize < 1, c.maxPages < 1, c.baseDelay < 0, c.maxDelay < 0, c.maxRetryAfter < 0,
		c.tryTimeout <= 0, c.callTimeout <= 0:
		return nil, errors.New("konnect client: retry, timeout and paging settings must be positive")
	}
	if !c.httpSet {
		c.http = newHTTPClient(c.tryTimeout)
	}
	return c, nil
}

// newHTTPClient is the default transport (proxy from the environment, HTTP/2) with
// every wait of one try bounded: connecting, the TLS handshake and the response
// headers. The body is read under the request's deadline.
func newHTTPClient(try time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: try, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = try
	t.ResponseHeaderTimeout = try
	return &http.Client{Transport: t}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// noAnswerError is a try that got no response at all (a transport error).
type noAnswerError struct{ err error }

func (e *noAnswerError) Error() string { return e.err.Error() }
func (e *noAnswerError) Unwrap() error { return e.err }

// APIError is a response the API answered with an error status.
type APIError struct {
	Method string
	Path   string // the request path, without host or query
	Status int
	// Title, Detail and Trace come from the problem+json body (trace is its instance);
	// Detail holds a snippet of the body when it is not problem+json.
	Title, Detail, Trace string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Title != "" && !strings.EqualFold(e.Title, http.StatusText(e.Status)) {
		b.WriteString(": " + e.Title)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Trace != "" {
		b.WriteString(" (" + e.Trace + ")")
	}
	return b.String()
}

// redactedError carries an error whose text had the token removed. Unwrap keeps
// errors.Is/As working for the classification (context deadline, *APIError).
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact removes the token from s. Every string the client builds from a response
// or a transport error passes through it.
func (c *Client) redact(s string) string {
	if c.token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.token, "[REDACTED]")
}

func (c *Client) redactErr(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: c.redact(err.Error()), err: err}
}

// errCallDeadline is the cause of a request's context that ran out of time.
var errCallDeadline = errors.New("call deadline")

// get fetches path (relative to the base URL) with query and decodes the JSON body
// into out, retrying 429 (after Retry-After), 5xx and transport errors, all within the
// call timeout. auth false sends no token (availability.json needs none).
func (c *Client) get(ctx context.Context, path string, query url.Values, auth bool, out any) error {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	parent := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, c.callTimeout, errCallDeadline)
	defer cancel()
	outOfTime := func() bool { return parent.Err() == nil && errors.Is(context.Cause(ctx), errCallDeadline) }
	var lastErr error
	noAnswers := 0
	for attempt := 1; ; attempt++ {
		wait, err := c.try(ctx, u.String(), path, auth, out)
		if err == nil {
			return nil
		}
		if outOfTime() {
			return c.redactErr(c.deadlineErr(path, lastErr))
		}
		lastErr = err
		if errors.As(err, new(*noAnswerError)) {
			if noAnswers++; noAnswers >= maxNoAnswerTries && attempt < c.maxAttempts {
				return c.redactErr(fmt.Errorf("%w (no answer in %d tries)", err, noAnswers))
			}
		}
		if wait < 0 || attempt >= c.maxAttempts || ctx.Err() != nil {
			break
		}
		if wait == 0 {
			wait = c.backoff(attempt)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			// The next try would start after the call timeout: give up now.
			return c.redactErr(fmt.Errorf("%w (after %d tries; the next would start after the call timeout of %s)", lastErr, attempt, c.callTimeout))
		}
		if err := c.sleep(ctx, wait); err != nil {
			if outOfTime() {
				return c.redactErr(c.deadlineErr(path, lastErr))
			}
			return c.redactErr(fmt.Errorf("GET %s: waiting to retry after %v: %w", path, lastErr, err))
		}
	}
	return c.redactErr(lastErr)
}

// deadlineErr is the error of a request that ran out of its call timeout; last is the
// error of the try before, if one ended earlier. It is a context.DeadlineExceeded.
func (c *Client) deadlineErr(path string, last error) error {
	msg := fmt.Sprintf("GET %s: no answer within the call timeout of %s (every try and the waits between them included)", path, c.callTimeout)
	if last != nil {
		msg += "; the try before: " + last.Error()
	}
	return &redactedError{msg: msg, err: context.DeadlineExceeded}
}

// try makes one request. It returns the wait before a retry: negative when the error
// is final, zero for the default backoff.
func (c *Client) try(ctx context.Context, rawURL, path string, auth bool, out any) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return -1, fmt.Errorf("GET %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	if auth {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, fmt.Errorf("GET %s: %w", path, ctx.Err())
		}
		// *url.Error names the URL, which never holds the token. A name that does not
		// exist will not exist in a second either (no network, a mistyped URL); other
		// transport errors are retried.
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return -1, fmt.Errorf("GET %s: %w", path, err)
		}
		return 0, &noAnswerError{fmt.Errorf("GET %s: %w", path, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		if err := json.NewDecoder(io.LimitReader(resp.Body, maxBodyBytes)).Decode(out); err != nil {
			return -1, fmt.Errorf("GET %s: decode response: %w", path, err)
		}
		return -1, nil
	}
	apiErr := c.apiError(resp, path)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return c.retryAfter(resp.Header), apiErr
	case resp.StatusCode >= 500:
		return 0, apiErr
	default:
		return -1, apiErr
	}
}

// apiError reads an error response into an *APIError with the token redacted.
func (c *Client) apiError(resp *http.Response, path string) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	e := &APIError{Method: http.MethodGet, Path: path, Status: resp.StatusCode}
	var p struct {
		Title    string `json:"title"`
		Detail   string `json:"detail"`
		Instance string `json:"instance"`
	}
	if json.Unmarshal(body, &p) == nil && (p.Title != "" || p.Detail != "") {
		e.Title, e.Detail, e.Trace = p.Title, p.Detail, p.Instance
	} else if s := strings.TrimSpace(string(body)); s != "" {
		e.Detail = s
	}
	e.Title = clip(c.redact(oneLine(e.Title)))
	e.Detail = clip(c.redact(oneLine(e.Detail)))
	e.Trace = clip(c.redact(oneLine(e.Trace)))
	return e
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string) string {
	if r := []rune(s); len(r) > maxDetailLen {
		return string(r[:maxDetailLen]) + "…"
	}
	return s
}

// retryAfter is the wait a 429 asks for: Retry-After in seconds or as an HTTP date
// (or retry-after-ms), capped at maxRetryAfter; zero (the default backoff) without one.
func (c *Client) retryAfter(h http.Header) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Duration(max(secs, 0)) * time.Second
			if secs > int64(c.maxRetryAfter/time.Second) {
				d = c.maxRetryAfter
			}
		} else if t, err := http.ParseTime(v); err == nil {
			d = max(t.Sub(c.now()), 0)
		}
	} else if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 {
			d = time.Duration(min(ms, int64(c.maxRetryAfter/time.Millisecond))) * time.Millisecond
		}
	}
	if d == 0 {
		// "Retry-After: 0" or a date in the past still must not hammer the server.
		return 0
	}
	return min(d, c.maxRetryAfter)
}

// backoff is the exponential wait after try number attempt (1-based).
func (c *Client) backoff(attempt int) time.Duration {
	d := c.baseDelay
	for i := 1; i < attempt && d < c.maxDelay; i++ {
		d *= 2
	}
	return min(d, c.maxDelay)
}
