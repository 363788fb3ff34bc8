package konnect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, token string
		opts        []Option
		wantErr     string
	}{
		{base: DefaultBaseURL, token: "kpat_x"},
		{base: "https://konnect-proxy.internal/prefix/", token: "kpat_x"},
		{base: "http://127.0.0.1:8080", token: "kpat_x"},
		{base: "http://localhost:8080", token: "kpat_x"},
		{base: DefaultBaseURL, token: " ", wantErr: "empty access token"},
		{base: "http://global.api.konghq.com", token: "kpat_x", wantErr: "only over https"},
		{base: "ftp://example.com", token: "kpat_x", wantErr: "only over https"},
		{base: "global.api.konghq.com", token: "kpat_x", wantErr: "scheme://host"},
		{base: "https://example.com/?a=b", token: "kpat_x", wantErr: "without user, query or fragment"},
		{base: DefaultBaseURL, token: "kpat_x", opts: []Option{WithPaging(0, 1)}, wantErr: "must be positive"},
		{base: DefaultBaseURL, token: "kpat_x", opts: []Option{WithRetry(0, 0, 0)}, wantErr: "must be positive"},
		{base: DefaultBaseURL, token: "kpat_x", opts: []Option{WithHTTPClient(nil)}, wantErr: "nil HTTP client"},
	}
	for _, tt := range tests {
		t.Run(tt.base+"|"+tt.wantErr, func(t *testing.T) {
			t.Parallel()
			_, err := NewClient(tt.base, tt.token, tt.opts...)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("NewClient: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("NewClient error = %v, want one with %q", err, tt.wantErr)
			}
		})
	}
}

// TestRetry runs one list against a server that answers the given statuses in turn
// (then the fixture) and checks the waits and the number of requests.
func TestRetry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 8, 21, 12, 0, 0, 0, time.UTC)
	type answer struct {
		status int
		header map[string]string
	}
	tests := []struct {
		name      string
		answers   []answer
		wantWaits []time.Duration
		wantReqs  int
		wantErr   string // "" means success with the 2 custom domains
	}{
		{
			name:      "429 with Retry-After seconds, then success",
			answers:   []answer{{429, map[string]string{"Retry-After": "7"}}},
			wantWaits: []time.Duration{7 * time.Second}, wantReqs: 2,
		},
		{
			name:      "429 with an HTTP date, then success",
			answers:   []answer{{429, map[string]string{"Retry-After": now.Add(42 * time.Second).Format(http.TimeFormat)}}},
			wantWaits: []time.Duration{42 * time.Second}, wantReqs: 2,
		},
		{
			name:      "Retry-After beyond the cap waits the cap",
			answers:   []answer{{429, map[string]string{"Retry-After": "86400"}}},
			wantWaits: []time.Duration{time.Minute}, wantReqs: 2,
		},
		{
			name:      "retry-after-ms",
			answers:   []answer{{429, map[string]string{"Retry-After-Ms": "1500"}}},
			wantWaits: []time.Duration{1500 * time.Millisecond}, wantReqs: 2,
		},
		{
			name:      "429 without Retry-After backs off",
			answers:   []answer{{429, nil}, {429, map[string]string{"Retry-After": "garbage"}}},
			wantWaits: []time.Duration{time.Second, 2 * time.Second}, wantReqs: 3,
		},
		{
			name:      "5xx back off exponentially, then success",
			answers:   []answer{{503, nil}, {502, nil}, {500, nil}},
			wantWaits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, wantReqs: 4,
		},
		{
			name:      "5xx until the attempts run out",
			answers:   []answer{{500, nil}, {500, nil}, {500, nil}, {504, nil}, {500, nil}},
			wantWaits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, wantReqs: 4,
			wantErr: "504 Gateway Timeout",
		},
		{
			name:     "403 is not retried",
			answers:  []answer{{403, nil}},
			wantReqs: 1, wantErr: "403 Forbidden",
		},
		{
			name:     "400 is not retried",
			answers:  []answer{{400, nil}},
			wantReqs: 1, wantErr: "400 Bad Request",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api, srv := newFakeAPI(t, "testdata/happy")
			api.override = func(w http.ResponseWriter, r *http.Request, n int) bool {
				if n > len(tt.answers) {
					return false
				}
				a := tt.answers[n-1]
				for k, v := range a.header {
					w.Header().Set(k, v)
				}
				problem(w, a.status, http.StatusText(a.status), "try "+strconv.Itoa(n))
				return true
			}
			client, sl := newTestClient(t, srv, WithClock(func() time.Time { return now }))
			got, err := client.ListCustomDomains(context.Background())
			switch {
			case tt.wantErr == "" && (err != nil || len(got) != 2):
				t.Errorf("ListCustomDomains = %d items, %v; want 2, no error", len(got), err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("ListCustomDomains error = %v, want one with %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantWaits, sl.got()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if n := len(api.requests()); n != tt.wantReqs {
				t.Errorf("%d requests, want %d", n, tt.wantReqs)
			}
		})
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	api, srv := newFakeAPI(t, "testdata/happy")
	api.override = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		problem(w, http.StatusServiceUnavailable, "Service Unavailable", "")
		return true
	}
	ctx, cancel := context.WithCancel(context.Background())
	client, err := NewClient(srv.URL, testToken, WithHTTPClient(srv.Client()), WithRetry(10, time.Hour, time.Hour),
		WithTimeouts(time.Minute, 2*time.Hour), WithSleep(func(ctx context.Context, d time.Duration) error { cancel(); return sleepContext(ctx, d) }))
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.ListNetworks(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if n := len(api.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestPaging serves generated networks under different readings of meta.page and
// checks what the list returns and how many pages it asked for.
func TestPaging(t *testing.T) {
	t.Parallel()
	// items are the ids of page n (1-based) for pages of size 2 over total items.
	items := func(n, total int) []string {
		var ids []string
		for i := (n-1)*2 + 1; i <= min(n*2, total); i++ {
			ids = append(ids, fmt.Sprintf("n%02d", i))
		}
		return ids
	}
	body := func(number, size, total int, ids []string) string {
		var data []string
		for _, id := range ids {
			data = append(data, `{"id":"`+id+`","name":"`+id+`"}`)
		}
		meta := ""
		if size >= 0 {
			meta = fmt.Sprintf(`"meta":{"page":{"number":%d,"size":%d,"total":%d}},`, number, size, total)
		}
		return "{" + meta + `"data":[` + strings.Join(data, ",") + "]}"
	}
	tests := []struct {
		name      string
		page      func(n int) string // the body of page n
		wantIDs   int
		wantPages int
		wantErr   string
	}{
		{
			name:    "total counts items, last page short",
			page:    func(n int) string { return body(n, 2, 5, items(n, 5)) },
			wantIDs: 5, wantPages: 3,
		},
		{
			name:    "total counts items, exact multiple costs one empty page",
			page:    func(n int) string { return body(n, 2, 4, items(n, 4)) },
			wantIDs: 4, wantPages: 3,
		},
		{
			name:    "total counts pages",
			page:    func(n int) string { return body(n, 2, 3, items(n, 6)) },
			wantIDs: 6, wantPages: 3,
		},
		{
			name:    "no meta: a page shorter than asked is the last",
			page:    func(n int) string { return body(n, -1, 0, items(n, 3)) },
			wantIDs: 3, wantPages: 2,
		},
		{
			name:    "no meta: full pages, read until an empty page",
			page:    func(n int) string { return body(n, -1, 0, items(n, 4)) },
			wantIDs: 4, wantPages: 3,
		},
		{
			name: "server caps the page size below what was asked",
			page: func(n int) string {
				if n > 3 {
					return body(n, 1, 3, nil)
				}
				return body(n, 1, 3, []string{fmt.Sprintf("n%02d", n)})
			},
			wantIDs: 3, wantPages: 3,
		},
		{
			name:    "server ignores page[number]",
			page:    func(int) string { return body(1, 2, 0, items(1, 9)) },
			wantIDs: 2, wantPages: 2, wantErr: "repeats item n01",
		},
		{
			name:    "endless distinct pages hit the cap",
			page:    func(n int) string { return body(n, 2, 0, items(n, 1000)) },
			wantIDs: 20, wantPages: 10, wantErr: "stopped after 10 pages",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api, srv := newFakeAPI(t, "testdata/happy")
			api.override = func(w http.ResponseWriter, r *http.Request, _ int) bool {
				n, err := strconv.Atoi(r.URL.Query().Get("page[number]"))
				if err != nil || n < 1 {
					t.Errorf("bad page[number] %q", r.URL.Query().Get("page[number]"))
					n = 1
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.page(n)))
				return true
			}
			client, _ := newTestClient(t, srv)
			got, err := client.ListNetworks(context.Background())
			if len(got) != tt.wantIDs {
				t.Errorf("%d networks, want %d", len(got), tt.wantIDs)
			}
			for i, n := range got {
				if want := fmt.Sprintf("n%02d", i+1); n.ID != want {
					t.Errorf("network %d = %s, want %s", i, n.ID, want)
					break
				}
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("ListNetworks: %v", err)
			case tt.wantErr != "" && (!errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("ListNetworks error = %v, want ErrTruncated with %q", err, tt.wantErr)
			}
			if n := len(api.requests()); n != tt.wantPages {
				t.Errorf("%d pages requested, want %d", n, tt.wantPages)
			}
		})
	}
}
