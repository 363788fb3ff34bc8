package konnect

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dcgw-scan/dcgw-scan/internal/nettest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestDefaultAttemptsAbsorbThrottling: with the default tries, five 429s in a row (no
// Retry-After) and then the answer cost nothing; the former default of 5 tries lost
// the list.
func TestDefaultAttemptsAbsorbThrottling(t *testing.T) {
	t.Parallel()
	api, srv := newFakeAPI(t, "testdata/happy")
	api.override = func(w http.ResponseWriter, _ *http.Request, n int) bool {
		if n > 5 {
			return false
		}
		problem(w, http.StatusTooManyRequests, "Too Many Requests", "slow down")
		return true
	}
	sl := &sleeper{}
	client, err := NewClient(srv.URL, testToken, WithHTTPClient(srv.Client()), WithSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.ListCustomDomains(context.Background())
	if err != nil || len(got) != 2 {
		t.Fatalf("ListCustomDomains = %d items, %v; want 2, no error", len(got), err)
	}
	if n := len(api.requests()); n != 6 {
		t.Errorf("%d requests, want 6", n)
	}
	if n := len(sl.got()); n != 5 {
		t.Errorf("%d waits, want 5", n)
	}
}

// TestSilentEndpoint: a Konnect URL (or proxy) that accepts connections and never
// answers ends the collection within the configured timeouts, every scope failed as a
// timeout that says so. It used to allow 60 s x 5 tries plus backoff per request.
func TestSilentEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		opts        []Option
		wantMessage string
	}{
		{
			name:        "call deadline",
			opts:        []Option{WithTimeouts(time.Minute, 200*time.Millisecond)},
			wantMessage: "no answer within the call timeout of 200ms",
		},
		{
			// Each try gives up waiting for the headers; with no answer at all a request
			// is tried 3 times, not max_attempts (10) times. A tiny backoff.
			name:        "try timeout",
			opts:        []Option{WithTimeouts(100*time.Millisecond, time.Minute), WithRetry(DefaultMaxAttempts, time.Millisecond, time.Millisecond)},
			wantMessage: "timeout awaiting response headers (no answer in 3 tries)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			client, err := NewClient("http://"+nettest.Silent(t).Addr, testToken, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, scopes := (&Collector{Client: client, Org: testOrg}).Collect(context.Background())
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("collection took %v", took)
			}
			if len(scopes) != 3 {
				t.Errorf("%d scopes, want 3 (availability, cloud-gateways, custom-domains)", len(scopes))
			}
			for _, s := range scopes {
				if s.Status != snapshot.ScopeFailed || len(s.Errors) == 0 {
					t.Errorf("scope %s %s, want failed", s.Key(), s.Status)
					continue
				}
				for _, e := range s.Errors {
					if e.Class != snapshot.ClassTimeout || !strings.Contains(e.Message, tc.wantMessage) {
						t.Errorf("scope %s: %s %q, want timeout saying %q", s.Key(), e.Class, e.Message, tc.wantMessage)
					}
				}
			}
		})
	}
}

// TestRetryGivesUpBeforeTheDeadline: a Retry-After that ends past the call timeout is
// not waited for; the call fails at once with the throttling it got.
func TestRetryGivesUpBeforeTheDeadline(t *testing.T) {
	t.Parallel()
	api, srv := newFakeAPI(t, "testdata/happy")
	api.override = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		w.Header().Set("Retry-After", "30")
		problem(w, http.StatusTooManyRequests, "Too Many Requests", "slow down")
		return true
	}
	client, sl := newTestClient(t, srv, WithTimeouts(time.Second, 10*time.Second))
	_, err := client.ListCustomDomains(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusTooManyRequests || !strings.Contains(err.Error(), "the next would start after the call timeout of 10s") {
		t.Errorf("error = %v, want the 429 and why it was not retried", err)
	}
	if n := len(sl.got()); n != 0 {
		t.Errorf("%d waits, want none", n)
	}
}

// TestNoSuchHostIsNotRetried: a host name that does not resolve (no network, a
// mistyped URL) fails at the first try, so a first scan without network ends in
// moments instead of backing off on every request.
func TestNoSuchHostIsNotRetried(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.DNSError{Err: "no such host", Name: strings.Split(addr, ":")[0], IsNotFound: true}
	}}
	sl := &sleeper{}
	client, err := NewClient(DefaultBaseURL, testToken, WithHTTPClient(&http.Client{Transport: tr}), WithSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.ListNetworks(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no such host") {
		t.Errorf("error = %v, want no such host", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d dials, want 1", n)
	}
	if n := len(sl.got()); n != 0 {
		t.Errorf("%d waits, want none", n)
	}
}

// TestNoAnswerTriedThrice: a request that gets no answer at all (here: the connection
// is refused) is tried 3 times, not max_attempts times with a backoff meant for a busy
// API: without a network a scan ends in seconds.
func TestNoAnswerTriedThrice(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now: every connection is refused
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		dials.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	sl := &sleeper{}
	client, err := NewClient("http://"+addr, testToken, WithHTTPClient(&http.Client{Transport: tr}), WithSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.ListNetworks(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no answer in 3 tries") {
		t.Errorf("error = %v, want no answer in 3 tries", err)
	}
	if n := dials.Load(); n != 3 {
		t.Errorf("%d dials, want 3", n)
	}
	if n := len(sl.got()); n != 2 {
		t.Errorf("%d waits, want 2", n)
	}
}
